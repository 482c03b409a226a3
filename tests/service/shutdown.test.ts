import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../service/local/mariadb.js';
import { createWorld, type TestWorld } from './helpers.js';

let world: TestWorld;
let server: ChildProcess | undefined;

beforeAll(async () => {
  world = await createWorld();
  await world.seedProduct('slow-seller', 5);
});

afterAll(async () => {
  server?.kill('SIGKILL');
  await world?.close();
});

/** The real entry point, as `node dist/server.js` runs in the container (tsx compiles on load). */
function startServer(port: number): { child: ChildProcess; logs: Record<string, unknown>[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'service/src/server.ts'], {
    env: { ...process.env, ...world.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    lines.filter((line) => line.startsWith('{')).forEach((line) => logs.push(JSON.parse(line)));
  });
  child.stderr!.resume();
  return { child, logs };
}

describe('graceful shutdown', () => {
  it('on SIGTERM stops accepting connections, lets a slow in-flight request finish, then exits 0', async () => {
    const port = await freePort();
    const started = startServer(port);
    server = started.child;
    const base = `http://127.0.0.1:${port}`;
    await expect
      .poll(async () => (await fetch(`${base}/health/live`).catch(() => undefined))?.status, { timeout: 20_000 })
      .toBe(200);

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
    const order = (await response.json()) as { orderId: string };

    const [code] = await Promise.race([exited, sleep(10_000).then(() => ['still running'])]);
    expect(code).toBe(0);
    const messages = started.logs.map((line) => line.msg);
    expect(messages).toContain('shutting down: finishing in-flight requests');
    expect(messages).toContain('shutdown complete');
    expect(await world.stockOf('slow-seller')).toBe(4);
    expect(await world.reservations()).toEqual([{ order_id: order.orderId, state: 'committed', quantity: 1 }]);
  });
});
