/**
 * The names the infrastructure and the service must agree on, declared once. The service reads
 * them (config.ts, the repositories, the health routes); the app and data stacks write them (the
 * container's environment and secrets, the table's keys, index and TTL, the task role, the
 * target-group and Route 53 health checks). It lives in the service so the image carries it; the
 * infrastructure imports it from here. Renaming anything on one side renames it on both.
 */

/** Environment variables the service reads. The app stack sets every one marked `fromStack`. */
export const SERVICE_ENV = {
  /** Address to listen on; the container's default 0.0.0.0 suits ECS. */
  host: 'HOST',
  /** Port to listen on: the container port of the task definition. */
  port: 'PORT',
  region: 'AWS_REGION',
  table: 'DYNAMO_TABLE',
  consistency: 'DYNAMO_CONSISTENCY',
  /** Only for dynalite or DynamoDB Local; never set in AWS. */
  dynamoEndpoint: 'DYNAMO_ENDPOINT',
  writerHost: 'DB_WRITER_HOST',
  readerHost: 'DB_READER_HOST',
  databasePort: 'DB_PORT',
  databaseName: 'DB_NAME',
  /** JSON `{"username","password"}`: the database secret, injected by ECS from Secrets Manager. */
  credentials: 'DB_CREDENTIALS',
  databaseTls: 'DB_TLS',
  /** The failover-drill token, injected by ECS from Secrets Manager. */
  drillToken: 'DRILL_TOKEN',
  logLevel: 'LOG_LEVEL',
} as const;

export type ServiceEnvName = (typeof SERVICE_ENV)[keyof typeof SERVICE_ENV];

/** The orders table's key schema, index and TTL attribute. */
export const ORDERS_TABLE = {
  /** Partition key (string) of every item: orders and the drill switch alike. */
  partitionKey: 'orderId',
  /** The index a customer's orders are listed with, by creation time. */
  customerIndex: { name: 'byCustomer', partitionKey: 'customerId', sortKey: 'createdAt' },
  /** Epoch seconds after which DynamoDB deletes the item; items without it stay. */
  expiryAttribute: 'expiresAt',
} as const;

/**
 * The table operations the service sends (Get, Put, Update, Query on orders; Get, Put, Delete on
 * the drill switch item): the task role allows exactly these on its region's replica.
 */
export const TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;

/** The secret operation ECS performs for the task (execution role) to inject `credentials` and `drillToken`. */
export const SECRET_ACTIONS = ['secretsmanager:GetSecretValue'] as const;

/** Environment variables ECS fills from Secrets Manager, never from plain environment. */
export const SECRET_ENV = [SERVICE_ENV.credentials, SERVICE_ENV.drillToken] as const;

export const HEALTH_PATHS = {
  /** Shallow: the process answers. The target group checks it. */
  liveness: '/health/live',
  /** Deep: the table and the database are reachable. Route 53 checks it. */
  deep: '/health',
} as const;

/** The port the service listens on when `PORT` is unset, and the container's default port. */
export const DEFAULT_SERVICE_PORT = 3000;

/** The MySQL port of Aurora and of the local MariaDB. */
export const DATABASE_PORT = 3306;

/**
 * The structured log line the service writes once per failed connection to the Aurora writer:
 * a JSON object carrying these fields. The app stack turns it into a metric with a CloudWatch
 * Logs metric filter (`{ $.event = "writer_unreachable" }`) and alarms on it in every region.
 */
export const WRITER_UNREACHABLE_LOG = { event: 'writer_unreachable' } as const;
