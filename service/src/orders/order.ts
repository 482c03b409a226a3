import { Type, type Static } from 'typebox';

export const ORDER_STATUSES = ['pending', 'confirmed', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses an order may move to through PATCH, each with the statuses it may come from. */
export const STATUS_TRANSITIONS = {
  confirmed: ['pending'],
  shipped: ['confirmed'],
  delivered: ['shipped'],
} as const satisfies Partial<Record<OrderStatus, readonly OrderStatus[]>>;
export type ForwardStatus = keyof typeof STATUS_TRANSITIONS;
// Object.keys widens to string[]; the keys are exactly ForwardStatus by the declaration above.
export const ForwardStatus = Type.Enum(Object.keys(STATUS_TRANSITIONS) as ForwardStatus[]);

/** Cancelling goes through its own route because it also returns the reserved stock. */
export const CANCELLABLE_STATUSES: readonly OrderStatus[] = ['pending', 'confirmed'];

// '#' is reserved for the service's own items (idempotency, drill switch) in the shared table.
const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:@-]*$';

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: ID_PATTERN });
export const OrderId = Type.String({ minLength: 8, maxLength: 64, pattern: ID_PATTERN });
export const Version = Type.Integer({ minimum: 1 });
const Timestamp = Type.String({ format: 'date-time' });

export const OrderLine = Type.Object({
  productId: Type.String(),
  quantity: Type.Integer(),
  unitPriceCents: Type.Integer(),
});
export type OrderLine = Static<typeof OrderLine>;

export const Order = Type.Object({
  orderId: Type.String(),
  customerId: Type.String(),
  status: Type.Enum(ORDER_STATUSES),
  items: Type.Array(OrderLine),
  totalCents: Type.Integer(),
  version: Type.Integer(),
  homeRegion: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  cancelReason: Type.Optional(Type.String()),
});
export type Order = Static<typeof Order>;

/** The stored item also keeps the fingerprint of the create request, for idempotent replays. */
export type StoredOrder = Order & { requestHash: string };

export const RequestedLine = Type.Object(
  { productId: Id, quantity: Type.Integer({ minimum: 1, maximum: 1000 }) },
  { additionalProperties: false },
);
export type RequestedLine = Static<typeof RequestedLine>;

export const CreateOrderBody = Type.Object(
  {
    customerId: Id,
    orderId: Type.Optional(OrderId),
    items: Type.Array(RequestedLine, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type CreateOrderBody = Static<typeof CreateOrderBody>;
