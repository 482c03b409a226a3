import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, configFor, createWorld, errorIn, orderIn, postOrder, type TestWorld } from './helpers.js';

let world: TestWorld;
let app: FastifyInstance;

beforeAll(async () => {
  world = await createWorld();
  app = await buildApp(configFor(world));
  await world.seedProduct('lamp', 100);
});

afterAll(async () => {
  await app?.close();
  await world?.close();
});

const body = { customerId: 'ida', items: [{ productId: 'lamp', quantity: 2 }] };

function post(payload: Record<string, unknown>, key?: string) {
  return postOrder(app, payload, key === undefined ? {} : { 'idempotency-key': key });
}

describe('idempotent creates', () => {
  it('a retried create with the same Idempotency-Key returns the first result and reserves once', async () => {
    const first = await post(body, 'key-retry-1');
    const retry = await post(body, 'key-retry-1');
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.json()).toEqual(first.json());
    expect(await world.stockOf('lamp')).toBe(98);
  });

  it('concurrent retries of one key create one order and reserve once', async () => {
    const before = await world.stockOf('lamp');
    const responses = await Promise.all(Array.from({ length: 8 }, () => post(body, 'key-burst')));
    const succeeded = responses.filter((response) => response.statusCode === 201);
    // A retry that arrives while the first attempt is still writing is told to come back later.
    const inProgress = responses.filter((response) => response.statusCode === 409);
    expect(succeeded.length + inProgress.length).toBe(8);
    expect(inProgress.every((response) => errorIn(response).code === 'CREATE_IN_PROGRESS')).toBe(true);
    expect(inProgress.every((response) => response.headers['retry-after'] === '1')).toBe(true);
    expect(new Set(succeeded.map((response) => orderIn(response).orderId)).size).toBe(1);
    const settled = await post(body, 'key-burst');
    expect(settled.statusCode).toBe(201);
    expect(orderIn(settled).orderId).toBe(orderIn(succeeded[0]!).orderId);
    expect(await world.stockOf('lamp')).toBe(before - 2);
  });

  it('the same key with a different body is refused with 422 and reserves nothing', async () => {
    await post(body, 'key-reused');
    const before = await world.stockOf('lamp');
    const different = await post({ ...body, items: [{ productId: 'lamp', quantity: 3 }] }, 'key-reused');
    expect(different.statusCode).toBe(422);
    expect(errorIn(different).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await world.stockOf('lamp')).toBe(before);
  });

  it('a client-supplied order id is idempotent the same way', async () => {
    const before = await world.stockOf('lamp');
    const first = await post({ ...body, orderId: 'client-order-0001' });
    const retry = await post({ ...body, orderId: 'client-order-0001' });
    expect(first.statusCode).toBe(201);
    expect(orderIn(first).orderId).toBe('client-order-0001');
    expect(retry.json()).toEqual(first.json());
    expect(await world.stockOf('lamp')).toBe(before - 2);

    const clash = await post({ customerId: 'someone-else', items: body.items, orderId: 'client-order-0001' });
    expect(clash.statusCode).toBe(422);
  });

  it('a create that failed for lack of stock can be retried with the same key once stock returns', async () => {
    await world.seedProduct('scarce', 1);
    const greedy = { customerId: 'ida', items: [{ productId: 'scarce', quantity: 2 }] };
    expect((await post(greedy, 'key-scarce')).statusCode).toBe(409);
    await world.sql.query("UPDATE products SET stock = 2 WHERE product_id = 'scarce'");
    const retried = await post(greedy, 'key-scarce');
    expect(retried.statusCode).toBe(201);
    expect(await world.stockOf('scarce')).toBe(0);
  });

  it('refuses a body order id together with an Idempotency-Key', async () => {
    const response = await post({ ...body, orderId: 'client-order-0002' }, 'key-both');
    expect(response.statusCode).toBe(400);
    expect(errorIn(response).code).toBe('AMBIGUOUS_IDEMPOTENCY');
  });

  it('rejects a malformed Idempotency-Key naming the header', async () => {
    const response = await post(body, 'has spaces');
    expect(response.statusCode).toBe(400);
    expect(errorIn(response).message).toContain('idempotency-key');
  });
});
