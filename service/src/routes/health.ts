import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { logLevelEnabled, type Config } from '../config.js';
import type { DrillState } from '../drill.js';
import { ApiError, errorResponses, errorSchema } from '../errors.js';

// Route 53 wants a 2xx within 2 s; each dependency gets well under that, checked in parallel.
const PROBE_TIMEOUT_MS = 1_500;

interface Probe<T> {
  status: 'up' | 'down';
  latencyMs: number;
  value?: T;
}

class ProbeTimeout extends Error {
  constructor() {
    super(`no answer within ${PROBE_TIMEOUT_MS} ms`);
    this.name = 'ProbeTimeout';
  }
}

async function probe<T>(check: () => Promise<T>, onDown: (error: unknown) => void): Promise<Probe<T>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout()), PROBE_TIMEOUT_MS);
  });
  try {
    const value = await Promise.race([check(), timeout]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started), value };
  } catch (error) {
    onDown(error);
    return { status: 'down', latencyMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

const dependencySchema = {
  type: 'object',
  required: ['status', 'latencyMs'],
  properties: { status: { type: 'string', enum: ['up', 'down'] }, latencyMs: { type: 'integer' } },
} as const;

const drillSchema = {
  type: 'object',
  required: ['active'],
  properties: {
    active: { type: 'boolean' },
    reason: { type: 'string' },
    enabledAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
  },
} as const;

const healthSchema = {
  type: 'object',
  required: ['status', 'region', 'checks', 'failoverDrill'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    region: { type: 'string' },
    consistency: { type: 'string' },
    checks: {
      type: 'object',
      required: ['dynamodb', 'mysqlReader'],
      properties: { dynamodb: dependencySchema, mysqlReader: dependencySchema },
    },
    failoverDrill: drillSchema,
  },
} as const;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * `/health/live` is shallow: it is the ALB target group's check, and a database outage must not
 * make ECS replace healthy tasks. It is registered outside the API's scope (see `ordersApp`).
 */
export async function livenessRoute(fastify: FastifyInstance) {
  // Polled every few seconds by every ALB node: logged only from warn up, through one shared
  // logger instead of a per-request child (a child at another level costs pino a rebuild).
  const quietLogger = fastify.log.child(
    {},
    { level: logLevelEnabled(fastify.log.level, 'warn') ? 'warn' : fastify.log.level },
  );
  fastify.get(
    '/health/live',
    {
      childLoggerFactory: () => quietLogger,
      schema: {
        response: {
          200: { type: 'object', required: ['status'], properties: { status: { type: 'string', const: 'ok' } } },
        },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
}

/** `/health` is deep (Route 53: the region is only healthy if it can serve orders). */
export default async function healthRoutes(fastify: FastifyInstance, opts: { config: Config }) {
  const { config } = opts;

  fastify.get(
    '/health',
    // 503 is either a health report or, when the request is shed or the server is closing, an error.
    { schema: { response: { 200: healthSchema, 503: { anyOf: [healthSchema, errorSchema] } } } },
    async (request, reply) => {
      const onDown = (dependency: string) => (error: unknown) =>
        request.log.warn({ err: error, dependency }, 'health check dependency down');
      const [dynamodb, mysqlReader] = await Promise.all([
        probe(() => fastify.drill.read(), onDown('dynamodb')),
        probe(() => fastify.inventory.pingReader(), onDown('mysqlReader')),
      ]);
      const failoverDrill: DrillState = dynamodb.value ?? { active: false };
      const healthy = dynamodb.status === 'up' && mysqlReader.status === 'up' && !failoverDrill.active;
      reply.code(healthy ? 200 : 503);
      return {
        status: healthy ? 'ok' : 'unavailable',
        region: config.region,
        consistency: config.dynamo.consistency,
        checks: {
          dynamodb: { status: dynamodb.status, latencyMs: dynamodb.latencyMs },
          mysqlReader: { status: mysqlReader.status, latencyMs: mysqlReader.latencyMs },
        },
        failoverDrill,
      };
    },
  );

  if (config.drillToken !== undefined) {
    registerDrillRoutes(fastify, config.drillToken, config.region);
  }
}

/**
 * The failover-drill switch: PUT makes this region's `/health` answer 503 so Route 53 moves
 * traffic away; DELETE ends the drill. Absent (404) unless DRILL_TOKEN is configured.
 */
function registerDrillRoutes(fastify: FastifyInstance, token: string, region: string): void {
  const expected = digest(`Bearer ${token}`);
  const authorize = async (request: FastifyRequest, reply: FastifyReply) => {
    const presented = digest(request.headers.authorization ?? '');
    if (!timingSafeEqual(presented, expected)) {
      request.log.warn({ region, ip: request.ip }, 'failover drill switch: rejected credentials');
      reply.header('www-authenticate', 'Bearer');
      throw new ApiError(401, 'UNAUTHORIZED', 'A valid drill token is required');
    }
  };
  const responses = { 200: drillSchema, ...errorResponses(400, 401, 500, 503) };

  fastify.get('/health/drill', { onRequest: authorize, schema: { response: responses } }, async () =>
    fastify.drill.read(),
  );

  fastify.put<{ Body: { reason: string; durationSeconds: number } }>(
    '/health/drill',
    {
      onRequest: authorize,
      schema: {
        body: {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          properties: {
            reason: { type: 'string', minLength: 1, maxLength: 200 },
            durationSeconds: { type: 'integer', minimum: 60, maximum: 86_400, default: 900 },
          },
        },
        response: responses,
      },
    },
    async (request) => {
      const { reason, durationSeconds } = request.body;
      const state = await fastify.drill.enable(reason, durationSeconds);
      request.log.warn(
        { region, ip: request.ip, reason, durationSeconds },
        'failover drill enabled: /health now fails',
      );
      return state;
    },
  );

  fastify.delete('/health/drill', { onRequest: authorize, schema: { response: responses } }, async (request) => {
    const state = await fastify.drill.disable();
    request.log.warn({ region, ip: request.ip }, 'failover drill disabled: /health reports real status');
    return state;
  });
}
