import type { FastifyInstance } from 'fastify';
import { ApiError, errorResponses } from '../errors.js';
import {
  createOrderBodySchema,
  idSchema,
  orderIdSchema,
  orderSchema,
  STATUS_TRANSITIONS,
  versionSchema,
  type CreateOrderBody,
  type ForwardStatus,
} from '../orders/order.js';

const orderParams = {
  type: 'object',
  required: ['orderId'],
  properties: { orderId: orderIdSchema },
} as const;

const MAX_PAGE_SIZE = 100;

function orderNotFound(): ApiError {
  return new ApiError(404, 'ORDER_NOT_FOUND', 'Order not found');
}

export default async function ordersRoutes(fastify: FastifyInstance) {
  fastify.post<{ Body: CreateOrderBody; Headers: { 'idempotency-key'?: string } }>(
    '/orders',
    {
      schema: {
        headers: {
          type: 'object',
          properties: {
            'idempotency-key': { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
          },
        },
        body: createOrderBodySchema,
        response: { 201: orderSchema, ...errorResponses(400, 409, 413, 415, 422, 500, 503) },
      },
    },
    async (request, reply) => {
      const duplicate = request.body.items.findIndex(
        (line, index) => request.body.items.findIndex((other) => other.productId === line.productId) !== index,
      );
      if (duplicate !== -1) {
        throw new ApiError(400, 'VALIDATION_FAILED', `body/items/${duplicate}/productId repeats an earlier line`);
      }
      const { order, replayed } = await fastify.orders.create(
        request.body,
        request.headers['idempotency-key'],
        request.log,
      );
      reply.code(201).header('location', `/orders/${order.orderId}`);
      if (replayed) {
        reply.header('idempotent-replayed', 'true');
      }
      return order;
    },
  );

  fastify.get<{ Params: { orderId: string } }>(
    '/orders/:orderId',
    { schema: { params: orderParams, response: { 200: orderSchema, ...errorResponses(400, 404, 500, 503) } } },
    async (request) => {
      const order = await fastify.orders.get(request.params.orderId);
      if (order === undefined) {
        throw orderNotFound();
      }
      return order;
    },
  );

  fastify.patch<{ Params: { orderId: string }; Body: { status: ForwardStatus; expectedVersion: number } }>(
    '/orders/:orderId',
    {
      schema: {
        params: orderParams,
        body: {
          type: 'object',
          required: ['status', 'expectedVersion'],
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: Object.keys(STATUS_TRANSITIONS) },
            expectedVersion: versionSchema,
          },
        },
        response: { 200: orderSchema, ...errorResponses(400, 404, 409, 413, 415, 421, 500, 503) },
      },
    },
    async (request) =>
      fastify.orders.updateStatus(request.params.orderId, request.body.status, request.body.expectedVersion),
  );

  fastify.post<{ Params: { orderId: string }; Body: { expectedVersion: number; reason?: string } }>(
    '/orders/:orderId/cancel',
    {
      schema: {
        params: orderParams,
        body: {
          type: 'object',
          required: ['expectedVersion'],
          additionalProperties: false,
          properties: {
            expectedVersion: versionSchema,
            reason: { type: 'string', minLength: 1, maxLength: 500 },
          },
        },
        response: { 200: orderSchema, ...errorResponses(400, 404, 409, 413, 415, 421, 500, 503) },
      },
    },
    async (request) =>
      fastify.orders.cancel(request.params.orderId, request.body.expectedVersion, request.body.reason, request.log),
  );

  fastify.get<{ Params: { customerId: string }; Querystring: { limit: number; cursor?: string } }>(
    '/customers/:customerId/orders',
    {
      schema: {
        params: { type: 'object', required: ['customerId'], properties: { customerId: idSchema } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 },
            cursor: { type: 'string', minLength: 1, maxLength: 512 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['orders'],
            properties: { orders: { type: 'array', items: orderSchema }, nextCursor: { type: 'string' } },
          },
          ...errorResponses(400, 500, 503),
        },
      },
    },
    async (request) => {
      const { customerId } = request.params;
      return fastify.orders.listByCustomer(customerId, request.query.limit, request.query.cursor);
    },
  );
}
