import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { createConnection, createPool, type Pool, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  createLocalDatabase,
  rootOverSocket,
  startLocalMariaDb,
  type LocalMariaDb,
} from '../../service/local/mariadb.js';
import { parseConfig } from '../../service/src/config.js';
import { WRITER_UNREACHABLE_LOG } from '../../service/src/contract.js';
import { applyMigrations } from '../../service/src/migrations.js';
import { Health } from '../../service/src/routes/health.js';
import {
  buildApp,
  configFor,
  createWorld,
  errorIn,
  LogCapture,
  orderIn,
  parseAs,
  postOrder,
  TEST_DB_USER,
  type TestWorld,
} from './helpers.js';

/**
 * A task of a secondary region, as in AWS: its reader is a MariaDB of its own (read-only, like an
 * Aurora replica: this file's server), and its writer is another server (the shared one) that it
 * reaches only through `Link`, a TCP path on another address (127.0.0.2) standing in for the
 * inter-region peering to the global writer endpoint. The link can be cut (connections refused,
 * open ones broken), made to swallow packets, or pointed at another instance (a failover's DNS
 * change), while the reader and DynamoDB stay up.
 */
const WRITER_ADDRESS = '127.0.0.2';
const REGION = 'eu-west-1';
const STOCK = 50;

interface Address {
  host: string;
  port: number;
}

class Link {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** `blackhole`: connections are accepted and never answered, as on a path that drops packets. */
  mode: 'forward' | 'blackhole' = 'forward';
  /** Connections carried to the target since the start. */
  carried = 0;

  constructor(
    private readonly listenOn: Address,
    public target: Address,
  ) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      this.track(client);
      if (this.mode === 'blackhole') {
        return;
      }
      this.carried++;
      const upstream = this.track(connect(this.target.port, this.target.host));
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenOn.port, this.listenOn.host, () => resolve());
    });
    this.server = server;
  }

  /** The path is gone: new connections are refused, open ones broken. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await this.breakOpenConnections();
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  }

  /**
   * Breaks every connection on the path, then lets the loop turn a few times so that the
   * service's end of each sees its close (and the pool drops it) before the test goes on.
   */
  async breakOpenConnections(): Promise<void> {
    for (const socket of this.sockets) {
      socket.destroy();
    }
    this.sockets.clear();
    await sleep(100);
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.sockets.delete(socket);
      for (const other of this.sockets) {
        // A pair ends together: the other end of a broken connection is closed too.
        if (other.remotePort === undefined || other.destroyed) {
          this.sockets.delete(other);
        }
      }
    });
    return socket;
  }
}

let baseDir: string;
let readerServer: LocalMariaDb;
let reader: Pool;
let world: TestWorld;
let link: Link;
let app: FastifyInstance;
let logs: LogCapture;

const writerLines = () => logs.lines.filter((line) => line.event === WRITER_UNREACHABLE_LOG.event);
const health = async () => {
  const response = await app.inject({ method: 'GET', url: '/health' });
  return { statusCode: response.statusCode, body: parseAs(Health, response.body) };
};
const order = { customerId: 'secondary', items: [{ productId: 'globe', quantity: 1 }] };
/** A reservation's state on the writer. */
const stateOf = async (orderId: string) => {
  const [rows] = await world.sql.query<RowDataPacket[]>('SELECT state FROM reservations WHERE order_id = ?', [orderId]);
  return String(rows[0]?.state);
};

beforeAll(async () => {
  world = await createWorld();
  await world.seedProduct('globe', STOCK);

  // The secondary region's reader: the same schema and catalogue (as replication would give it),
  // then read-only, as an Aurora replica is.
  baseDir = await mkdtemp(join(tmpdir(), 'orders-writer-mariadb-'));
  readerServer = await startLocalMariaDb(baseDir);
  const admin = rootOverSocket(readerServer.socketPath);
  await createLocalDatabase(admin, { name: world.env.DB_NAME ?? '', ...TEST_DB_USER });
  await applyMigrations(
    parseConfig({ ...world.env, DB_WRITER_HOST: readerServer.host, DB_PORT: String(readerServer.port) }).database,
  );
  reader = createPool({ ...admin, database: world.env.DB_NAME, connectionLimit: 2 });
  await reader.query('INSERT INTO products (product_id, name, price_cents, stock) VALUES (?, ?, ?, ?)', [
    'globe',
    'Product globe',
    1000,
    STOCK,
  ]);
  await reader.query('SET GLOBAL read_only = ON');

  // The writer, reached on another address with the reader's port (the service has one DB_PORT).
  const shared = inject('mariadb');
  link = new Link({ host: WRITER_ADDRESS, port: readerServer.port }, { host: shared.host, port: shared.port });
  await link.open();

  logs = new LogCapture();
  app = await buildApp(
    configFor(world, {
      AWS_REGION: REGION,
      DB_READER_HOST: readerServer.host,
      DB_WRITER_HOST: WRITER_ADDRESS,
      DB_PORT: String(readerServer.port),
      LOG_LEVEL: 'warn',
    }),
    { logStream: logs },
  );
});

afterAll(async () => {
  await app?.close();
  await link?.cut();
  await reader?.end();
  await world?.close();
  await readerServer?.stop();
  if (baseDir !== undefined) {
    await rm(baseDir, { recursive: true, force: true });
  }
});

beforeEach(() => {
  logs.lines.splice(0);
});

describe('a secondary region writes through the writer endpoint it is configured with', () => {
  it('reserves stock on the writer, never on its read-only reader, and logs no writer failure', async () => {
    const healthy = await health();
    expect(healthy.statusCode).toBe(200);
    expect(healthy.body.checks).toMatchObject({
      dynamodb: { status: 'up' },
      mysqlReader: { status: 'up' },
      mysqlWriter: { status: 'up' },
    });

    const response = await postOrder(app, order);
    expect(response.statusCode).toBe(201);
    const created = orderIn(response);
    expect(created.homeRegion).toBe(REGION);

    // On the writer: the reservation, recorded for this region, and the stock taken.
    const [onWriter] = await world.sql.query<RowDataPacket[]>('SELECT region FROM reservations WHERE order_id = ?', [
      created.orderId,
    ]);
    expect(onWriter.map((row) => String(row.region))).toEqual([REGION]);
    expect(await world.stockOf('globe')).toBe(STOCK - 1);
    expect(link.carried).toBeGreaterThan(0);
    // The background mark that the order reached DynamoDB goes to the writer too.
    await expect.poll(() => stateOf(created.orderId)).toBe('committed');

    // On the reader: nothing. It refuses the service's user any write, so a reservation sent
    // there could not have succeeded; and catalogue reads do come from it (its stock is unchanged).
    const [onReader] = await reader.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM reservations');
    expect(Number(onReader[0]?.n)).toBe(0);
    const asService = await createConnection({
      host: readerServer.host,
      port: readerServer.port,
      database: world.env.DB_NAME,
      user: TEST_DB_USER.username,
      password: TEST_DB_USER.password,
    });
    try {
      await expect(
        asService.query("UPDATE products SET stock = stock - 1 WHERE product_id = 'globe'"),
      ).rejects.toMatchObject({ code: 'ER_OPTION_PREVENTS_STATEMENT' });
    } finally {
      await asService.end();
    }
    const product = await app.inject({ method: 'GET', url: '/products/globe' });
    expect(product.json()).toMatchObject({ productId: 'globe', stock: STOCK });

    expect(writerLines()).toEqual([]);
  });
});

describe('the writer unreachable from this region', () => {
  it('logs one writer_unreachable line per failed attempt, fails /health naming the writer, and recovers', async () => {
    await link.cut();
    try {
      const down = await health();
      expect(down.statusCode).toBe(503);
      expect(down.body).toMatchObject({
        status: 'unavailable',
        region: REGION,
        checks: { dynamodb: { status: 'up' }, mysqlReader: { status: 'up' }, mysqlWriter: { status: 'down' } },
      });

      const refused = await postOrder(app, order);
      expect(refused.statusCode).toBe(503);
      expect(errorIn(refused).code).toBe('DEPENDENCY_UNAVAILABLE');
      // Reads are still served from this region's reader.
      expect((await app.inject({ method: 'GET', url: '/products/globe' })).statusCode).toBe(200);

      // One line for the probe's attempt and one for the order's, in the contract's shape.
      const lines = writerLines();
      expect(lines, JSON.stringify(lines)).toHaveLength(2);
      for (const line of lines) {
        expect(line).toMatchObject({
          ...WRITER_UNREACHABLE_LOG,
          level: 40,
          writerHost: WRITER_ADDRESS,
          reason: 'connect',
          code: 'ECONNREFUSED',
        });
      }
      expect(lines.map((line) => line.operation).sort()).toEqual(['ping', 'statement']);
    } finally {
      await link.open();
    }

    await expect.poll(async () => (await health()).statusCode).toBe(200);
    const seen = writerLines().length;
    const recovered = await postOrder(app, order);
    expect(recovered.statusCode).toBe(201);
    // Its reservation is marked committed in the background, over the restored path too.
    await expect.poll(() => stateOf(orderIn(recovered).orderId)).toBe('committed');
    expect((await health()).statusCode).toBe(200);
    expect(writerLines()).toHaveLength(seen);
  });

  it('gives up on a path that swallows packets within the probe timeout, and logs the timed-out connect', async () => {
    link.mode = 'blackhole';
    await link.breakOpenConnections();
    try {
      const started = performance.now();
      const down = await health();
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(down.statusCode).toBe(503);
      expect(down.body.checks.mysqlWriter.status).toBe('down');
      expect(down.body.checks.mysqlReader.status).toBe('up');
      // The connection attempt itself fails at the pool's 2 s connect timeout, and says so once.
      await expect.poll(() => writerLines(), { timeout: 5_000 }).toHaveLength(1);
      expect(writerLines()[0]).toMatchObject({
        ...WRITER_UNREACHABLE_LOG,
        reason: 'connect',
        code: 'ETIMEDOUT',
        operation: 'ping',
      });
    } finally {
      link.mode = 'forward';
    }
    await expect.poll(async () => (await health()).statusCode).toBe(200);
  });

  it('treats a writer endpoint that answers from a read-only instance (a failover in progress) as unreachable', async () => {
    const writerTarget = link.target;
    link.target = { host: readerServer.host, port: readerServer.port };
    await link.breakOpenConnections();
    try {
      const down = await health();
      expect(down.statusCode).toBe(503);
      expect(down.body.checks.mysqlWriter.status).toBe('down');
      const refused = await postOrder(app, order);
      expect(refused.statusCode).toBe(503);
      expect(errorIn(refused).code).toBe('DEPENDENCY_UNAVAILABLE');
      const lines = writerLines();
      expect(lines, JSON.stringify(lines)).toHaveLength(2);
      expect(lines.map((line) => [line.reason, line.operation]).sort()).toEqual([
        ['read_only', 'ping'],
        ['read_only', 'statement'],
      ]);
    } finally {
      link.target = writerTarget;
    }
    await expect.poll(async () => (await health()).statusCode).toBe(200);
    expect((await postOrder(app, order)).statusCode).toBe(201);
  });
});
