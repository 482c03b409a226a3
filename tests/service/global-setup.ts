import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynalite } from '../../service/local/dynamodb.js';
import { databaseFromUrl, rootOverSocket, startLocalMariaDb, type AdminAccess } from '../../service/local/mariadb.js';

/** The MySQL server every test file makes its own database on, and who may create it. */
export interface TestServer {
  host: string;
  port: number;
  admin: AdminAccess;
}

declare module 'vitest' {
  export interface ProvidedContext {
    mariadb: TestServer;
    dynamoEndpoint: string;
  }
}

/**
 * The server at DATABASE_URL (its user must be allowed to create databases and users), or else
 * one throwaway MariaDB for the whole run; one dynalite either way. Each test file gets its own
 * database and table.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dynamo = await startDynalite();
  project.provide('dynamoEndpoint', dynamo.endpoint);
  const url = process.env.DATABASE_URL;
  if (url !== undefined) {
    const own = databaseFromUrl(url);
    const admin = { host: own.writerHost, port: own.port, user: own.username, password: own.password };
    project.provide('mariadb', { host: own.writerHost, port: own.port, admin });
    return () => dynamo.close();
  }
  const baseDir = await mkdtemp(join(tmpdir(), 'orders-test-mariadb-'));
  const mariadb = await startLocalMariaDb(baseDir);
  project.provide('mariadb', { host: mariadb.host, port: mariadb.port, admin: rootOverSocket(mariadb.socketPath) });
  return async () => {
    await Promise.all([mariadb.stop(), dynamo.close()]);
    await rm(baseDir, { recursive: true, force: true });
  };
}
