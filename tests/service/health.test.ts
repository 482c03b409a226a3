import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Health } from '../../service/src/routes/health.js';
import { buildApp, configFor, createWorld, errorIn, LogCapture, parseAs, type TestWorld } from './helpers.js';

const TOKEN = 'drill-token-0123456789';
const authorized = { authorization: `Bearer ${TOKEN}` };

const putDrill = (payload: Record<string, unknown>) =>
  app.inject({ method: 'PUT', url: '/health/drill', headers: authorized, payload });

let world: TestWorld;
let app: FastifyInstance;
let logs: LogCapture;

beforeAll(async () => {
  world = await createWorld();
  logs = new LogCapture();
  app = await buildApp(configFor(world, { DRILL_TOKEN: TOKEN, LOG_LEVEL: 'info' }), { logStream: logs });
});

afterAll(async () => {
  await app?.close();
  await world?.close();
});

describe('GET /health and /health/live', () => {
  it('reports the region and every dependency as up', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ok',
      region: 'us-east-1',
      consistency: 'eventual',
      checks: { dynamodb: { status: 'up' }, mysqlReader: { status: 'up' }, mysqlWriter: { status: 'up' } },
      failoverDrill: { active: false },
    });
    const live = await app.inject({ method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });

    // One JSON line per request with its id, except for the liveness route that the ALB polls.
    const completed = logs.lines.filter((line) => line.msg === 'request completed');
    expect(completed).toContainEqual(
      expect.objectContaining({ route: '/health', statusCode: 200, requestId: response.headers['x-request-id'] }),
    );
    expect(completed.map((line) => line.route)).not.toContain('/health/live');
  });

  it('answers 503 naming DynamoDB when its table is unreachable, while liveness stays 200', async () => {
    const broken = await buildApp(configFor(world, { DYNAMO_TABLE: 'missing-table' }));
    try {
      const response = await broken.inject({ method: 'GET', url: '/health' });
      expect(response.statusCode).toBe(503);
      expect(parseAs(Health, response.body).checks).toMatchObject({
        dynamodb: { status: 'down' },
        mysqlReader: { status: 'up' },
      });
      expect(response.body).not.toContain('missing-table');
      expect((await broken.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    } finally {
      await broken.close();
    }
  });
});

describe('failover drill switch', () => {
  it('does not exist when no DRILL_TOKEN is configured', async () => {
    const plain = await buildApp(configFor(world));
    try {
      const response = await plain.inject({
        method: 'PUT',
        url: '/health/drill',
        payload: { reason: 'x' },
        headers: authorized,
      });
      expect(response.statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('refuses a missing or wrong token with 401 and logs the attempt', async () => {
    const missing = await app.inject({ method: 'PUT', url: '/health/drill', payload: { reason: 'x' } });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    const wrong = await app.inject({
      method: 'DELETE',
      url: '/health/drill',
      headers: { authorization: 'Bearer not-the-token-at-all' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(logs.messages()).toContain('failover drill switch: rejected credentials');
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('makes /health fail for every task of the region until switched off, and logs its use', async () => {
    const sameRegionTask = await buildApp(configFor(world));
    const otherRegion = await buildApp(configFor(world, { AWS_REGION: 'eu-west-1' }));
    try {
      const enabled = await putDrill({ reason: 'game day', durationSeconds: 600 });
      expect(enabled.statusCode).toBe(200);
      expect(enabled.json()).toMatchObject({ active: true, reason: 'game day' });

      const drilled = await app.inject({ method: 'GET', url: '/health' });
      expect(drilled.statusCode).toBe(503);
      expect(drilled.json()).toMatchObject({
        status: 'unavailable',
        checks: { dynamodb: { status: 'up' }, mysqlReader: { status: 'up' } },
        failoverDrill: { active: true, reason: 'game day' },
      });
      expect((await sameRegionTask.inject({ method: 'GET', url: '/health' })).statusCode).toBe(503);
      expect((await otherRegion.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);

      const enabledLog = logs.lines.find((line) => line.msg === 'failover drill enabled: /health now fails');
      expect(enabledLog).toMatchObject({ level: 40, region: 'us-east-1', reason: 'game day', durationSeconds: 600 });

      const status = await app.inject({ method: 'GET', url: '/health/drill', headers: authorized });
      expect(status.json()).toMatchObject({ active: true });

      const disabled = await app.inject({ method: 'DELETE', url: '/health/drill', headers: authorized });
      expect(disabled.json()).toEqual({ active: false });
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      expect(logs.messages()).toContain('failover drill disabled: /health reports real status');
    } finally {
      await Promise.all([sameRegionTask.close(), otherRegion.close()]);
    }
  });

  it('ignores a drill whose expiry has passed even before DynamoDB TTL removes it', async () => {
    await app.dynamo.send(
      new PutCommand({
        TableName: world.env.DYNAMO_TABLE,
        Item: {
          orderId: 'control#failover-drill#us-east-1',
          reason: 'forgotten',
          enabledAt: new Date(Date.now() - 7_200_000).toISOString(),
          expiresAt: Math.floor(Date.now() / 1000) - 60,
        },
      }),
    );
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(parseAs(Health, response.body).failoverDrill).toEqual({ active: false });
  });

  it('validates the drill request body', async () => {
    const response = await putDrill({ reason: 'too short', durationSeconds: 5 });
    expect(response.statusCode).toBe(400);
    expect(errorIn(response).message).toContain('durationSeconds');
  });
});

describe('load shedding', () => {
  it('answers 503 with Retry-After while the event loop lags, but keeps liveness answering', async () => {
    const pressured = await buildApp(configFor(world), {
      pressure: { maxEventLoopDelayMs: 50, sampleIntervalMs: 100, retryAfterSeconds: 7 },
    });
    try {
      const blockUntil = Date.now() + 400;
      while (Date.now() < blockUntil) {
        // Busy wait: the event loop is blocked, as under CPU-bound overload.
      }
      await sleep(1);
      const [shed, deep, live] = await Promise.all([
        pressured.inject({ method: 'GET', url: '/products' }),
        pressured.inject({ method: 'GET', url: '/health' }),
        pressured.inject({ method: 'GET', url: '/health/live' }),
      ]);
      expect(shed.statusCode).toBe(503);
      expect(shed.headers['retry-after']).toBe('7');
      expect(errorIn(shed).code).toBe('OVERLOADED');
      // An overloaded task also fails the deep check, so Route 53 can move traffic away.
      expect(deep.statusCode).toBe(503);
      expect(errorIn(deep).code).toBe('OVERLOADED');
      expect(live.statusCode).toBe(200);
    } finally {
      await pressured.close();
    }
  });
});
