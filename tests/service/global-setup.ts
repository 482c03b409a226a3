import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynalite } from '../../service/local/dynamodb.js';
import { startLocalMariaDb } from '../../service/local/mariadb.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mariadb: { host: string; port: number; socketPath: string };
    dynamoEndpoint: string;
  }
}

/** One MariaDB and one dynalite for the whole run; each test file gets its own database and table. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const baseDir = await mkdtemp(join(tmpdir(), 'orders-test-mariadb-'));
  const mariadb = await startLocalMariaDb(baseDir);
  const dynamo = await startDynalite();
  project.provide('mariadb', { host: mariadb.host, port: mariadb.port, socketPath: mariadb.socketPath });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => {
    await Promise.all([mariadb.stop(), dynamo.close()]);
    await rm(baseDir, { recursive: true, force: true });
  };
}
