import { Type, type Static } from 'typebox';

export const ErrorBody = Type.Object({
  code: Type.String(),
  message: Type.String(),
  requestId: Type.Optional(Type.String()),
  homeRegion: Type.Optional(Type.String()),
  currentVersion: Type.Optional(Type.Integer()),
  currentStatus: Type.Optional(Type.String()),
  productId: Type.Optional(Type.String()),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** An error whose status, code and message are safe to show to the client. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: Omit<ErrorBody, 'code' | 'message'> = {},
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Response schemas for the error statuses a route can answer with. */
export function errorResponses(...statusCodes: number[]): Record<number, typeof ErrorBody> {
  return Object.fromEntries(statusCodes.map((statusCode) => [statusCode, ErrorBody]));
}

/** What a writer demoted by an Aurora failover answers until the endpoint moves. */
export const MYSQL_READ_ONLY_CODES: ReadonlySet<string> = new Set([
  'ER_OPTION_PREVENTS_STATEMENT',
  'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION',
  'ER_READ_ONLY_MODE',
]);

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_QUERY_INTERRUPTED',
  ...MYSQL_READ_ONLY_CODES,
]);

const TRANSIENT_AWS_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'AbortError',
]);

interface ErrorLike {
  name?: string;
  code?: string;
  fatal?: boolean;
  message?: string;
  $fault?: string;
  $retryable?: unknown;
}

/**
 * True when a DynamoDB or MySQL error means "the dependency is unavailable right now" (answer 503
 * and let the client retry) rather than a bug or a misconfiguration (answer 500).
 */
export function isTransientDependencyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const candidate = error as ErrorLike;
  if (candidate.code !== undefined && TRANSIENT_NETWORK_CODES.has(candidate.code)) {
    return true;
  }
  if (candidate.name !== undefined && TRANSIENT_AWS_ERRORS.has(candidate.name)) {
    return true;
  }
  // mysql2 marks connection-level failures as fatal and reports an overflowing pool queue by message only.
  if (
    candidate.fatal === true ||
    candidate.message === 'Queue limit reached.' ||
    candidate.message === 'Pool is closed.'
  ) {
    return true;
  }
  return candidate.$fault === 'server' || candidate.$retryable !== undefined;
}

export function dependencyUnavailable(): ApiError {
  return new ApiError(503, 'DEPENDENCY_UNAVAILABLE', 'A backing service is unavailable; retry later', {}, 2);
}
