import { CreateTableCommand, DynamoDBClient, type KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynalite, type LocalDynamo } from '../../service/local/dynamodb.js';
import { parseConfig, type Config, type Env } from '../../service/src/config.js';
import {
  HEALTH_PATHS,
  ORDERS_TABLE,
  SECRET_ACTIONS,
  SECRET_ENV,
  SERVICE_ENV,
  TABLE_ACTIONS,
} from '../../service/src/contract.js';
import { OrdersRepository } from '../../service/src/orders/orders-repository.js';
import type { StoredOrder } from '../../service/src/orders/order.js';
import { createDynamoClient } from '../../service/src/plugins/dynamodb.js';
import { only, present, synthesizeBeforeAll } from './fixtures.js';
import { resourcesOfType, stackOf, synthesizeOverrides, type StackJson } from './synth.js';

/**
 * The contract between infrastructure and service (service/src/contract.ts), checked from both
 * ends: what the synthesized default deployment writes is fed to the service's own code.
 */

/** Variables only the local runner and the tests set; the service has a default for each. */
const LOCAL_ONLY: readonly string[] = [
  SERVICE_ENV.host,
  SERVICE_ENV.dynamoEndpoint,
  SERVICE_ENV.databaseTls,
  SERVICE_ENV.logLevel,
];

/** A value of the right form for every secret ECS injects; the infrastructure never sees the real ones. */
const SECRET_PLACEHOLDERS: Readonly<Record<string, string>> = {
  [SERVICE_ENV.credentials]: JSON.stringify({ username: 'orders_admin', password: 'placeholder-password' }),
  [SERVICE_ENV.drillToken]: 'placeholder-drill-token-0123456789',
};

/** What a Terraform reference (`${…}`) stands for until apply: every one of them is a name or host. */
const REFERENCE_PLACEHOLDER = 'resolved-at-apply.example.internal';

interface ContainerDefinition {
  environment: Array<{ name: string; value: string }>;
  secrets: Array<{ name: string; valueFrom: string }>;
}

type Statement = { sid?: string; actions: string[] };

function containerOf(stack: StackJson): ContainerDefinition {
  const taskDefinition = only(resourcesOfType(stack, 'aws_ecs_task_definition'), 'task definitions');
  return only(JSON.parse(String(taskDefinition.container_definitions)) as ContainerDefinition[], 'containers');
}

/** The statements of the policy document declared at a construct path ending in `pathEnd`. */
function statementsAt(stack: StackJson, pathEnd: string): Statement[] {
  const documents = Object.values(stack.data?.aws_iam_policy_document ?? {}).filter((body) =>
    String((body['//'] as { metadata: { path: string } }).metadata.path).endsWith(pathEnd),
  );
  return (only(documents, `policy document ${pathEnd}`) as { statement: Statement[] }).statement;
}

/** The container's environment as the service receives it, with placeholders for what apply and ECS fill in. */
function serviceEnvironment(container: ContainerDefinition): Env {
  const plain = container.environment.map(({ name, value }) => [
    name,
    value.includes('${') ? REFERENCE_PLACEHOLDER : value,
  ]);
  const secrets = container.secrets.map(({ name }) => [
    name,
    present(SECRET_PLACEHOLDERS[name], `a placeholder for ${name}`),
  ]);
  return Object.fromEntries([...plain, ...secrets]) as Env;
}

describe('the contract between the app and data stacks and the service', () => {
  const synthesized = synthesizeBeforeAll(() => synthesizeOverrides());
  /** Every region's app stack, by region. */
  const appStacks = () => {
    const { config, stacks } = synthesized();
    return config.regions.map(({ region }) => ({ region, stack: stackOf(stacks, `app-${region}`) }));
  };
  const appStack = () => stackOf(synthesized().stacks, `app-${synthesized().config.primaryRegion}`);
  const table = () => only(resourcesOfType(stackOf(synthesized().stacks, 'data'), 'aws_dynamodb_table'), 'tables');

  it('sets exactly the variables the service reads from the stack, secrets from Secrets Manager only', () => {
    const fromStack = Object.values(SERVICE_ENV).filter((name) => !LOCAL_ONLY.includes(name));
    for (const { region, stack } of appStacks()) {
      const container = containerOf(stack);
      const set = [...container.environment, ...container.secrets].map(({ name }) => name);
      expect(set.sort(), region).toEqual([...fromStack].sort());
      expect(container.secrets.map(({ name }) => name).sort(), region).toEqual([...SECRET_ENV].sort());
    }
  });

  it("gives the service an environment its own parseConfig accepts, for the stack's region and port", () => {
    const { config } = synthesized();
    for (const { region, stack } of appStacks()) {
      expect(parseConfig(serviceEnvironment(containerOf(stack))), region).toMatchObject({
        port: config.service.containerPort,
        region,
        dynamo: { consistency: config.dynamodb.consistency },
        database: { name: config.aurora.databaseName, tls: 'verify' },
      });
    }
  });

  it("keys the table, its customer index and its expiry attribute by the contract's names", () => {
    const orders = table();
    const { customerIndex } = ORDERS_TABLE;
    expect(orders.hash_key).toBe(ORDERS_TABLE.partitionKey);
    expect(orders.global_secondary_index).toEqual([
      {
        name: customerIndex.name,
        hash_key: customerIndex.partitionKey,
        range_key: customerIndex.sortKey,
        projection_type: 'ALL',
      },
    ]);
    expect(orders.ttl).toEqual({ enabled: true, attribute_name: ORDERS_TABLE.expiryAttribute });
  });

  it("allows the task exactly the contract's table actions and ECS exactly its secret actions", () => {
    const actions = (stack: StackJson, pathEnd: string, service: string) =>
      statementsAt(stack, pathEnd)
        .flatMap((statement) => statement.actions)
        .filter((action) => action.startsWith(`${service}:`));
    for (const { region, stack } of appStacks()) {
      expect(actions(stack, 'service/task-role-permissions', 'dynamodb'), region).toEqual([...TABLE_ACTIONS]);
      expect(actions(stack, 'service/execution-role-permissions', 'secretsmanager'), region).toEqual([
        ...SECRET_ACTIONS,
      ]);
    }
  });

  it('checks the liveness route from the load balancer and the deep route from Route 53', () => {
    for (const { region, stack } of appStacks()) {
      const targetGroup = only(resourcesOfType(stack, 'aws_lb_target_group'), 'target groups');
      expect(targetGroup.health_check, region).toMatchObject({ path: HEALTH_PATHS.liveness });
    }
    const healthChecks = resourcesOfType(stackOf(synthesized().stacks, 'dns'), 'aws_route53_health_check');
    expect(healthChecks.map((check) => check.resource_path)).toEqual(
      synthesized().config.regions.map(() => HEALTH_PATHS.deep),
    );
  });

  describe("the service's own queries against a table built from the synthesized definition", () => {
    let dynamo: LocalDynamo;
    let config: Config;

    beforeAll(async () => {
      dynamo = await startDynalite();
      const parsed = parseConfig(serviceEnvironment(containerOf(appStack())));
      config = { ...parsed, dynamo: { ...parsed.dynamo, endpoint: dynamo.endpoint } };
      await createTableAsSynthesized(config, table());
    });

    afterAll(async () => {
      await dynamo.close();
    });

    it("lists a customer's orders, newest first, through the synthesized index", async () => {
      const client = createDynamoClient(config);
      const repository = new OrdersRepository(client, config.dynamo.table, config.region, config.dynamo.consistency);
      const orders = [
        order('order-1', 'customer-a', '2026-01-01T00:00:00.000Z'),
        order('order-2', 'customer-b', '2026-01-02T00:00:00.000Z'),
        order('order-3', 'customer-a', '2026-01-03T00:00:00.000Z'),
      ];
      for (const stored of orders) await repository.create(stored);
      const page = await repository.listByCustomer('customer-a', 10);
      expect(page.orders.map((listed) => listed.orderId)).toEqual(['order-3', 'order-1']);
      client.destroy();
    });
  });
});

/** The parts of a synthesized `aws_dynamodb_table` that CreateTable needs. */
interface SynthesizedTable {
  attribute: Array<{ name: string; type: 'S' | 'N' | 'B' }>;
  hash_key: string;
  range_key?: string;
  global_secondary_index: Array<{
    name: string;
    hash_key: string;
    range_key?: string;
    projection_type: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  }>;
}

/** CreateTable from the `aws_dynamodb_table` block: its attributes, key schema and indexes as Terraform declares them. */
async function createTableAsSynthesized(config: Config, block: Record<string, unknown>): Promise<void> {
  const keySchema = (hashKey: string, rangeKey: string | undefined): KeySchemaElement[] => [
    { AttributeName: hashKey, KeyType: 'HASH' },
    ...(rangeKey === undefined ? [] : [{ AttributeName: rangeKey, KeyType: 'RANGE' as const }]),
  ];
  const table = block as unknown as SynthesizedTable;
  const client = new DynamoDBClient({
    region: config.region,
    endpoint: config.dynamo.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: config.dynamo.table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: table.attribute.map(({ name, type }) => ({ AttributeName: name, AttributeType: type })),
        KeySchema: keySchema(table.hash_key, table.range_key),
        GlobalSecondaryIndexes: table.global_secondary_index.map((index) => ({
          IndexName: index.name,
          KeySchema: keySchema(index.hash_key, index.range_key),
          Projection: { ProjectionType: index.projection_type },
        })),
      }),
    );
  } finally {
    client.destroy();
  }
}

function order(orderId: string, customerId: string, createdAt: string): StoredOrder {
  return {
    orderId,
    customerId,
    status: 'pending',
    items: [{ productId: 'product-1', quantity: 1, unitPriceCents: 100 }],
    totalCents: 100,
    version: 1,
    homeRegion: 'us-east-1', // any region: listing does not depend on it
    createdAt,
    updatedAt: createdAt,
    requestHash: `hash-${orderId}`,
  };
}
