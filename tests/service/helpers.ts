import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createPool, type Pool, type RowDataPacket } from 'mysql2/promise';
import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { inject } from 'vitest';
import { createOrdersTable } from '../../service/local/dynamodb.js';
import { createLocalDatabase } from '../../service/local/mariadb.js';
import { buildServer, type AppOptions } from '../../service/src/app.js';
import { parseConfig, type Config, type Env } from '../../service/src/config.js';
import { ErrorBody } from '../../service/src/errors.js';
import { applyMigrations } from '../../service/src/migrations.js';
import { Order } from '../../service/src/orders/order.js';
import type { TestServer } from './global-setup.js';

export const TEST_DB_USER = { username: 'orders_test', password: 'orders-test-password' };

export interface TestWorld {
  /** The variables an ECS task would get, pointing at this world's database and table. */
  env: Env;
  /** Admin connections to this world's database, for seeding and for checking invariants. */
  sql: Pool;
  seedProduct(productId: string, stock: number, priceCents?: number): Promise<void>;
  stockOf(productId: string): Promise<number>;
  reservations(): Promise<{ order_id: string; state: string; quantity: number }[]>;
  close(): Promise<void>;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** A fresh, migrated database on the shared MySQL server and a fresh table on the shared dynalite. */
export async function createWorld(
  server: TestServer = inject('mariadb'),
  dynamoEndpoint: string = inject('dynamoEndpoint'),
): Promise<TestWorld> {
  const database = uniqueName('orders');
  const table = uniqueName('orders');
  await createLocalDatabase(server.admin, { name: database, ...TEST_DB_USER });
  const env: Env = {
    AWS_REGION: 'us-east-1',
    DYNAMO_TABLE: table,
    DYNAMO_ENDPOINT: dynamoEndpoint,
    DB_WRITER_HOST: server.host,
    DB_READER_HOST: server.host,
    DB_PORT: String(server.port),
    DB_TLS: 'off',
    DB_NAME: database,
    DB_CREDENTIALS: JSON.stringify(TEST_DB_USER),
    LOG_LEVEL: 'silent',
  };
  await applyMigrations(parseConfig(env).database);
  await createOrdersTable(dynamoEndpoint, table);
  // A pool, not one connection: it reconnects after a test has stopped and restarted MariaDB.
  const sql = createPool({ ...server.admin, database, connectionLimit: 2 });
  return {
    env,
    sql,
    async seedProduct(productId, stock, priceCents = 1000) {
      await sql.query('INSERT INTO products (product_id, name, price_cents, stock) VALUES (?, ?, ?, ?)', [
        productId,
        `Product ${productId}`,
        priceCents,
        stock,
      ]);
    },
    async stockOf(productId) {
      const [rows] = await sql.query<RowDataPacket[]>('SELECT stock FROM products WHERE product_id = ?', [productId]);
      return Number(rows[0]?.stock);
    },
    async reservations() {
      const [rows] = await sql.query<RowDataPacket[]>(
        `SELECT r.order_id, r.state, COALESCE(SUM(i.quantity), 0) AS quantity
         FROM reservations r LEFT JOIN reservation_items i ON i.order_id = r.order_id
         GROUP BY r.order_id, r.state ORDER BY r.order_id`,
      );
      return rows.map((row) => ({
        order_id: String(row.order_id),
        state: String(row.state),
        quantity: Number(row.quantity),
      }));
    },
    async close() {
      await sql.end();
    },
  };
}

/** Collects the JSON log lines an app writes, to assert on what operators would see. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() !== '') {
        this.lines.push(parseAs(JsonObject, line));
      }
    }
    done();
  }

  messages(): string[] {
    return this.lines.map((line) => String(line.msg));
  }
}

export function configFor(world: TestWorld, overrides: Env = {}): Config {
  return parseConfig({ ...world.env, ...overrides });
}

// Shedding off (0): a test worker on a busy CI machine can stall for a second, and under-pressure
// treats a sample with no measurement as overload. Only the load-shedding test turns it on.
const TEST_PRESSURE_LIMITS = { maxEventLoopDelayMs: 0, sampleIntervalMs: 1_000, retryAfterSeconds: 5 };

export function postOrder(
  app: FastifyInstance,
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return app.inject({ method: 'POST', url: '/orders', payload, headers });
}

/** The app as the server builds it, ready for `inject`; the caller closes it. */
export async function buildApp(
  config: Config,
  options: Omit<AppOptions, 'config'> & { logStream?: NodeJS.WritableStream } = {},
): Promise<FastifyInstance> {
  const app = buildServer({
    config,
    pressure: TEST_PRESSURE_LIMITS,
    reconciler: { intervalMs: 0, minAgeMs: 0, batchSize: 100 },
    ...options,
  });
  await app.ready();
  return app;
}

/** Parses JSON and checks it against a schema, so that a test reads typed fields, not `any`. */
export function parseAs<T extends TSchema>(schema: T, text: string): Static<T> {
  const value: unknown = JSON.parse(text);
  if (!Value.Check(schema, value)) {
    const problems = Value.Errors(schema, value).map((error) => `${error.instancePath} ${error.message}`);
    throw new Error(`unexpected JSON (${problems.join('; ')}): ${text}`);
  }
  return value;
}

/** Any JSON object: a log line, whose fields vary by message. */
export const JsonObject = Type.Record(Type.String(), Type.Unknown());

/** A response as `app.inject` and the tests' own clients give it. */
interface Answer {
  body: string;
}

export const orderIn = (response: Answer): Order => parseAs(Order, response.body);
export const errorIn = (response: Answer): ErrorBody => parseAs(ErrorBody, response.body);

export const CustomerPage = Type.Object({ orders: Type.Array(Order), nextCursor: Type.Optional(Type.String()) });
