export const ORDER_STATUSES = ['pending', 'confirmed', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses an order may move to through PATCH, each with the statuses it may come from. */
export const STATUS_TRANSITIONS = {
  confirmed: ['pending'],
  shipped: ['confirmed'],
  delivered: ['shipped'],
} as const satisfies Partial<Record<OrderStatus, readonly OrderStatus[]>>;
export type ForwardStatus = keyof typeof STATUS_TRANSITIONS;

/** Cancelling goes through its own route because it also returns the reserved stock. */
export const CANCELLABLE_STATUSES: readonly OrderStatus[] = ['pending', 'confirmed'];

export interface OrderLine {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

export interface Order {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  items: OrderLine[];
  totalCents: number;
  version: number;
  homeRegion: string;
  createdAt: string;
  updatedAt: string;
  cancelReason?: string;
}

/** The stored item also keeps the fingerprint of the create request, for idempotent replays. */
export interface StoredOrder extends Order {
  requestHash: string;
}

export interface RequestedLine {
  productId: string;
  quantity: number;
}

export interface CreateOrderBody {
  customerId: string;
  orderId?: string;
  items: RequestedLine[];
}

// '#' is reserved for the service's own items (idempotency, drill switch) in the shared table.
const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:@-]*$';

export const idSchema = { type: 'string', minLength: 1, maxLength: 64, pattern: ID_PATTERN } as const;
export const orderIdSchema = { type: 'string', minLength: 8, maxLength: 64, pattern: ID_PATTERN } as const;
export const versionSchema = { type: 'integer', minimum: 1 } as const;

const orderLineSchema = {
  type: 'object',
  required: ['productId', 'quantity', 'unitPriceCents'],
  properties: {
    productId: { type: 'string' },
    quantity: { type: 'integer' },
    unitPriceCents: { type: 'integer' },
  },
} as const;

export const orderSchema = {
  type: 'object',
  required: [
    'orderId',
    'customerId',
    'status',
    'items',
    'totalCents',
    'version',
    'homeRegion',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    orderId: { type: 'string' },
    customerId: { type: 'string' },
    status: { type: 'string', enum: ORDER_STATUSES },
    items: { type: 'array', items: orderLineSchema },
    totalCents: { type: 'integer' },
    version: { type: 'integer' },
    homeRegion: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    cancelReason: { type: 'string' },
  },
} as const;

export const createOrderBodySchema = {
  type: 'object',
  required: ['customerId', 'items'],
  additionalProperties: false,
  properties: {
    customerId: idSchema,
    orderId: orderIdSchema,
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'object',
        required: ['productId', 'quantity'],
        additionalProperties: false,
        properties: {
          productId: idSchema,
          quantity: { type: 'integer', minimum: 1, maximum: 1000 },
        },
      },
    },
  },
} as const;
