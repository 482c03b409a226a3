import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootOverSocket, startLocalMariaDb, type LocalMariaDb } from '../../service/local/mariadb.js';
import {
  buildApp,
  configFor,
  createWorld,
  CustomerPage,
  errorIn,
  orderIn,
  parseAs,
  postOrder,
  TEST_DB_USER,
  type TestWorld,
} from './helpers.js';

// This file stops and restarts MariaDB, so it runs its own server instead of the shared one.
const INITIAL_STOCK = 1_000;

let baseDir: string;
let mariadb: LocalMariaDb;
let world: TestWorld;
let app: FastifyInstance;

beforeAll(async () => {
  baseDir = await mkdtemp(join(tmpdir(), 'orders-outage-mariadb-'));
  mariadb = await startLocalMariaDb(baseDir);
  world = await createWorld({ host: mariadb.host, port: mariadb.port, admin: rootOverSocket(mariadb.socketPath) });
  app = await buildApp(configFor(world));
  await world.seedProduct('widget', INITIAL_STOCK);
});

afterAll(async () => {
  await app?.close();
  await world?.close();
  await mariadb?.stop();
  await rm(baseDir, { recursive: true, force: true });
});

async function customerOrders(customerId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  do {
    const response = await app.inject({
      method: 'GET',
      url: `/customers/${customerId}/orders`,
      query: { limit: '100', ...(cursor === undefined ? {} : { cursor }) },
    });
    const page = parseAs(CustomerPage, response.body);
    page.orders.forEach((order) => ids.add(order.orderId));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return ids;
}

describe('MySQL stopped mid-traffic', () => {
  it('answers 503, and leaves no order without a reservation nor a reservation without an order', async () => {
    const responses: LightMyRequestResponse[] = [];
    let sending = true;
    const client = async () => {
      while (sending) {
        responses.push(await postOrder(app, { customerId: 'outage', items: [{ productId: 'widget', quantity: 1 }] }));
      }
    };
    const clients = Array.from({ length: 20 }, client);

    await expect
      .poll(() => responses.filter((response) => response.statusCode === 201).length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(20);
    await mariadb.stop();
    await sleep(500);
    const health = await app.inject({ method: 'GET', url: '/health' });
    sending = false;
    await Promise.all(clients);

    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({
      status: 'unavailable',
      checks: { dynamodb: { status: 'up' }, mysqlReader: { status: 'down' }, mysqlWriter: { status: 'down' } },
    });
    const statuses = new Set(responses.map((response) => response.statusCode));
    expect([...statuses].sort()).toEqual([201, 503]);
    const refused = responses.filter((response) => response.statusCode === 503);
    expect(refused.every((response) => errorIn(response).code === 'DEPENDENCY_UNAVAILABLE')).toBe(true);
    expect(refused.every((response) => response.headers['retry-after'] === '2')).toBe(true);
    expect(refused.every((response) => !/mysql|ECONN|connect|socket/i.test(response.body))).toBe(true);

    await mariadb.start();
    await expect.poll(async () => (await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);

    // A create cut off between its MySQL commit and its DynamoDB write (or before marking the
    // reservation committed) is settled by the reconciler, here run without its usual age limit.
    await app.orders.reconcile(0, 1_000);

    const orders = await customerOrders('outage');
    const reservations = await world.reservations();
    expect(reservations.filter((row) => row.state === 'held')).toEqual([]);
    expect(new Set(reservations.map((row) => row.order_id))).toEqual(orders);
    const created = responses.filter((response) => response.statusCode === 201).map((r) => orderIn(r).orderId);
    expect(created.every((orderId) => orders.has(orderId))).toBe(true);
    expect(await world.stockOf('widget')).toBe(INITIAL_STOCK - orders.size);
  });
});

describe('MySQL writer turned read-only', () => {
  it('answers 503 while the writer refuses writes (as a demoted writer does in a failover), drops that connection, then recovers', async () => {
    const order = { customerId: 'failover', items: [{ productId: 'widget', quantity: 1 }] };
    const appSessions = async () => {
      const [rows] = await world.sql.query<RowDataPacket[]>(
        'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ? ORDER BY ID',
        [TEST_DB_USER.username],
      );
      return rows.map((row) => Number(row.id));
    };
    // A write first, so that the writer pool has an idle connection for the refused one to take.
    expect((await postOrder(app, order)).statusCode).toBe(201);
    const before = await appSessions();
    await world.sql.query('SET GLOBAL read_only = ON');
    try {
      const refused = await postOrder(app, order);
      expect(refused.statusCode).toBe(503);
      expect(errorIn(refused).code).toBe('DEPENDENCY_UNAVAILABLE');
      // On Aurora a connection stays on the demoted instance: it must not go back to the pool.
      await expect.poll(async () => (await appSessions()).length).toBe(before.length - 1);
    } finally {
      await world.sql.query('SET GLOBAL read_only = OFF');
    }
    expect((await postOrder(app, order)).statusCode).toBe(201);
  });
});
