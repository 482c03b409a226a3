import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError, errorResponses } from '../errors.js';
import { CreateOrderBody, ForwardStatus, Id, Order, OrderId, Version } from '../orders/order.js';

const OrderParams = Type.Object({ orderId: OrderId });

const MAX_PAGE_SIZE = 100;

function orderNotFound(): ApiError {
  return new ApiError(404, 'ORDER_NOT_FOUND', 'Order not found');
}

const ordersRoutes: FastifyPluginCallbackTypebox = (fastify, _opts, done) => {
  fastify.post(
    '/orders',
    {
      schema: {
        headers: Type.Object({
          'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' })),
        }),
        body: CreateOrderBody,
        response: { 201: Order, ...errorResponses(400, 409, 413, 415, 422, 500, 503) },
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

  fastify.get(
    '/orders/:orderId',
    { schema: { params: OrderParams, response: { 200: Order, ...errorResponses(400, 404, 500, 503) } } },
    async (request) => {
      const order = await fastify.orders.get(request.params.orderId);
      if (order === undefined) {
        throw orderNotFound();
      }
      return order;
    },
  );

  fastify.patch(
    '/orders/:orderId',
    {
      schema: {
        params: OrderParams,
        body: Type.Object({ status: ForwardStatus, expectedVersion: Version }, { additionalProperties: false }),
        response: { 200: Order, ...errorResponses(400, 404, 409, 413, 415, 421, 500, 503) },
      },
    },
    async (request) =>
      fastify.orders.updateStatus(request.params.orderId, request.body.status, request.body.expectedVersion),
  );

  fastify.post(
    '/orders/:orderId/cancel',
    {
      schema: {
        params: OrderParams,
        body: Type.Object(
          { expectedVersion: Version, reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
          { additionalProperties: false },
        ),
        response: { 200: Order, ...errorResponses(400, 404, 409, 413, 415, 421, 500, 503) },
      },
    },
    async (request) =>
      fastify.orders.cancel(request.params.orderId, request.body.expectedVersion, request.body.reason, request.log),
  );

  fastify.get(
    '/customers/:customerId/orders',
    {
      schema: {
        params: Type.Object({ customerId: Id }),
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 }),
            cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ orders: Type.Array(Order), nextCursor: Type.Optional(Type.String()) }),
          ...errorResponses(400, 500, 503),
        },
      },
    },
    async (request) => {
      const { customerId } = request.params;
      return fastify.orders.listByCustomer(customerId, request.query.limit, request.query.cursor);
    },
  );
  done();
};

export default ordersRoutes;
