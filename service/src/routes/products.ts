import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError, errorResponses } from '../errors.js';
import { Product } from '../orders/inventory-repository.js';
import { Id } from '../orders/order.js';

/** Catalogue reads from the local Aurora reader: stock shown here may trail the writer slightly. */
const productsRoutes: FastifyPluginCallbackTypebox = (fastify, _opts, done) => {
  fastify.get(
    '/products',
    {
      schema: {
        querystring: Type.Object(
          { limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }), after: Type.Optional(Id) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ products: Type.Array(Product) }), ...errorResponses(400, 500, 503) },
      },
    },
    async (request) => ({ products: await fastify.inventory.listProducts(request.query.limit, request.query.after) }),
  );

  fastify.get(
    '/products/:productId',
    {
      schema: {
        params: Type.Object({ productId: Id }),
        response: { 200: Product, ...errorResponses(400, 404, 500, 503) },
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
  done();
};

export default productsRoutes;
