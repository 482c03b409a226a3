import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { DatabaseConfig } from '../src/config.js';
import { SERVICE_ENV } from '../src/contract.js';
import { applyMigrations } from '../src/migrations.js';
import { connectionOptions } from '../src/plugins/mysql.js';
import { writeLog } from '../src/process-log.js';
import { createOrdersTable, startDynalite } from './dynamodb.js';
import { createLocalDatabase, databaseFromUrl, startLocalMariaDb, type LocalMariaDb } from './mariadb.js';

/**
 * `npm run service:local`: the service exactly as `node dist/server.js` runs it, against
 * dynalite in this process and a throwaway MariaDB (or the MySQL at DATABASE_URL). Every
 * variable the container would get can still be overridden from the environment.
 */
const DEMO_PRODUCTS = [
  ['espresso-beans-1kg', 'Espresso beans, 1 kg', 2490, 500],
  ['pour-over-kettle', 'Pour-over kettle', 5900, 40],
  ['paper-filters-100', 'Paper filters, 100 pack', 590, 1000],
] as const;

async function throwawayMariaDb(): Promise<DatabaseConfig> {
  const baseDir = mkdtempSync(join(tmpdir(), 'orders-local-mariadb-'));
  const started: { server?: LocalMariaDb } = {};
  // Runs on every exit path: the service's own process.exit after a graceful close, and a signal
  // that arrives while the dependencies are still starting (tsx then exits this process at once).
  // An exit that runs no handler at all (SIGKILL) is left to the server's watcher.
  process.on('exit', () => {
    started.server?.kill();
    // The killed server may still be closing its files for a moment: retry instead of leaving them.
    rmSync(baseDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });
  const server = await startLocalMariaDb(baseDir);
  started.server = server;
  const database = { name: 'orders', username: 'orders', password: 'orders-local-password' };
  await createLocalDatabase(server.socketPath, database);
  writeLog('info', 'started a throwaway MariaDB; its data is deleted on exit', { port: server.port, baseDir });
  return { writerHost: server.host, tls: 'off', port: server.port, ...database };
}

async function seedDemoProducts(database: DatabaseConfig): Promise<void> {
  const connection = await createConnection(connectionOptions(database));
  try {
    await connection.query('INSERT IGNORE INTO products (product_id, name, price_cents, stock) VALUES ?', [
      DEMO_PRODUCTS,
    ]);
  } finally {
    await connection.end();
  }
}

const env = process.env;
const region = env[SERVICE_ENV.region] ?? 'us-east-1';
const table = env[SERVICE_ENV.table] ?? 'orders-local';
const dynamo = await startDynalite();
await createOrdersTable(dynamo.endpoint, table, region);

const databaseUrl = env.DATABASE_URL;
const database = databaseUrl === undefined ? await throwawayMariaDb() : databaseFromUrl(databaseUrl);
const migrations = await applyMigrations(database);
await seedDemoProducts(database);
writeLog('info', 'local dependencies ready', {
  dynamoEndpoint: dynamo.endpoint,
  table,
  mysql: `${database.writerHost}:${database.port}/${database.name}`,
  migrationsApplied: migrations.applied,
  demoProducts: DEMO_PRODUCTS.map(([productId]) => productId),
});

env[SERVICE_ENV.host] ??= '127.0.0.1';
env[SERVICE_ENV.region] = region;
env[SERVICE_ENV.table] = table;
env[SERVICE_ENV.dynamoEndpoint] = dynamo.endpoint;
env[SERVICE_ENV.writerHost] = database.writerHost;
env[SERVICE_ENV.readerHost] ??= database.writerHost;
env[SERVICE_ENV.databaseTls] = database.tls;
env[SERVICE_ENV.databasePort] = String(database.port);
env[SERVICE_ENV.databaseName] = database.name;
env[SERVICE_ENV.credentials] = JSON.stringify({ username: database.username, password: database.password });

await import('../src/server.js');
