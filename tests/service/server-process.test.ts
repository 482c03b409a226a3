import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../service/local/mariadb.js';
import { createWorld, JsonObject, orderIn, parseAs, type TestWorld } from './helpers.js';

let world: TestWorld;
let server: ChildProcess;
let logs: Record<string, unknown>[];
let base: string;

/** The real entry point, as `node dist/server.js` runs in the container (tsx compiles on load). */
function startServer(port: number): { child: ChildProcess; logs: Record<string, unknown>[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'service/src/server.ts'], {
    env: { ...process.env, ...world.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    complete.filter((line) => line.startsWith('{')).forEach((line) => lines.push(parseAs(JsonObject, line)));
  });
  child.stderr.resume();
  return { child, logs: lines };
}

beforeAll(async () => {
  world = await createWorld();
  await world.seedProduct('slow-seller', 5);
  const port = await freePort();
  ({ child: server, logs } = startServer(port));
  base = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(100)) {
    if ((await fetch(`${base}/health/live`).catch(() => undefined))?.status === 200) {
      return;
    }
  }
  throw new Error('the server did not start within 20 s');
});

afterAll(async () => {
  server?.kill('SIGKILL');
  await world?.close();
});

/** Raw HTTP/1.1 on one socket, so that the test controls exactly when the connection is reused. */
function keepAliveClient(port: number) {
  const socket = connect(port, '127.0.0.1');
  const responses: string[] = [];
  socket.on('data', (chunk: Buffer) => responses.push(chunk.toString()));
  const closed = once(socket, 'close').then(() => true);
  return {
    responses,
    closed,
    request: () => socket.write('GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n'),
    end: () => socket.end(),
  };
}

describe('keep-alive', () => {
  it('keeps an idle connection open well past the request timeout, advertising more than the ALB idle 60 s', async () => {
    const client = keepAliveClient(Number(new URL(base).port));
    client.request();
    await expect.poll(() => client.responses.length).toBe(1);
    expect(client.responses[0]).toMatch(/^HTTP\/1\.1 200 /);
    expect(client.responses[0]).toMatch(/keep-alive: timeout=72/i);

    // Idle for longer than the 10 s request timeout: the ALB may reuse the socket at any time.
    const closedEarly = await Promise.race([client.closed, sleep(11_000).then(() => false)]);
    expect(closedEarly).toBe(false);
    client.request();
    await expect.poll(() => client.responses.length).toBe(2);
    expect(client.responses[1]).toMatch(/^HTTP\/1\.1 200 /);
    client.end();
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM stops accepting connections, lets a slow in-flight request finish, then exits 0', async () => {
    // A row lock held by another session makes the create wait inside its MySQL transaction.
    const locker = await world.sql.getConnection();
    await locker.beginTransaction();
    await locker.query("SELECT stock FROM products WHERE product_id = 'slow-seller' FOR UPDATE");
    const slowRequest = fetch(`${base}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'patient', items: [{ productId: 'slow-seller', quantity: 1 }] }),
    });
    await sleep(500);

    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    await sleep(500);
    await expect(fetch(`${base}/health/live`)).rejects.toThrow();

    await locker.rollback();
    locker.release();
    const response = await slowRequest;
    expect(response.status).toBe(201);
    const order = orderIn({ body: await response.text() });

    const [code] = await Promise.race([exited, sleep(10_000).then(() => ['still running'])]);
    expect(code).toBe(0);
    const messages = logs.map((line) => line.msg);
    expect(messages).toContain('shutting down: finishing in-flight requests');
    expect(messages).toContain('shutdown complete');
    expect(await world.stockOf('slow-seller')).toBe(4);
    expect(await world.reservations()).toEqual([{ order_id: order.orderId, state: 'committed', quantity: 1 }]);
  });
});
