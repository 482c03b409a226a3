import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Type, type Static } from 'typebox';
import { ORDERS_TABLE } from './contract.js';

const EXPIRY = ORDERS_TABLE.expiryAttribute;

export const DrillState = Type.Object({
  active: Type.Boolean(),
  reason: Type.Optional(Type.String()),
  enabledAt: Type.Optional(Type.String({ format: 'date-time' })),
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
});
export type DrillState = Static<typeof DrillState>;

interface DrillItem {
  reason: string;
  enabledAt: string;
  /** Epoch seconds, in the table's TTL attribute, so a forgotten drill is removed by DynamoDB. */
  [EXPIRY]: number;
}

function toState(item: DrillItem | undefined): DrillState {
  // TTL deletion lags by up to days, so expiry is enforced here as well.
  if (item === undefined || item[EXPIRY] * 1000 <= Date.now()) {
    return { active: false };
  }
  return {
    active: true,
    reason: item.reason,
    enabledAt: item.enabledAt,
    expiresAt: new Date(item[EXPIRY] * 1000).toISOString(),
  };
}

/**
 * The failover-drill switch of one region, kept as an item of the orders table (no customerId,
 * so it never appears in the customer index). Every task of the region reads the same item,
 * so the whole region fails its deep health check together, and the switch outlives restarts.
 */
export class FailoverDrill {
  private readonly key: Record<typeof ORDERS_TABLE.partitionKey, string>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    region: string,
  ) {
    this.key = { [ORDERS_TABLE.partitionKey]: `control#failover-drill#${region}` };
  }

  /** One consistent read: the deep health check's proof that DynamoDB answers, too. */
  async read(): Promise<DrillState> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: this.key, ConsistentRead: true }),
    );
    return toState(result.Item as DrillItem | undefined);
  }

  async enable(reason: string, durationSeconds: number): Promise<DrillState> {
    const now = Date.now();
    const item: DrillItem = {
      reason,
      enabledAt: new Date(now).toISOString(),
      [EXPIRY]: Math.floor(now / 1000) + durationSeconds,
    };
    await this.client.send(new PutCommand({ TableName: this.table, Item: { ...this.key, ...item } }));
    return toState(item);
  }

  async disable(): Promise<DrillState> {
    await this.client.send(new DeleteCommand({ TableName: this.table, Key: this.key }));
    return { active: false };
  }
}
