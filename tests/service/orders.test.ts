import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../../service/src/app.js';
import { ErrorBody } from '../../service/src/errors.js';
import { Product } from '../../service/src/orders/inventory-repository.js';
import { Order } from '../../service/src/orders/order.js';
import {
  buildApp,
  configFor,
  createWorld,
  CustomerPage,
  errorIn,
  orderIn,
  parseAs,
  postOrder,
  type TestWorld,
} from './helpers.js';

const ProductList = Type.Object({ products: Type.Array(Product) });

let world: TestWorld;
let app: FastifyInstance;

beforeAll(async () => {
  world = await createWorld();
  app = await buildApp(configFor(world));
  await world.seedProduct('mug', 50, 1250);
  await world.seedProduct('tea', 5, 400);
});

afterAll(async () => {
  await app?.close();
  await world?.close();
});

const createOrder = (body: Record<string, unknown>) => postOrder(app, body);

describe('POST /orders', () => {
  it('reserves stock, prices the lines from the catalogue and answers 201 with the order', async () => {
    const response = await createOrder({
      customerId: 'alice',
      items: [
        { productId: 'mug', quantity: 2 },
        { productId: 'tea', quantity: 1 },
      ],
    });
    expect(response.statusCode).toBe(201);
    const order = orderIn(response);
    expect(response.headers.location).toBe(`/orders/${order.orderId}`);
    expect(order).toMatchObject({
      customerId: 'alice',
      status: 'pending',
      version: 1,
      homeRegion: 'us-east-1',
      totalCents: 2 * 1250 + 400,
      items: [
        { productId: 'mug', quantity: 2, unitPriceCents: 1250 },
        { productId: 'tea', quantity: 1, unitPriceCents: 400 },
      ],
    });
    expect(order).not.toHaveProperty('requestHash');
    expect(await world.stockOf('mug')).toBe(48);
    expect(await world.stockOf('tea')).toBe(4);
    // Marked committed in the background, a few milliseconds after the answer.
    await expect
      .poll(async () => (await world.reservations()).find((row) => row.order_id === order.orderId))
      .toEqual({ order_id: order.orderId, state: 'committed', quantity: 3 });
  });

  it('answers 400 naming the field when the body is invalid', async () => {
    const zero = await createOrder({ customerId: 'alice', items: [{ productId: 'mug', quantity: 0 }] });
    expect(zero.statusCode).toBe(400);
    expect(zero.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(errorIn(zero).message).toContain('body/items/0/quantity');

    const missing = await createOrder({ items: [{ productId: 'mug', quantity: 1 }] });
    expect(missing.statusCode).toBe(400);
    expect(errorIn(missing).message).toContain('customerId');

    const unknownField = await createOrder({
      customerId: 'alice',
      items: [{ productId: 'mug', quantity: 1 }],
      coupon: 'x',
    });
    expect(unknownField.statusCode).toBe(400);
    expect(errorIn(unknownField).message).toContain("'coupon'");

    const repeated = await createOrder({
      customerId: 'alice',
      items: [
        { productId: 'mug', quantity: 1 },
        { productId: 'mug', quantity: 2 },
      ],
    });
    expect(repeated.statusCode).toBe(400);
    expect(errorIn(repeated).message).toContain('body/items/1/productId');
    expect(await world.stockOf('mug')).toBe(48);
  });

  it.each([
    [
      'a number sent as a string',
      { customerId: 'alice', items: [{ productId: 'mug', quantity: '2' }] },
      'body/items/0/quantity must be integer',
    ],
    [
      'a boolean for a number',
      { customerId: 'alice', items: [{ productId: 'mug', quantity: true }] },
      'body/items/0/quantity must be integer',
    ],
    [
      'a number for a string',
      { customerId: 42, items: [{ productId: 'mug', quantity: 1 }] },
      'body/customerId must be string',
    ],
    [
      'a one-element list for a string',
      { customerId: ['alice'], items: [{ productId: 'mug', quantity: 1 }] },
      'body/customerId must be string',
    ],
  ])('refuses %s in the JSON body with 400 naming the field, converting nothing', async (_case, body, message) => {
    const before = await world.stockOf('mug');
    const response = await createOrder(body);
    expect(response.statusCode).toBe(400);
    expect(parseAs(ErrorBody, response.body)).toMatchObject({ code: 'VALIDATION_FAILED', message });
    expect(await world.stockOf('mug')).toBe(before);
  });

  it('answers 413 for a body over the limit, before touching any store', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ customerId: 'alice', items: [], padding: 'x'.repeat(BODY_LIMIT_BYTES) }),
    });
    expect(response.statusCode).toBe(413);
    expect(errorIn(response).code).toBe('BODY_TOO_LARGE');
  });

  it('refuses more than the stock with 409 and takes nothing from any line', async () => {
    const response = await createOrder({
      customerId: 'bob',
      items: [
        { productId: 'mug', quantity: 1 },
        { productId: 'tea', quantity: 5 },
      ],
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'INSUFFICIENT_STOCK', productId: 'tea' });
    expect(await world.stockOf('mug')).toBe(48);
    expect(await world.stockOf('tea')).toBe(4);
  });

  it('names the first request line that fails, whatever order the products are locked in', async () => {
    const response = await createOrder({
      customerId: 'bob',
      items: [
        { productId: 'tea', quantity: 5 },
        { productId: 'mug', quantity: 1 },
        { productId: 'missing', quantity: 1 },
      ],
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'INSUFFICIENT_STOCK', productId: 'tea' });
    expect(errorIn(response).message).toBe('body/items/0/quantity: only 4 of tea in stock');
    expect(await world.stockOf('mug')).toBe(48);
    // Only the first test's order holds a reservation: the refused one wrote nothing.
    expect(await world.reservations()).toHaveLength(1);
  });

  it('refuses an unknown product with 422 naming it', async () => {
    const response = await createOrder({ customerId: 'bob', items: [{ productId: 'nope', quantity: 1 }] });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'UNKNOWN_PRODUCT', productId: 'nope' });
    expect(errorIn(response).message).toContain('body/items/0/productId');
  });
});

describe('GET /orders/:orderId', () => {
  it('returns a created order and 404 for an unknown id', async () => {
    const created = orderIn(await createOrder({ customerId: 'carol', items: [{ productId: 'mug', quantity: 1 }] }));
    const found = await app.inject({ method: 'GET', url: `/orders/${created.orderId}` });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual(created);

    const missing = await app.inject({ method: 'GET', url: '/orders/00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);
    expect(errorIn(missing).code).toBe('ORDER_NOT_FOUND');
  });

  it("never reads the service's own control items through the orders API", async () => {
    const response = await app.inject({ method: 'GET', url: '/orders/control%23failover-drill%23us-east-1' });
    expect(response.statusCode).toBe(400);
  });
});

describe('PATCH /orders/:orderId and POST /orders/:orderId/cancel', () => {
  it('moves the status forward with the expected version and bumps the version', async () => {
    const created = orderIn(await createOrder({ customerId: 'dan', items: [{ productId: 'mug', quantity: 1 }] }));
    const confirmed = await app.inject({
      method: 'PATCH',
      url: `/orders/${created.orderId}`,
      payload: { status: 'confirmed', expectedVersion: 1 },
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', version: 2 });
    expect(orderIn(confirmed).updatedAt >= created.updatedAt).toBe(true);

    const stale = await app.inject({
      method: 'PATCH',
      url: `/orders/${created.orderId}`,
      payload: { status: 'shipped', expectedVersion: 1 },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });

    const skipping = await app.inject({
      method: 'PATCH',
      url: `/orders/${created.orderId}`,
      payload: { status: 'delivered', expectedVersion: 2 },
    });
    expect(skipping.statusCode).toBe(409);
    expect(skipping.json()).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: 'confirmed' });

    const cancelByPatch = await app.inject({
      method: 'PATCH',
      url: `/orders/${created.orderId}`,
      payload: { status: 'cancelled', expectedVersion: 2 },
    });
    expect(cancelByPatch.statusCode).toBe(400);

    const unknown = await app.inject({
      method: 'PATCH',
      url: '/orders/00000000-0000-4000-8000-000000000000',
      payload: { status: 'confirmed', expectedVersion: 1 },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('cancels with the expected version, returns the stock once, and refuses a second cancel', async () => {
    const before = await world.stockOf('mug');
    const created = orderIn(await createOrder({ customerId: 'erin', items: [{ productId: 'mug', quantity: 3 }] }));
    expect(await world.stockOf('mug')).toBe(before - 3);

    const cancelled = await app.inject({
      method: 'POST',
      url: `/orders/${created.orderId}/cancel`,
      payload: { expectedVersion: 1, reason: 'changed my mind' },
    });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', version: 2, cancelReason: 'changed my mind' });
    expect(await world.stockOf('mug')).toBe(before);
    expect((await world.reservations()).find((row) => row.order_id === created.orderId)?.state).toBe('released');

    const again = await app.inject({
      method: 'POST',
      url: `/orders/${created.orderId}/cancel`,
      payload: { expectedVersion: 2 },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: 'cancelled' });
    expect(await world.stockOf('mug')).toBe(before);
  });

  it('refuses a version sent as a string or a boolean, and changes nothing', async () => {
    const created = orderIn(await createOrder({ customerId: 'dan', items: [{ productId: 'tea', quantity: 1 }] }));
    const stock = await world.stockOf('tea');
    const patched = await app.inject({
      method: 'PATCH',
      url: `/orders/${created.orderId}`,
      payload: { status: 'confirmed', expectedVersion: '1' },
    });
    expect(patched.statusCode).toBe(400);
    expect(parseAs(ErrorBody, patched.body).message).toBe('body/expectedVersion must be integer');
    const cancelled = await app.inject({
      method: 'POST',
      url: `/orders/${created.orderId}/cancel`,
      payload: { expectedVersion: true },
    });
    expect(cancelled.statusCode).toBe(400);
    expect(parseAs(ErrorBody, cancelled.body).message).toBe('body/expectedVersion must be integer');
    const unchanged = await app.inject({ method: 'GET', url: `/orders/${created.orderId}` });
    expect(parseAs(Order, unchanged.body)).toMatchObject({ status: 'pending', version: 1 });
    expect(await world.stockOf('tea')).toBe(stock);
  });

  it('keeps the stock reserved when a cancel carries a stale version', async () => {
    const created = orderIn(await createOrder({ customerId: 'erin', items: [{ productId: 'tea', quantity: 1 }] }));
    const stockAfterOrder = await world.stockOf('tea');
    const stale = await app.inject({
      method: 'POST',
      url: `/orders/${created.orderId}/cancel`,
      payload: { expectedVersion: 7 },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 1 });
    expect(await world.stockOf('tea')).toBe(stockAfterOrder);
  });
});

describe('GET /customers/:customerId/orders', () => {
  it('pages through every order newest first with an opaque cursor, without repeats', async () => {
    const created: string[] = [];
    for (let index = 0; index < 5; index++) {
      created.push(
        orderIn(await createOrder({ customerId: 'frank', items: [{ productId: 'mug', quantity: 1 }] })).orderId,
      );
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await app.inject({
        method: 'GET',
        url: '/customers/frank/orders',
        query: { limit: '2', ...(cursor === undefined ? {} : { cursor }) },
      });
      expect(response.statusCode).toBe(200);
      const page = parseAs(CustomerPage, response.body);
      expect(page.orders.length).toBeLessThanOrEqual(2);
      seen.push(...page.orders.map((order: { orderId: string }) => order.orderId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual([...created].reverse());
  });

  it('reads the query string as text converted to the declared types', async () => {
    await createOrder({ customerId: 'grace', items: [{ productId: 'mug', quantity: 1 }] });
    await createOrder({ customerId: 'grace', items: [{ productId: 'mug', quantity: 1 }] });
    const page = await app.inject({ method: 'GET', url: '/customers/grace/orders?limit=1' });
    expect(page.statusCode).toBe(200);
    const { orders, nextCursor } = parseAs(CustomerPage, page.body);
    expect(orders).toHaveLength(1);
    expect(nextCursor).toBeDefined();

    const notANumber = await app.inject({ method: 'GET', url: '/customers/grace/orders?limit=one' });
    expect(notANumber.statusCode).toBe(400);
    expect(parseAs(ErrorBody, notANumber.body).message).toBe('querystring/limit must be integer');
  });

  it('answers 400 for a cursor it did not issue', async () => {
    const response = await app.inject({ method: 'GET', url: '/customers/frank/orders?cursor=not-a-cursor' });
    expect(response.statusCode).toBe(400);
    expect(errorIn(response).code).toBe('INVALID_CURSOR');
  });
});

describe('products', () => {
  it('reads a product and its stock from the reader, 404 for an unknown one', async () => {
    const response = await app.inject({ method: 'GET', url: '/products/tea' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ productId: 'tea', priceCents: 400, stock: await world.stockOf('tea') });
    expect((await app.inject({ method: 'GET', url: '/products/nope' })).statusCode).toBe(404);

    const list = await app.inject({ method: 'GET', url: '/products?limit=1&after=mug' });
    expect(parseAs(ProductList, list.body).products.map((product) => product.productId)).toEqual(['tea']);
  });
});

describe('errors', () => {
  it('answers unknown routes with 404 and echoes a well-formed request id', async () => {
    const response = await app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': 'trace-123' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['x-request-id']).toBe('trace-123');
    expect(response.json()).toMatchObject({ code: 'NOT_FOUND', requestId: 'trace-123' });
  });

  it('never leaks internals in a 5xx: a missing table gives a generic body', async () => {
    const broken = await buildApp(configFor(world, { DYNAMO_TABLE: 'no-such-table' }));
    try {
      const response = await broken.inject({ method: 'GET', url: '/orders/00000000-0000-4000-8000-000000000000' });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({
        code: 'INTERNAL',
        message: 'Internal server error',
        requestId: response.headers['x-request-id'],
      });
      expect(response.body).not.toMatch(/no-such-table|ResourceNotFound|dynamo/i);
    } finally {
      await broken.close();
    }
  });
});
