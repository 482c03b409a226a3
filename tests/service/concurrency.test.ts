import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApp,
  configFor,
  createWorld,
  CustomerPage,
  errorIn,
  LogCapture,
  orderIn,
  parseAs,
  postOrder,
  type TestWorld,
} from './helpers.js';

let world: TestWorld;
let app: FastifyInstance;

beforeAll(async () => {
  world = await createWorld();
  app = await buildApp(configFor(world));
});

afterAll(async () => {
  await app?.close();
  await world?.close();
});

describe('concurrent writers', () => {
  it('100 concurrent orders for a product with stock 10 leave exactly 10 orders and stock 0', async () => {
    await world.seedProduct('last-ten', 10);
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        postOrder(app, {
          customerId: 'crowd',
          items: [{ productId: 'last-ten', quantity: 1 }],
          orderId: `crowd-order-${index}`,
        }),
      ),
    );
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(90);
    for (const refused of responses.filter((response) => response.statusCode === 409)) {
      expect(errorIn(refused).code).toBe('INSUFFICIENT_STOCK');
    }
    expect(await world.stockOf('last-ten')).toBe(0);

    const created = new Set(responses.filter((r) => r.statusCode === 201).map((r) => orderIn(r).orderId));
    const stored = await app.inject({ method: 'GET', url: '/customers/crowd/orders?limit=100' });
    expect(
      new Set(parseAs(CustomerPage, stored.body).orders.map((order: { orderId: string }) => order.orderId)),
    ).toEqual(created);
    const reservations = await world.reservations();
    expect(new Set(reservations.map((row) => row.order_id))).toEqual(created);
    expect(reservations.every((row) => row.quantity === 1)).toBe(true);
    // Marked committed in the background, a few milliseconds after the answers.
    await expect
      .poll(async () => (await world.reservations()).filter((row) => row.state === 'committed').length)
      .toBe(10);
  });

  it('a reservation locks only the products it orders', async () => {
    await world.seedProduct('busy-seller', 5);
    await world.seedProduct('quiet-seller', 5);
    // Another session holds busy-seller's row lock; an order for quiet-seller must not wait on it
    // (it would if the reservation scanned, and so locked, the whole products table).
    const locker = await world.sql.getConnection();
    try {
      await locker.beginTransaction();
      await locker.query("SELECT stock FROM products WHERE product_id = 'busy-seller' FOR UPDATE");
      const response = await postOrder(app, {
        customerId: 'bystander',
        items: [{ productId: 'quiet-seller', quantity: 1 }],
      });
      expect(response.statusCode).toBe(201);
      expect(await world.stockOf('quiet-seller')).toBe(4);
    } finally {
      await locker.rollback();
      locker.release();
    }
  });

  it('a reservation that outlives its 5 s query timeout is killed on the writer, not committed behind the 503', async () => {
    await world.seedProduct('held-first', 5);
    await world.seedProduct('held-second', 5);
    // Two sessions hold the two row locks and let go 3 s apart: each wait stays under the 5 s lock
    // wait limit, but together they keep the reservation running past the client's timeout.
    const [first, second] = await Promise.all([world.sql.getConnection(), world.sql.getConnection()]);
    await first.beginTransaction();
    await first.query("SELECT stock FROM products WHERE product_id = 'held-first' FOR UPDATE");
    await second.beginTransaction();
    await second.query("SELECT stock FROM products WHERE product_id = 'held-second' FOR UPDATE");
    const started = Date.now();
    const order = {
      customerId: 'impatient',
      orderId: 'outlived-timeout',
      items: [
        { productId: 'held-first', quantity: 1 },
        { productId: 'held-second', quantity: 1 },
      ],
    };
    const logs = new LogCapture();
    const watched = await buildApp(configFor(world, { LOG_LEVEL: 'warn' }), { logStream: logs });
    try {
      const pending = postOrder(watched, order);
      await sleep(3_000);
      await first.rollback();
      first.release();
      const response = await pending;
      await sleep(Math.max(0, started + 6_000 - Date.now()));
      await second.rollback();
      second.release();

      expect(response.statusCode).toBe(503);
      expect(errorIn(response).code).toBe('DEPENDENCY_UNAVAILABLE');
      await expect
        .poll(() => logs.messages())
        .toContain('a MySQL statement outlived its timeout; its session was killed');
      // Left running, the reservation would now take both locks and commit a held reservation.
      await sleep(500);
      expect((await world.reservations()).map((row) => row.order_id)).not.toContain('outlived-timeout');
      expect([await world.stockOf('held-first'), await world.stockOf('held-second')]).toEqual([5, 5]);
      const retried = await postOrder(watched, order);
      expect(retried.statusCode).toBe(201);
    } finally {
      await watched.close();
    }
  }, 20_000);

  it('of concurrent updates with the same expected version exactly one wins', async () => {
    await world.seedProduct('contended', 5);
    const order = orderIn(
      await postOrder(app, { customerId: 'racer', items: [{ productId: 'contended', quantity: 1 }] }),
    );
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        app.inject({
          method: 'PATCH',
          url: `/orders/${order.orderId}`,
          payload: { status: 'confirmed', expectedVersion: 1 },
        }),
      ),
    );
    const winners = responses.filter((response) => response.statusCode === 200);
    const losers = responses.filter((response) => response.statusCode === 409);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(9);
    expect(losers.every((response) => errorIn(response).code === 'VERSION_CONFLICT')).toBe(true);
    const final = orderIn(await app.inject({ method: 'GET', url: `/orders/${order.orderId}` }));
    expect(final).toMatchObject({ status: 'confirmed', version: 2 });
  });

  it('a concurrent cancel and confirm on the same version: one wins, and stock follows the winner', async () => {
    await world.seedProduct('either-or', 3);
    const order = orderIn(
      await postOrder(app, { customerId: 'racer', items: [{ productId: 'either-or', quantity: 2 }] }),
    );
    const [cancel, confirm] = await Promise.all([
      app.inject({ method: 'POST', url: `/orders/${order.orderId}/cancel`, payload: { expectedVersion: 1 } }),
      app.inject({
        method: 'PATCH',
        url: `/orders/${order.orderId}`,
        payload: { status: 'confirmed', expectedVersion: 1 },
      }),
    ]);
    expect([cancel.statusCode, confirm.statusCode].sort()).toEqual([200, 409]);
    const final = orderIn(await app.inject({ method: 'GET', url: `/orders/${order.orderId}` }));
    expect(await world.stockOf('either-or')).toBe(final.status === 'cancelled' ? 3 : 1);
  });
});
