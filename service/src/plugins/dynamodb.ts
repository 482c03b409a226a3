import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    dynamo: DynamoDBDocumentClient;
  }
}

// Bounded so that a slow or unreachable DynamoDB fails a request in seconds, well inside the
// ALB's 60 s idle timeout and Route 53's 2 s health-check budget for a single call.
const CONNECT_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;
const MAX_ATTEMPTS = 3;
const MAX_SOCKETS = 128;

export function createDynamoClient(config: Config): DynamoDBDocumentClient {
  const agent = { keepAlive: true, maxSockets: MAX_SOCKETS };
  const client = new DynamoDBClient({
    region: config.region,
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: {
      connectionTimeout: CONNECT_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      httpAgent: agent,
      httpsAgent: agent,
    },
    // A local endpoint (dynalite) accepts any signature; in AWS the task role's credentials are used.
    ...(config.dynamo.endpoint === undefined
      ? {}
      : { endpoint: config.dynamo.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export default fp(
  function dynamoPlugin(fastify: FastifyInstance, opts: { config: Config }, done: () => void) {
    const client = createDynamoClient(opts.config);
    fastify.decorate('dynamo', client);
    fastify.addHook('onClose', (_instance, closed) => {
      client.destroy();
      closed();
    });
    done();
  },
  { name: 'dynamodb' },
);
