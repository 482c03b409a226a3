import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import fp from 'fastify-plugin';
import { logLevelEnabled, type Config } from './config.js';
import { ApiError, dependencyUnavailable, isTransientDependencyError, type ErrorBody } from './errors.js';
import dynamoPlugin from './plugins/dynamodb.js';
import domainPlugin, { DEFAULT_RECONCILER, type ReconcilerOptions } from './plugins/domain.js';
import loadShedding, { DEFAULT_PRESSURE_LIMITS, type PressureLimits } from './plugins/load-shedding.js';
import mysqlPlugin from './plugins/mysql.js';
import healthRoutes, { livenessRoute } from './routes/health.js';
import ordersRoutes from './routes/orders.js';
import productsRoutes from './routes/products.js';

export interface AppOptions {
  config: Config;
  pressure?: PressureLimits;
  reconciler?: ReconcilerOptions;
}

// Above the ALB's 60 s idle timeout, so the ALB (not Node) always closes an idle connection and
// never sends a request down a socket Node is closing (which the client would see as a 502).
export const KEEP_ALIVE_TIMEOUT_MS = 72_000;
// Time allowed to receive a whole request; handlers are bounded by their dependencies' timeouts.
const REQUEST_TIMEOUT_MS = 10_000;
export const BODY_LIMIT_BYTES = 32 * 1024;
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Reuses a caller's well-formed X-Request-Id so that logs correlate across hops. */
function requestId(request: IncomingMessage): string {
  const inbound = request.headers['x-request-id'];
  return typeof inbound === 'string' && REQUEST_ID_PATTERN.test(inbound) ? inbound : randomUUID();
}

/** One log line per request, written when it completes, instead of Fastify's two. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (!logLevelEnabled(reply.log.level, error ? 'error' : 'info')) {
      return;
    }
    const fields = {
      method: request.method,
      route: request.routeOptions.url,
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) {
      reply.log.error({ ...fields, err: error }, 'request errored');
    } else {
      reply.log.info(fields, 'request completed');
    }
  }
}

const ajvCompilers = AjvCompiler();

/**
 * Fastify's own validator and Ajv defaults (`@fastify/ajv-compiler`: useDefaults, allErrors off,
 * ajv-formats), with two changes. Unknown fields are refused (400 naming them) rather than silently
 * dropped: a typo such as "quantiy" must not turn into an order the client did not mean. And a JSON
 * body is taken as sent: Fastify's default `coerceTypes: 'array'` would read `"2"` as 2 and `true`
 * as 1, accepting a client's bug as an order. Query strings, path parameters and headers are text
 * by nature, so there `?limit=5` is still read as the integer 5.
 */
const buildValidator: ValidatorFactory = (externalSchemas) => {
  const converting = ajvCompilers(externalSchemas, { customOptions: { removeAdditional: false } });
  const exact = ajvCompilers(externalSchemas, { customOptions: { removeAdditional: false, coerceTypes: false } });
  return (route) => (route.httpPart === 'body' ? exact : converting)(route);
};

export function serverOptions(config: Config, logStream?: NodeJS.WritableStream): FastifyServerOptions {
  return {
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization'],
      ...(logStream === undefined ? {} : { stream: logStream }),
    },
    logController: new OneLinePerRequest({ requestIdLogLabel: 'requestId' }),
    requestIdHeader: false,
    genReqId: requestId,
    schemaController: { compilersFactory: { buildValidator } },
    bodyLimit: BODY_LIMIT_BYTES,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    // The ALB is the one proxy in front: the client address is the last X-Forwarded-For hop.
    trustProxy: (_address, hop) => hop === 0,
    return503OnClosing: true,
  };
}

function errorBody(error: ApiError | { code: string; message: string }, requestId: string): ErrorBody {
  return { code: error.code, message: error.message, requestId, ...(error instanceof ApiError ? error.details : {}) };
}

/** Maps every failure to a safe body: client errors say what was wrong, server errors say nothing internal. */
function toApiError(error: FastifyError): ApiError {
  if (error instanceof ApiError) {
    return error;
  }
  if (error.validation !== undefined) {
    return new ApiError(400, 'VALIDATION_FAILED', validationMessage(error));
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new ApiError(413, 'BODY_TOO_LARGE', `The request body exceeds ${BODY_LIMIT_BYTES} bytes`);
  }
  if (error.code === 'FST_UNDER_PRESSURE') {
    return new ApiError(503, 'OVERLOADED', 'The service is overloaded; retry later');
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return new ApiError(status, error.code ?? 'BAD_REQUEST', error.message);
  }
  if (isTransientDependencyError(error)) {
    return dependencyUnavailable();
  }
  return new ApiError(500, 'INTERNAL', 'Internal server error');
}

function validationMessage(error: FastifyError): string {
  const [first] = error.validation ?? [];
  const extra = first?.params as { additionalProperty?: string } | undefined;
  return extra?.additionalProperty === undefined
    ? error.message
    : `${error.validationContext}${first?.instancePath ?? ''} must NOT have additional property '${extra.additionalProperty}'`;
}

/**
 * The orders service as a plugin: clients and the domain first, then the liveness route, then the
 * API in a scope of its own. The liveness route stays outside that scope on purpose: an overloaded
 * task is busy, not broken, so its ALB check must not be shed (ECS would replace the task and
 * leave the rest more loaded), and a check polled by every ALB node needs none of the API's
 * per-response work.
 */
export async function ordersApp(fastify: FastifyInstance, opts: AppOptions): Promise<void> {
  const { config } = opts;
  await fastify.register(dynamoPlugin, { config });
  await fastify.register(mysqlPlugin, { config });
  await fastify.register(domainPlugin, { config, reconciler: opts.reconciler ?? DEFAULT_RECONCILER });
  await fastify.register(livenessRoute);
  await fastify.register(api, opts);
}

/** Every route but liveness: load shedding, request ids on responses, one error format. */
async function api(fastify: FastifyInstance, opts: AppOptions): Promise<void> {
  const { config } = opts;
  await fastify.register(loadShedding, opts.pressure ?? DEFAULT_PRESSURE_LIMITS);

  // During shutdown, a request that finishes closes its connection too: otherwise the client's
  // keep-alive socket would hold the server open until the keep-alive timeout, past ECS's SIGKILL.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  // A callback hook, not async: it runs on every API response.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    if (closing) {
      reply.header('connection', 'close');
    }
    done(null, payload);
  });

  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.code === 'INTERNAL') {
      request.log.error({ err: error }, 'request failed');
    } else if (apiError.statusCode >= 500) {
      // Outages and overload are expected conditions: one warning per request, not an error flood.
      request.log.warn({ err: error, code: apiError.code }, 'request failed: service unavailable');
    } else {
      request.log.info({ code: apiError.code, message: apiError.message }, 'request refused');
    }
    if (apiError.retryAfterSeconds !== undefined) {
      reply.header('retry-after', apiError.retryAfterSeconds);
    }
    reply.code(apiError.statusCode).send(errorBody(apiError, request.id));
  });

  fastify.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send(errorBody({ code: 'NOT_FOUND', message: `No route ${request.method} ${request.url}` }, request.id));
  });

  await fastify.register(healthRoutes, { config });
  await fastify.register(ordersRoutes);
  await fastify.register(productsRoutes);
}

/** The factory used by the server, the local runner and the tests alike. */
export function buildServer(options: AppOptions & { logStream?: NodeJS.WritableStream }): FastifyInstance {
  const { logStream, ...appOptions } = options;
  const app = Fastify(serverOptions(options.config, logStream));
  app.register(fp(ordersApp, { name: 'orders-app' }), appOptions);
  return app;
}
