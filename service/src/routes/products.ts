import type { FastifyInstance } from 'fastify';
import { ApiError, errorResponses } from '../errors.js';
import { idSchema } from '../orders/order.js';

const productSchema = {
  type: 'object',
  required: ['productId', 'name', 'priceCents', 'stock', 'updatedAt'],
  properties: {
    productId: { type: 'string' },
    name: { type: 'string' },
    priceCents: { type: 'integer' },
    stock: { type: 'integer' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** Catalogue reads from the local Aurora reader: stock shown here may trail the writer slightly. */
export default async function productsRoutes(fastify: FastifyInstance) {
  fastify.get<{ Querystring: { limit: number; after?: string } }>(
    '/products',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
            after: idSchema,
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['products'],
            properties: { products: { type: 'array', items: productSchema } },
          },
          ...errorResponses(400, 500, 503),
        },
      },
    },
    async (request) => ({ products: await fastify.inventory.listProducts(request.query.limit, request.query.after) }),
  );

  fastify.get<{ Params: { productId: string } }>(
    '/products/:productId',
    {
      schema: {
        params: { type: 'object', required: ['productId'], properties: { productId: idSchema } },
        response: { 200: productSchema, ...errorResponses(400, 404, 500, 503) },
      },
    },
    async (request) => {
      const product = await fastify.inventory.getProduct(request.params.productId);
      if (product === undefined) {
        throw new ApiError(404, 'PRODUCT_NOT_FOUND', 'Product not found');
      }
      return product;
    },
  );
}
