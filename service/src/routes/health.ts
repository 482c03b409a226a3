import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { logLevelEnabled, type Config } from '../config.js';
import { HEALTH_PATHS } from '../contract.js';
import { DrillState } from '../drill.js';
import { ApiError, ErrorBody, errorResponses } from '../errors.js';

type TypeBoxInstance = Parameters<FastifyPluginCallbackTypebox>[0];

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

const Dependency = Type.Object({ status: Type.Enum(['up', 'down']), latencyMs: Type.Integer() });

export const Health = Type.Object({
  status: Type.Enum(['ok', 'unavailable']),
  region: Type.String(),
  consistency: Type.Optional(Type.String()),
  checks: Type.Object({ dynamodb: Dependency, mysqlReader: Dependency, mysqlWriter: Dependency }),
  failoverDrill: DrillState,
});
type Health = Static<typeof Health>;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * `/health/live` is shallow: it is the ALB target group's check, and a database outage must not
 * make ECS replace healthy tasks. It is registered outside the API's scope (see `ordersApp`).
 */
export const livenessRoute: FastifyPluginCallbackTypebox = (fastify, _opts, done) => {
  // Polled every few seconds by every ALB node: logged only from warn up, through one shared
  // logger instead of a per-request child (a child at another level costs pino a rebuild).
  const quietLogger = fastify.log.child(
    {},
    { level: logLevelEnabled(fastify.log.level, 'warn') ? 'warn' : fastify.log.level },
  );
  fastify.get(
    HEALTH_PATHS.liveness,
    {
      childLoggerFactory: () => quietLogger,
      schema: {
        response: {
          200: Type.Object({ status: Type.Literal('ok') }),
        },
      },
    },
    () => ({ status: 'ok' as const }),
  );
  done();
};

/** `/health` is deep (Route 53: the region is only healthy if it can serve orders, reads and writes). */
const healthRoutes: FastifyPluginCallbackTypebox<{ config: Config }> = (fastify, opts, done) => {
  const { config } = opts;

  fastify.get(
    HEALTH_PATHS.deep,
    // 503 is either a health report or, when the request is shed or the server is closing, an error.
    { schema: { response: { 200: Health, 503: Type.Union([Health, ErrorBody]) } } },
    async (request, reply) => {
      const onDown = (dependency: string) => (error: unknown) =>
        request.log.warn({ err: error, dependency }, 'health check dependency down');
      // The writer too: a region that cannot reach the Aurora writer (the peering path lost, or
      // the global writer endpoint still on a demoted instance) cannot take orders, so it must
      // leave latency routing rather than answer 503 to every POST. When only some regions lose
      // the writer, Route 53 sends their clients to the regions that can write. When every region
      // loses it at once (the writer's region down, before a failover), every record is unhealthy,
      // and Route 53 then treats them all as healthy ("How Amazon Route 53 chooses records when
      // health checking is configured": if no record is healthy, all records are healthy): it
      // fails open, so reads go on being served everywhere while writes get 503. Failing health on
      // a lost writer therefore never takes the service off DNS; it only steers writes to regions
      // that can make them. The failed connections themselves are logged by the writer's pool
      // (`WRITER_UNREACHABLE_LOG`), once per attempt, whoever made it.
      const [dynamodb, mysqlReader, mysqlWriter] = await Promise.all([
        probe(() => fastify.drill.read(), onDown('dynamodb')),
        probe(() => fastify.inventory.pingReader(PROBE_TIMEOUT_MS), onDown('mysqlReader')),
        probe(() => fastify.inventory.pingWriter(PROBE_TIMEOUT_MS), onDown('mysqlWriter')),
      ]);
      const failoverDrill: DrillState = dynamodb.value ?? { active: false };
      const healthy =
        dynamodb.status === 'up' && mysqlReader.status === 'up' && mysqlWriter.status === 'up' && !failoverDrill.active;
      const report: Health = {
        status: healthy ? 'ok' : 'unavailable',
        region: config.region,
        consistency: config.dynamo.consistency,
        checks: {
          dynamodb: { status: dynamodb.status, latencyMs: dynamodb.latencyMs },
          mysqlReader: { status: mysqlReader.status, latencyMs: mysqlReader.latencyMs },
          mysqlWriter: { status: mysqlWriter.status, latencyMs: mysqlWriter.latencyMs },
        },
        failoverDrill,
      };
      reply.code(healthy ? 200 : 503);
      return report;
    },
  );

  if (config.drillToken !== undefined) {
    registerDrillRoutes(fastify, config.drillToken, config.region);
  }
  done();
};

export default healthRoutes;

/**
 * The failover-drill switch: PUT makes this region's `/health` answer 503 so Route 53 moves
 * traffic away; DELETE ends the drill. Absent (404) unless DRILL_TOKEN is configured.
 */
function registerDrillRoutes(fastify: TypeBoxInstance, token: string, region: string): void {
  const expected = digest(`Bearer ${token}`);
  const authorize = async (request: FastifyRequest, reply: FastifyReply) => {
    const presented = digest(request.headers.authorization ?? '');
    if (!timingSafeEqual(presented, expected)) {
      request.log.warn({ region, ip: request.ip }, 'failover drill switch: rejected credentials');
      reply.header('www-authenticate', 'Bearer');
      throw new ApiError(401, 'UNAUTHORIZED', 'A valid drill token is required');
    }
  };
  const responses = { 200: DrillState, ...errorResponses(400, 401, 500, 503) };
  const path = `${HEALTH_PATHS.deep}/drill`;

  fastify.get(path, { onRequest: authorize, schema: { response: responses } }, async () => fastify.drill.read());

  fastify.put(
    path,
    {
      onRequest: authorize,
      schema: {
        body: Type.Object(
          {
            reason: Type.String({ minLength: 1, maxLength: 200 }),
            durationSeconds: Type.Integer({ minimum: 60, maximum: 86_400, default: 900 }),
          },
          { additionalProperties: false },
        ),
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

  fastify.delete(path, { onRequest: authorize, schema: { response: responses } }, async (request) => {
    const state = await fastify.drill.disable();
    request.log.warn({ region, ip: request.ip }, 'failover drill disabled: /health reports real status');
    return state;
  });
}
