import { DATABASE_PORT, DEFAULT_SERVICE_PORT, SERVICE_ENV, type ServiceEnvName } from './contract.js';

export type Consistency = 'eventual' | 'strong';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const LOG_LEVEL_RANK: Record<LogLevel, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

/** Whether a logger whose level is `threshold` writes messages of `level` (pino's ordering). */
export function logLevelEnabled(threshold: string, level: Exclude<LogLevel, 'silent'>): boolean {
  return LOG_LEVEL_RANK[level] >= (LOG_LEVEL_RANK[threshold as LogLevel] ?? 0);
}

/** `verify`: TLS with the Amazon RDS certificate authorities (Aurora requires secure transport); `off`: local MariaDB. */
export type DatabaseTls = 'verify' | 'off';

export interface DatabaseConfig {
  writerHost: string;
  tls: DatabaseTls;
  port: number;
  name: string;
  username: string;
  password: string;
}

export interface Config {
  /** 0.0.0.0 in the container; the local runner and the tests bind to loopback. */
  host: string;
  port: number;
  region: string;
  logLevel: LogLevel;
  dynamo: {
    table: string;
    consistency: Consistency;
    /** Only for dynalite or DynamoDB Local; unset in AWS. */
    endpoint?: string;
  };
  database: DatabaseConfig & { readerHost: string };
  /** Unset disables the failover-drill switch entirely. */
  drillToken?: string;
}

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}`,
    );
    this.name = 'ConfigError';
  }
}

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
const HOST_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const DATABASE_NAME_PATTERN = /^[A-Za-z0-9_]{1,64}$/;
const MIN_DRILL_TOKEN_LENGTH = 16;

/**
 * Reads environment variables and collects every problem instead of stopping at the first, so
 * that one boot attempt reports all of them.
 */
class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  private raw(name: ServiceEnvName): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  required(name: ServiceEnvName, check: (value: string) => string | undefined): string {
    const value = this.raw(name);
    if (value === undefined) {
      this.problems.push(`${name} is required`);
      return '';
    }
    return this.checked(name, value, check);
  }

  optional(name: ServiceEnvName, check: (value: string) => string | undefined): string | undefined {
    const value = this.raw(name);
    return value === undefined ? undefined : this.checked(name, value, check);
  }

  port(name: ServiceEnvName, fallback: number): number {
    const value = this.raw(name);
    if (value === undefined) {
      return fallback;
    }
    const port = Number(value);
    if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
      this.problems.push(`${name} must be an integer between 1 and 65535 (got "${value}")`);
    }
    return port;
  }

  oneOf<T extends string>(name: ServiceEnvName, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) {
      return fallback;
    }
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
      return fallback;
    }
    return value as T;
  }

  /** Secrets are never echoed back: the message names the field, not the value. */
  credentials(name: ServiceEnvName): { username: string; password: string } {
    const value = this.raw(name);
    const invalid = { username: '', password: '' };
    if (value === undefined) {
      this.problems.push(`${name} is required`);
      return invalid;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      this.problems.push(`${name} must be a JSON object {"username":"...","password":"..."} (it is not valid JSON)`);
      return invalid;
    }
    const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
    const missing = ['username', 'password'].filter((key) => typeof record[key] !== 'string' || record[key] === '');
    if (missing.length > 0) {
      this.problems.push(`${name} must hold non-empty string fields ${missing.map((key) => `"${key}"`).join(' and ')}`);
      return invalid;
    }
    return { username: record.username as string, password: record.password as string };
  }

  private checked(name: ServiceEnvName, value: string, check: (value: string) => string | undefined): string {
    const problem = check(value);
    if (problem !== undefined) {
      this.problems.push(`${name} ${problem}`);
    }
    return value;
  }

  throwIfInvalid(): void {
    if (this.problems.length > 0) {
      throw new ConfigError(this.problems);
    }
  }
}

function matches(pattern: RegExp, description: string) {
  return (value: string): string | undefined =>
    pattern.test(value) ? undefined : `must be ${description} (got "${value}")`;
}

const hostname = matches(HOST_PATTERN, 'a hostname or IP address');

function httpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:'
      ? undefined
      : `must be an http(s) URL (got "${value}")`;
  } catch {
    return `must be an http(s) URL (got "${value}")`;
  }
}

function drillToken(value: string): string | undefined {
  return value.length >= MIN_DRILL_TOKEN_LENGTH
    ? undefined
    : `must be at least ${MIN_DRILL_TOKEN_LENGTH} characters when set`;
}

function readDatabase(reader: EnvReader): DatabaseConfig {
  const writerHost = reader.required(SERVICE_ENV.writerHost, hostname);
  const port = reader.port(SERVICE_ENV.databasePort, DATABASE_PORT);
  const name = reader.required(
    SERVICE_ENV.databaseName,
    matches(DATABASE_NAME_PATTERN, 'a MySQL database name [A-Za-z0-9_]'),
  );
  const credentials = reader.credentials(SERVICE_ENV.credentials);
  const tls = reader.oneOf<DatabaseTls>(SERVICE_ENV.databaseTls, ['verify', 'off'], 'verify');
  return { writerHost, tls, port, name, ...credentials };
}

/** The service's configuration; throws one ConfigError naming every bad or missing variable. */
export function parseConfig(env: Env): Config {
  const reader = new EnvReader(env);
  const host = reader.optional(SERVICE_ENV.host, hostname) ?? '0.0.0.0';
  const port = reader.port(SERVICE_ENV.port, DEFAULT_SERVICE_PORT);
  const region = reader.required(SERVICE_ENV.region, matches(REGION_PATTERN, 'an AWS region such as us-east-1'));
  const table = reader.required(SERVICE_ENV.table, matches(TABLE_NAME_PATTERN, 'a DynamoDB table name'));
  const consistency = reader.oneOf<Consistency>(SERVICE_ENV.consistency, ['eventual', 'strong'], 'eventual');
  const endpoint = reader.optional(SERVICE_ENV.dynamoEndpoint, httpUrl);
  const database = readDatabase(reader);
  const readerHost = reader.required(SERVICE_ENV.readerHost, hostname);
  const token = reader.optional(SERVICE_ENV.drillToken, drillToken);
  const logLevel = reader.oneOf<LogLevel>(SERVICE_ENV.logLevel, LOG_LEVELS, 'info');
  reader.throwIfInvalid();
  return {
    host,
    port,
    region,
    logLevel,
    dynamo: { table, consistency, ...(endpoint === undefined ? {} : { endpoint }) },
    database: { ...database, readerHost },
    ...(token === undefined ? {} : { drillToken: token }),
  };
}

/** The migration command needs only the writer, so it does not demand the service's other variables. */
export function parseMigrationConfig(env: Env): DatabaseConfig {
  const reader = new EnvReader(env);
  const database = readDatabase(reader);
  reader.throwIfInvalid();
  return database;
}
