import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retry } from '../../service/src/retry.js';
import { buildApp, configFor, createWorld, errorIn, orderIn, postOrder, type TestWorld } from './helpers.js';

// Two regions sharing one table and one database stand in for a global table's replicas and
// the Aurora global writer: the service's region check is what is under test.
let world: TestWorld;
let virginia: FastifyInstance;
let ireland: FastifyInstance;

beforeAll(async () => {
  world = await createWorld();
  virginia = await buildApp(configFor(world, { AWS_REGION: 'us-east-1' }));
  ireland = await buildApp(configFor(world, { AWS_REGION: 'eu-west-1' }));
  await world.seedProduct('globe', 20);
});

afterAll(async () => {
  await Promise.all([virginia?.close(), ireland?.close()]);
  await world?.close();
});

async function createOrderIn(app: FastifyInstance) {
  const response = await postOrder(app, { customerId: 'traveller', items: [{ productId: 'globe', quantity: 1 }] });
  expect(response.statusCode).toBe(201);
  return orderIn(response);
}

describe('eventual mode: writes only in the home region', () => {
  it('records the creating region as home and serves reads everywhere', async () => {
    const order = await createOrderIn(ireland);
    expect(order.homeRegion).toBe('eu-west-1');
    const read = await virginia.inject({ method: 'GET', url: `/orders/${order.orderId}` });
    expect(read.json()).toEqual(order);
  });

  it('refuses an update or cancel from another region with 421 naming the home region', async () => {
    const order = await createOrderIn(virginia);
    const stock = await world.stockOf('globe');
    const update = await ireland.inject({
      method: 'PATCH',
      url: `/orders/${order.orderId}`,
      payload: { status: 'confirmed', expectedVersion: 1 },
    });
    expect(update.statusCode).toBe(421);
    expect(update.json()).toMatchObject({ code: 'NOT_HOME_REGION', homeRegion: 'us-east-1' });

    const cancel = await ireland.inject({
      method: 'POST',
      url: `/orders/${order.orderId}/cancel`,
      payload: { expectedVersion: 1 },
    });
    expect(cancel.statusCode).toBe(421);
    expect(errorIn(cancel).homeRegion).toBe('us-east-1');
    expect(await world.stockOf('globe')).toBe(stock);

    const unchanged = orderIn(await virginia.inject({ method: 'GET', url: `/orders/${order.orderId}` }));
    expect(unchanged).toMatchObject({ status: 'pending', version: 1 });

    const home = await virginia.inject({
      method: 'PATCH',
      url: `/orders/${order.orderId}`,
      payload: { status: 'confirmed', expectedVersion: 1 },
    });
    expect(home.statusCode).toBe(200);
  });

  it('reports the wrong region before a version mismatch', async () => {
    const order = await createOrderIn(virginia);
    const response = await ireland.inject({
      method: 'PATCH',
      url: `/orders/${order.orderId}`,
      payload: { status: 'confirmed', expectedVersion: 99 },
    });
    expect(response.statusCode).toBe(421);
  });
});

describe('strong mode: any region may write', () => {
  it('accepts an update from a region other than home, still guarded by the version', async () => {
    const strongIreland = await buildApp(configFor(world, { AWS_REGION: 'eu-west-1', DYNAMO_CONSISTENCY: 'strong' }));
    try {
      const order = await createOrderIn(virginia);
      const update = await strongIreland.inject({
        method: 'PATCH',
        url: `/orders/${order.orderId}`,
        payload: { status: 'confirmed', expectedVersion: 1 },
      });
      expect(update.statusCode).toBe(200);
      expect(update.json()).toMatchObject({ status: 'confirmed', version: 2, homeRegion: 'us-east-1' });
      const stale = await strongIreland.inject({
        method: 'PATCH',
        url: `/orders/${order.orderId}`,
        payload: { status: 'shipped', expectedVersion: 1 },
      });
      expect(stale.statusCode).toBe(409);
    } finally {
      await strongIreland.close();
    }
  });
});

describe('retry', () => {
  // dynalite cannot produce ReplicatedWriteConflictException (MRSC exists only in AWS), so the
  // bounded retry that strong mode relies on is exercised directly.
  const conflict = Object.assign(new Error('conflict'), { name: 'ReplicatedWriteConflictException' });
  const policy = {
    attempts: 3,
    baseDelayMs: 1,
    isRetryable: (error: unknown) => (error as Error).name === 'ReplicatedWriteConflictException',
  };

  it('retries a retryable failure and returns the first success', async () => {
    const attempts: number[] = [];
    const result = await retry(policy, (attempt) => {
      attempts.push(attempt);
      return attempt < 3 ? Promise.reject(conflict) : Promise.resolve('written');
    });
    expect(result).toBe('written');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('gives up after the last attempt and does not retry other errors', async () => {
    let calls = 0;
    await expect(
      retry(policy, () => {
        calls++;
        return Promise.reject(conflict);
      }),
    ).rejects.toBe(conflict);
    expect(calls).toBe(3);

    calls = 0;
    const other = new Error('validation');
    await expect(
      retry(policy, () => {
        calls++;
        return Promise.reject(other);
      }),
    ).rejects.toBe(other);
    expect(calls).toBe(1);
  });
});
