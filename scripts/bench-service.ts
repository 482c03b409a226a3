/**
 * `npm run bench:service`: the orders service under autocannon on loopback, in one run.
 *
 * Scenarios, each a 1 s warm-up then a 5 s measurement at 50 connections (1 and 2 instead run
 * as nine back-to-back pairs of 3 s rounds, alternating which goes first, and report the pair
 * with the median ratio):
 *   1. a bare Fastify route (the ceiling this machine allows a Node HTTP server),
 *   2. GET /health/live (the ALB's target check),
 *   3. GET /orders/:id (DynamoDB, here dynalite): the latency target at 50 connections,
 *   4. GET /orders/:id at 50 connections, paced at 60 % of the rate 3 reached: about the load a
 *      task carries when auto scaling holds its CPU at the deployment's default target,
 *   5. GET /orders/:id over one connection: the service time without queueing, for comparison,
 *   6. POST /orders (MySQL reservation on MariaDB, then DynamoDB), followed by an oversell audit.
 * Each server runs in its own process (the service's own entry point, with its production logging
 * to /dev/null), so autocannon does not share their event loop. Beside each scenario's rate and
 * latency the report shows the CPU time every process spent per request (from /proc): on a
 * machine where the load generator, the service and its stand-in stores share two cores, that is
 * what says which of them sets the limit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { createOrdersTable } from '../service/local/dynamodb.js';
import { createLocalDatabase, freePort, startLocalMariaDb } from '../service/local/mariadb.js';
import { parseMigrationConfig } from '../service/src/config.js';
import { applyMigrations } from '../service/src/migrations.js';
import { connectionOptions } from '../service/src/plugins/mysql.js';
import { DEFAULT_SETTINGS } from '../config/index.js';

const CONNECTIONS = 50;
const WARMUP_SECONDS = 1;
const MEASURE_SECONDS = 5;
const INTERLEAVED_ROUNDS = 9;
const INTERLEAVED_SECONDS = 3;
const PRODUCTS = 20;
const STOCK_PER_PRODUCT = 100_000;
const ORDERS_FOR_READS = 500;
const TABLE = 'orders-bench';
const REGION = 'us-east-1';

const TARGETS = { livenessShareOfBare: 0.8, getP99Ms: 15, postRequestsPerSecond: 300 };
// Auto scaling adds tasks before one runs hotter than this, so it is the heaviest load a task
// serves for long in production.
const SCALING_CPU_PERCENT = DEFAULT_SETTINGS.service.scaleOnCpuPercent;

const BARE_MODE = 'bare-server';

/** The ceiling: Fastify with one route and nothing else, in a process of its own. */
async function runBareServer(port: number): Promise<void> {
  const app = Fastify();
  // A promise, as from the service's async handlers, so the ceiling takes the same reply path.
  app.get('/', () => Promise.resolve({ status: 'ok' }));
  await app.listen({ host: '127.0.0.1', port });
}

function child(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn(command, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function waitForHttp(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const response = await fetch(url).catch(() => undefined);
    if (response !== undefined) {
      return;
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer within 30 s`);
}

function randomItem<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

// Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ) in /proc/<pid>/stat.
const TICK_MS = 10;

/** CPU time (user + system) a process has used so far, in ms; undefined where /proc is missing. */
function cpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/** The processes a request passes through, whose CPU time per request the report shows. */
interface Processes {
  server: number;
  dynalite: number;
  mariadb: number;
}
const PROCESS_NAMES = ['server', 'dynalite', 'mariadb', 'load generator'] as const;

/** What a load generator saw over one run. */
interface Outcome {
  requestsPerSecond: number;
  completed: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
}

interface Scenario {
  title: string;
  outcome: Outcome;
  /** CPU ms per request of each process in PROCESS_NAMES order, over the measured seconds. */
  cpuPerRequest: (number | undefined)[];
}

interface HttpCall {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

/** What one scenario loads, and the processes its requests pass through. */
interface Target {
  title: string;
  url: string;
  processes: Processes;
  /** The next request to send; GET of `url` when absent. */
  nextCall?: () => HttpCall;
}

function headersFor(call: HttpCall): Record<string, string> {
  return call.body === undefined ? {} : { 'content-type': 'application/json' };
}

type Load = (target: Target, seconds: number) => Promise<Outcome>;

/** A closed loop: each connection sends its next request as soon as the previous answer arrives. */
function closedLoop(connections = CONNECTIONS): Load {
  return async (target, seconds) => {
    const { nextCall } = target;
    const result = await autocannon({
      url: target.url,
      connections,
      duration: seconds,
      ...(nextCall === undefined
        ? {}
        : {
            requests: [
              {
                setupRequest: (request) => {
                  const call = nextCall();
                  return { ...request, ...call, headers: { ...request.headers, ...headersFor(call) } };
                },
              },
            ],
          }),
    });
    return {
      requestsPerSecond: result.requests.average,
      completed: result.requests.total,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
    };
  };
}

function percentile(sorted: number[], fraction: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)]!;
}

/**
 * An open loop: requests leave at an even `rate`, whatever the answers do, over at most
 * `connections` keep-alive sockets (a request waits for a free one). autocannon's own rate limit
 * sends each second's quota in a burst, which measures the burst, not the rate. Latency counts
 * from when a request was due, so time spent waiting for a socket (or for this process's timer)
 * is charged to it; failed requests count as errors and with the time they took.
 */
function paced(rate: number, connections = CONNECTIONS): Load {
  return async (target, seconds) => {
    const agent = new Agent({ keepAlive: true, maxSockets: connections });
    const latencies: number[] = [];
    let errors = 0;
    let non2xx = 0;
    const send = (call: HttpCall, due: number) =>
      new Promise<void>((resolve) => {
        let settled = false;
        const settle = (failed: boolean) => {
          if (!settled) {
            settled = true;
            latencies.push(performance.now() - due);
            errors += failed ? 1 : 0;
            resolve();
          }
        };
        const request = httpRequest(new URL(call.path, target.url), {
          agent,
          method: call.method,
          headers: headersFor(call),
          timeout: 10_000,
        });
        request.on('response', (response) => {
          non2xx += response.statusCode !== undefined && response.statusCode < 300 ? 0 : 1;
          response.on('end', () => settle(false));
          response.on('error', () => settle(true));
          response.on('close', () => settle(!response.complete));
          response.resume();
        });
        request.on('timeout', () => request.destroy(new Error('timed out')));
        request.on('error', () => settle(true));
        request.end(call.body);
      });
    const nextCall = target.nextCall ?? (() => ({ method: 'GET' as const, path: new URL(target.url).pathname }));
    const started = performance.now();
    const sent: Promise<void>[] = [];
    for (let index = 0; index < Math.round(rate * seconds); index++) {
      const due = started + (index * 1000) / rate;
      const wait = due - performance.now();
      if (wait >= 1) {
        await sleep(wait);
      }
      sent.push(send(nextCall(), due));
    }
    await Promise.all(sent);
    const elapsedSeconds = (performance.now() - started) / 1000;
    agent.destroy();
    latencies.sort((a, b) => a - b);
    const completed = latencies.length - errors;
    return {
      requestsPerSecond: completed / elapsedSeconds,
      completed,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      errors,
      non2xx,
    };
  };
}

/** Runs one load, with each process's CPU time charged to the requests it completed. */
async function run(target: Target, seconds: number, load: Load = closedLoop()): Promise<Scenario> {
  const { server, dynalite, mariadb } = target.processes;
  const pids = [server, dynalite, mariadb];
  const before = pids.map(cpuMs);
  const selfBefore = process.cpuUsage();
  const outcome = await load(target, seconds);
  const self = process.cpuUsage(selfBefore);
  const spent = [
    ...pids.map((pid, index) => {
      const [start, end] = [before[index], cpuMs(pid)];
      return start === undefined || end === undefined ? undefined : end - start;
    }),
    (self.user + self.system) / 1000,
  ];
  return {
    title: target.title,
    outcome,
    cpuPerRequest: spent.map((ms) =>
      ms === undefined || outcome.completed === 0 ? undefined : ms / outcome.completed,
    ),
  };
}

/** A warm-up, then the measured run. */
async function measure(target: Target, load: Load = closedLoop()): Promise<Scenario> {
  await run(target, WARMUP_SECONDS, load);
  return run(target, MEASURE_SECONDS, load);
}

/**
 * The ceiling and a route measured against it in back-to-back pairs of rounds. On a shared
 * machine the speed drifts between rounds, so the share is the median of each pair's own ratio,
 * and the rows shown are the pair that gave it.
 */
async function measureAgainstCeiling(
  ceiling: Target,
  subject: Target,
): Promise<{ ceiling: Scenario; subject: Scenario; share: number; allShares: number[] }> {
  await run(ceiling, WARMUP_SECONDS);
  await run(subject, WARMUP_SECONDS);
  const pairs: { ceiling: Scenario; subject: Scenario; share: number }[] = [];
  for (let index = 0; index < INTERLEAVED_ROUNDS; index++) {
    // Alternating which goes first, so that neither always runs on the machine as the other left it.
    const ceilingFirst = index % 2 === 0;
    const first = await run(ceilingFirst ? ceiling : subject, INTERLEAVED_SECONDS);
    const second = await run(ceilingFirst ? subject : ceiling, INTERLEAVED_SECONDS);
    const [measuredCeiling, measuredSubject] = ceilingFirst ? [first, second] : [second, first];
    pairs.push({
      ceiling: measuredCeiling,
      subject: measuredSubject,
      share: measuredSubject.outcome.requestsPerSecond / measuredCeiling.outcome.requestsPerSecond,
    });
  }
  pairs.sort((a, b) => a.share - b.share);
  return { ...pairs[Math.floor(pairs.length / 2)]!, allShares: pairs.map((pair) => pair.share) };
}

function row({ title, outcome, cpuPerRequest }: Scenario): string {
  const cells = [
    outcome.requestsPerSecond.toFixed(0),
    outcome.p50Ms.toFixed(1),
    outcome.p99Ms.toFixed(1),
    String(outcome.errors),
    String(outcome.non2xx),
    ...cpuPerRequest.map((ms) => (ms === undefined ? '-' : ms.toFixed(2))),
  ];
  return `${title.padEnd(24)}${cells.map((cell) => cell.padStart(10)).join('')}`;
}

/**
 * What the CPU figures allow: in a closed loop, C connections at a latency of L need C / L
 * requests per second (Little's law), and every request costs the sum of its processes' CPU.
 */
function cpuCeiling({ cpuPerRequest }: Scenario): string {
  const perRequest = cpuPerRequest.reduce<number>((sum, ms) => sum + (ms ?? 0), 0);
  const needed = CONNECTIONS / (TARGETS.getP99Ms / 1000);
  const cores = cpus().length;
  return (
    `${CONNECTIONS} connections at ${TARGETS.getP99Ms} ms need at least ${needed.toFixed(0)} req/s, while ` +
    `${perRequest.toFixed(2)} CPU ms per request allow at most ${((cores * 1000) / perRequest).toFixed(0)} req/s ` +
    `on ${cores} cores, and the service's own ${cpuPerRequest[0]?.toFixed(2)} ms at most ` +
    `${(1000 / (cpuPerRequest[0] ?? Number.NaN)).toFixed(0)} req/s on its one event loop`
  );
}

interface Audit {
  ordersInDynamo: number;
  reservations: number;
  reservedUnits: number;
  unitsTakenFromStock: number;
  heldReservations: number;
  negativeStock: number;
}

async function audit(dynamoEndpoint: string, database: ReturnType<typeof parseMigrationConfig>): Promise<Audit> {
  const client = new DynamoDBClient({
    region: REGION,
    endpoint: dynamoEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let ordersInDynamo = 0;
  for await (const page of paginateScan({ client }, { TableName: TABLE, Select: 'COUNT' })) {
    ordersInDynamo += page.Count ?? 0;
  }
  client.destroy();
  const sql = await createConnection(connectionOptions(database));
  try {
    const [[reservations]] = await sql.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS count, SUM(state = 'held') AS held,
              (SELECT COALESCE(SUM(quantity), 0) FROM reservation_items) AS units
       FROM reservations`,
    );
    const [[stock]] = await sql.query<RowDataPacket[]>(
      'SELECT SUM(? - stock) AS taken, SUM(stock < 0) AS negative FROM products',
      [STOCK_PER_PRODUCT],
    );
    return {
      ordersInDynamo,
      reservations: Number(reservations!.count),
      reservedUnits: Number(reservations!.units),
      unitsTakenFromStock: Number(stock!.taken),
      heldReservations: Number(reservations!.held ?? 0),
      negativeStock: Number(stock!.negative ?? 0),
    };
  } finally {
    await sql.end();
  }
}

async function main(): Promise<number> {
  const [loadBefore] = loadavg() as [number];
  const children: ChildProcess[] = [];
  const baseDir = await mkdtemp(join(tmpdir(), 'orders-bench-'));
  const mariadb = await startLocalMariaDb(baseDir);
  try {
    const credentials = { username: 'orders_bench', password: 'orders-bench-password' };
    await createLocalDatabase(mariadb.socketPath, { name: 'orders_bench', ...credentials });
    const env = {
      AWS_REGION: REGION,
      DYNAMO_TABLE: TABLE,
      DB_WRITER_HOST: mariadb.host,
      DB_READER_HOST: mariadb.host,
      DB_PORT: String(mariadb.port),
      DB_NAME: 'orders_bench',
      DB_CREDENTIALS: JSON.stringify(credentials),
      // The throwaway MariaDB listens on loopback without TLS.
      DB_TLS: 'off',
    };
    const database = parseMigrationConfig(env);
    await applyMigrations(database);
    const productIds = Array.from({ length: PRODUCTS }, (_, index) => `bench-product-${index}`);
    const sql = await createConnection(connectionOptions(database));
    await sql.query('INSERT INTO products (product_id, name, price_cents, stock) VALUES ?', [
      productIds.map((productId) => [productId, productId, 1000, STOCK_PER_PRODUCT]),
    ]);
    await sql.end();

    const dynamoPort = await freePort();
    const dynalite = require.resolve('dynalite/cli.js');
    const dynaliteProcess = child(process.execPath, [
      dynalite,
      '--host',
      '127.0.0.1',
      '--port',
      String(dynamoPort),
      '--createTableMs',
      '0',
    ]);
    children.push(dynaliteProcess);
    const dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;
    await waitForHttp(dynamoEndpoint);
    await createOrdersTable(dynamoEndpoint, TABLE, REGION);

    const barePort = await freePort();
    const bareProcess = child(process.execPath, [...process.execArgv, __filename, BARE_MODE, String(barePort)]);
    children.push(bareProcess);
    const servicePort = await freePort();
    const serviceProcess = child(process.execPath, ['--import', 'tsx', 'service/src/server.ts'], {
      ...process.env,
      ...env,
      DYNAMO_ENDPOINT: dynamoEndpoint,
      HOST: '127.0.0.1',
      PORT: String(servicePort),
      LOG_LEVEL: 'info',
    });
    children.push(serviceProcess);
    const bare = `http://127.0.0.1:${barePort}`;
    const service = `http://127.0.0.1:${servicePort}`;
    await Promise.all([waitForHttp(bare), waitForHttp(`${service}/health/live`)]);

    const orderIds: string[] = [];
    for (let index = 0; index < ORDERS_FOR_READS; index++) {
      const response = await fetch(`${service}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          customerId: `reader-${index % 50}`,
          items: [{ productId: randomItem(productIds), quantity: 1 }],
        }),
      });
      orderIds.push(((await response.json()) as { orderId: string }).orderId);
    }

    const mariadbPid = Number(await readFile(join(baseDir, 'mysqld.pid'), 'utf8'));
    const onService: Processes = { server: serviceProcess.pid!, dynalite: dynaliteProcess.pid!, mariadb: mariadbPid };
    const onBare: Processes = { ...onService, server: bareProcess.pid! };
    const liveness = await measureAgainstCeiling(
      { title: 'bare Fastify route', url: bare, processes: onBare },
      { title: 'GET /health/live', url: `${service}/health/live`, processes: onService },
    );
    const readTarget: Target = {
      title: 'GET /orders/:id',
      url: service,
      processes: onService,
      nextCall: () => ({ method: 'GET', path: `/orders/${randomItem(orderIds)}` }),
    };
    const get = await measure(readTarget);
    const operatingRate = Math.max(1, Math.round((get.outcome.requestsPerSecond * SCALING_CPU_PERCENT) / 100));
    const getAtOperatingLoad = await measure(
      { ...readTarget, title: `GET /orders/:id, ${SCALING_CPU_PERCENT}% rate` },
      paced(operatingRate),
    );
    const getAlone = await measure({ ...readTarget, title: 'GET /orders/:id, 1 conn' }, closedLoop(1));
    const post = await measure({
      title: 'POST /orders',
      url: service,
      processes: onService,
      nextCall: () => ({
        method: 'POST',
        path: '/orders',
        body: JSON.stringify({
          customerId: `buyer-${Math.floor(Math.random() * 1000)}`,
          items: [{ productId: randomItem(productIds), quantity: 1 + Math.floor(Math.random() * 3) }],
        }),
      }),
    });
    const scenarios = [liveness.ceiling, liveness.subject, get, getAtOperatingLoad, getAlone, post];
    // autocannon stops with requests still in flight. The two stores are counted one after the
    // other, so the books are read until two readings half a second apart agree: the server has
    // finished those requests and nothing is moving any more.
    let books = await audit(dynamoEndpoint, database);
    for (let waited = 0; waited < 15_000; waited += 500) {
      await sleep(500);
      const again = await audit(dynamoEndpoint, database);
      const settled = JSON.stringify(again) === JSON.stringify(books);
      books = again;
      if (settled) {
        break;
      }
    }

    console.log(
      `orders service benchmark: Node ${process.version}, ${
        cpus().length
      } CPUs, loopback, ${CONNECTIONS} connections, ` +
        `${MEASURE_SECONDS} s per scenario after a ${WARMUP_SECONDS} s warm-up (bare route and liveness: the median of ` +
        `${INTERLEAVED_ROUNDS} back-to-back pairs of ${INTERLEAVED_SECONDS} s rounds); ` +
        `load average before the run ${loadBefore.toFixed(2)} (other work on the machine skews every figure)`,
    );
    const cpuHeaders = PROCESS_NAMES.map((name) => name.split(' ')[0]!);
    console.log(`${''.padEnd(74)}CPU ms per request: ${PROCESS_NAMES.join(', ')}`);
    console.log(
      `${'scenario'.padEnd(24)}${['req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', ...cpuHeaders]
        .map((h) => h.padStart(10))
        .join('')}`,
    );
    scenarios.forEach((scenario) => console.log(row(scenario)));

    const { share, allShares } = liveness;
    const postErrors = post.outcome.errors + post.outcome.non2xx;
    const consistent =
      books.ordersInDynamo === books.reservations &&
      books.reservedUnits === books.unitsTakenFromStock &&
      books.heldReservations === 0 &&
      books.negativeStock === 0;
    const checks: [boolean, string][] = [
      [
        share >= TARGETS.livenessShareOfBare,
        `liveness >= 80% of the bare route: ${(share * 100).toFixed(1)}% (the pairs: ${allShares
          .map((pairShare) => (pairShare * 100).toFixed(1))
          .join(', ')})`,
      ],
      [
        get.outcome.p99Ms <= TARGETS.getP99Ms,
        `GET /orders/:id p99 <= 15 ms at ${CONNECTIONS} connections: ${get.outcome.p99Ms} ms at ` +
          `${get.outcome.requestsPerSecond.toFixed(0)} req/s (one connection: p99 ${getAlone.outcome.p99Ms} ms); ` +
          `${cpuCeiling(get)}. Paced at ${operatingRate} req/s (${SCALING_CPU_PERCENT}% of that rate, as auto scaling ` +
          `holds a task's CPU) over ${CONNECTIONS} connections: p99 ${getAtOperatingLoad.outcome.p99Ms.toFixed(1)} ms`,
      ],
      [
        post.outcome.requestsPerSecond >= TARGETS.postRequestsPerSecond && postErrors === 0,
        `POST /orders >= 300 req/s with zero errors: ${post.outcome.requestsPerSecond.toFixed(0)} req/s, ` +
          `${post.outcome.errors} errors, ${post.outcome.non2xx} non-2xx`,
      ],
      [
        consistent,
        `no oversell: ${books.ordersInDynamo} orders in DynamoDB, ${books.reservations} reservations ` +
          `(${books.heldReservations} held), ${books.reservedUnits} units reserved = ${books.unitsTakenFromStock} ` +
          `units taken from stock, ${books.negativeStock} products below zero`,
      ],
    ];
    console.log('targets');
    checks.forEach(([passed, text]) => console.log(`  ${passed ? 'PASS' : 'MISS'} ${text}`));
    return checks.every(([passed]) => passed) ? 0 : 1;
  } finally {
    children.forEach((process) => process.kill('SIGTERM'));
    await mariadb.stop();
    await rm(baseDir, { recursive: true, force: true });
  }
}

// The root package is CommonJS to TypeScript, so no top-level await here.
if (process.argv[2] === BARE_MODE) {
  void runBareServer(Number(process.argv[3]));
} else {
  void main().then((exitCode) => {
    process.exitCode = exitCode;
  });
}
