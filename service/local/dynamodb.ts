// The root tsconfig, which type-checks the tests that import this file, leaves service/ out, so
// dynalite's declaration has to come along from here; an import cannot bring an ambient module.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./dynalite.d.ts" />
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { ORDERS_TABLE } from '../src/contract.js';

export interface LocalDynamo {
  endpoint: string;
  close(): Promise<void>;
}

/** dynalite in this process, in memory, on 127.0.0.1 and a free port. */
export async function startDynalite(options: { maxItemSizeKb?: number } = {}): Promise<LocalDynamo> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...options });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // The local runner exits through the service's own shutdown; an idle dynalite must not hold it.
  server.unref();
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${boundPort}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The table as Terraform creates it: the same keys and index, from the same contract. (dynalite
 * has no UpdateTimeToLive; the service enforces the expiry itself wherever it relies on it.)
 */
export async function createOrdersTable(endpoint: string, table: string, region = 'us-east-1'): Promise<void> {
  const client = new DynamoDBClient({
    region,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { partitionKey, customerIndex: index } = ORDERS_TABLE;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [partitionKey, index.partitionKey, index.sortKey].map((AttributeName) => ({
          AttributeName,
          AttributeType: 'S',
        })),
        KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: table });
  } finally {
    client.destroy();
  }
}
