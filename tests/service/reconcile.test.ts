import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type LocalDynamo } from '../../service/local/dynamodb.js';
import { buildApp, configFor, createWorld, errorIn, orderIn, postOrder, type TestWorld } from './helpers.js';

let world: TestWorld;
let app: FastifyInstance;

beforeAll(async () => {
  world = await createWorld();
  app = await buildApp(configFor(world));
  await world.seedProduct('kettle', 10);
});

afterAll(async () => {
  await app?.close();
  await world?.close();
});

/** Stock taken and a 'held' reservation recorded, as if the process died before the DynamoDB write. */
async function orphanReservation(orderId: string, region = 'us-east-1') {
  await app.inventory.reserve({
    orderId,
    customerId: 'ghost',
    requestHash: 'f'.repeat(64),
    region,
    lines: [{ productId: 'kettle', quantity: 2 }],
  });
}

describe('reconciling reservations left held by interrupted creates', () => {
  it('undoes a held reservation whose order never reached DynamoDB, once it is old enough', async () => {
    const before = await world.stockOf('kettle');
    await orphanReservation('orphan-0001');
    expect(await world.stockOf('kettle')).toBe(before - 2);

    expect(await app.orders.reconcile(60_000, 100)).toEqual({ committed: 0, undone: 0 });
    expect(await app.orders.reconcile(0, 100)).toEqual({ committed: 0, undone: 1 });
    expect(await world.stockOf('kettle')).toBe(before);
    expect((await world.reservations()).map((row) => row.order_id)).not.toContain('orphan-0001');
  });

  it('commits a held reservation whose order did reach DynamoDB, keeping its stock', async () => {
    const created = await postOrder(app, { customerId: 'hank', items: [{ productId: 'kettle', quantity: 1 }] });
    const { orderId } = orderIn(created);
    // The create marks its reservation committed in the background: let that land first, or it
    // would overwrite the 'held' this test sets and leave the reconciler nothing to do.
    await expect
      .poll(async () => (await world.reservations()).find((row) => row.order_id === orderId)?.state)
      .toBe('committed');
    await world.sql.query("UPDATE reservations SET state = 'held' WHERE order_id = ?", [orderId]);
    const stock = await world.stockOf('kettle');

    expect(await app.orders.reconcile(0, 100)).toEqual({ committed: 1, undone: 0 });
    expect(await world.stockOf('kettle')).toBe(stock);
    expect((await world.reservations()).find((row) => row.order_id === orderId)?.state).toBe('committed');
  });

  it("leaves another region's held reservations to that region", async () => {
    await orphanReservation('orphan-eu-0001', 'eu-west-1');
    expect(await app.orders.reconcile(0, 100)).toEqual({ committed: 0, undone: 0 });
    expect(await world.reservations()).toContainEqual({ order_id: 'orphan-eu-0001', state: 'held', quantity: 2 });
  });

  it('runs on its own timer in a running app', async () => {
    const before = await world.stockOf('kettle');
    const ticking = await buildApp(configFor(world), { reconciler: { intervalMs: 50, minAgeMs: 0, batchSize: 10 } });
    try {
      await orphanReservation('orphan-0002');
      await expect.poll(() => world.stockOf('kettle')).toBe(before);
    } finally {
      await ticking.close();
    }
  });
});

describe('a failed order write', () => {
  let smallItems: LocalDynamo;
  let strictWorld: TestWorld;
  let strictApp: FastifyInstance;

  beforeAll(async () => {
    // A dynalite that refuses items over 1 KB: the order write fails for real while reads work.
    smallItems = await startDynalite({ maxItemSizeKb: 1 });
    strictWorld = await createWorld(undefined, smallItems.endpoint);
    strictApp = await buildApp(configFor(strictWorld));
  });

  afterAll(async () => {
    await strictApp?.close();
    await strictWorld?.close();
    await smallItems?.close();
  });

  it('releases the reservation at once and answers 500 without internals', async () => {
    const productIds = Array.from({ length: 20 }, (_, index) => `a-rather-long-product-identifier-${index}`);
    for (const productId of productIds) {
      await strictWorld.seedProduct(productId, 3);
    }
    const response = await postOrder(strictApp, {
      customerId: 'big-spender',
      items: productIds.map((productId) => ({ productId, quantity: 1 })),
    });
    expect(response.statusCode).toBe(500);
    expect(errorIn(response).code).toBe('INTERNAL');
    expect(response.body).not.toMatch(/size|Validation/i);
    for (const productId of productIds) {
      expect(await strictWorld.stockOf(productId)).toBe(3);
    }
    expect(await strictWorld.reservations()).toEqual([]);
  });
});
