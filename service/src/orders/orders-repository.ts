import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Consistency } from '../config.js';
import { ORDERS_TABLE } from '../contract.js';
import { ApiError } from '../errors.js';
import { retry } from '../retry.js';
import type { Order, OrderStatus, StoredOrder } from './order.js';

// An order is stored as it is: the table's key names are fields of the order, which the compiler checks.
const KEY = ORDERS_TABLE.partitionKey satisfies keyof StoredOrder;
const INDEX = ORDERS_TABLE.customerIndex;
const INDEX_KEY = INDEX.partitionKey satisfies keyof StoredOrder;
const INDEX_SORT_KEY = INDEX.sortKey satisfies keyof StoredOrder;

export interface TransitionRule {
  expectedVersion: number;
  allowedFrom: readonly OrderStatus[];
}

export interface CustomerPage {
  orders: StoredOrder[];
  nextCursor?: string;
}

const CONFLICT_RETRY = {
  attempts: 3,
  baseDelayMs: 50,
  isRetryable: (error: unknown) => errorName(error) === 'ReplicatedWriteConflictException',
};

export function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { name?: string }).name : undefined;
}

export function isConditionFailure(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

/**
 * Orders in the DynamoDB global table. In eventual mode (MREC) a condition expression only sees
 * this region's replica, so writes to an existing order are accepted only in its home region; in
 * strong mode (MRSC) conditions see every region's writes and any region may update.
 */
export class OrdersRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly region: string,
    private readonly consistency: Consistency,
  ) {}

  async get(orderId: string): Promise<StoredOrder | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { [KEY]: orderId }, ConsistentRead: true }),
    );
    return result.Item as StoredOrder | undefined;
  }

  /** Fails with ConditionalCheckFailedException when the id is taken. */
  async create(order: StoredOrder): Promise<void> {
    await this.write(() =>
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: order,
          ConditionExpression: `attribute_not_exists(${KEY})`,
        }),
      ),
    );
  }

  /** The reason a transition would be refused, or undefined when it is allowed. */
  rejectionFor(order: Order | undefined, rule: TransitionRule): ApiError | undefined {
    if (order === undefined) {
      return new ApiError(404, 'ORDER_NOT_FOUND', 'Order not found');
    }
    if (this.consistency === 'eventual' && order.homeRegion !== this.region) {
      return new ApiError(
        421,
        'NOT_HOME_REGION',
        `Order ${order.orderId} can only be changed in its home region ${order.homeRegion}; this is ${this.region}`,
        { homeRegion: order.homeRegion },
      );
    }
    if (order.version !== rule.expectedVersion) {
      return new ApiError(
        409,
        'VERSION_CONFLICT',
        `expectedVersion ${rule.expectedVersion} does not match the current version ${order.version}`,
        { currentVersion: order.version },
      );
    }
    if (!rule.allowedFrom.includes(order.status)) {
      return new ApiError(409, 'INVALID_TRANSITION', `An order in status ${order.status} cannot make this change`, {
        currentStatus: order.status,
      });
    }
    return undefined;
  }

  /**
   * Moves an order to `status` if its version and status still match; the condition is checked by
   * DynamoDB, so of several concurrent writers with the same expected version exactly one wins.
   */
  async transition(
    orderId: string,
    status: OrderStatus,
    rule: TransitionRule,
    extra: { cancelReason?: string } = {},
  ): Promise<StoredOrder> {
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = {
      ':status': status,
      ':expectedVersion': rule.expectedVersion,
      ':one': 1,
      ':now': new Date().toISOString(),
    };
    const allowed = rule.allowedFrom.map((from, index) => {
      values[`:from${index}`] = from;
      return `:from${index}`;
    });
    const conditions = ['version = :expectedVersion', `#status IN (${allowed.join(', ')})`];
    if (this.consistency === 'eventual') {
      conditions.push('homeRegion = :region');
      values[':region'] = this.region;
    }
    const updates = ['#status = :status', 'version = version + :one', 'updatedAt = :now'];
    if (extra.cancelReason !== undefined) {
      updates.push('cancelReason = :cancelReason');
      values[':cancelReason'] = extra.cancelReason;
    }
    try {
      const result = await this.write(() =>
        this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { [KEY]: orderId },
            UpdateExpression: `SET ${updates.join(', ')}`,
            ConditionExpression: `attribute_exists(${KEY}) AND ${conditions.join(' AND ')}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result.Attributes as StoredOrder;
    } catch (error) {
      if (!isConditionFailure(error)) {
        throw error;
      }
      throw (
        this.rejectionFor(await this.get(orderId), rule) ??
        // The item changed again between the failed write and the read: report it as a lost race.
        new ApiError(409, 'VERSION_CONFLICT', 'The order was changed concurrently; read it and retry')
      );
    }
  }

  /** Newest first, `limit` at a time; the cursor is opaque to clients and bound to the customer. */
  async listByCustomer(customerId: string, limit: number, cursor?: string): Promise<CustomerPage> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: INDEX.name,
        KeyConditionExpression: `${INDEX_KEY} = :customerId`,
        ExpressionAttributeValues: { ':customerId': customerId },
        ScanIndexForward: false,
        // One extra item tells whether another page exists, so the last page carries no cursor.
        Limit: limit + 1,
        ...(cursor === undefined ? {} : { ExclusiveStartKey: decodeCursor(cursor, customerId) }),
      }),
    );
    const items = (result.Items ?? []) as StoredOrder[];
    const orders = items.slice(0, limit);
    const last = orders.at(-1);
    return items.length > limit && last !== undefined ? { orders, nextCursor: encodeCursor(last) } : { orders };
  }

  private async write<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await retry(CONFLICT_RETRY, operation);
    } catch (error) {
      if (CONFLICT_RETRY.isRetryable(error)) {
        throw new ApiError(
          409,
          'WRITE_CONFLICT',
          'Another region wrote this order at the same moment; read it and retry',
          {},
          1,
        );
      }
      throw error;
    }
  }
}

function encodeCursor(order: Order): string {
  return Buffer.from(JSON.stringify([order.createdAt, order.orderId])).toString('base64url');
}

function decodeCursor(cursor: string, customerId: string): Record<string, string> {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(decoded) &&
      decoded.length === 2 &&
      decoded.every((part) => typeof part === 'string' && part.length > 0 && part.length <= 64)
    ) {
      const [createdAt, orderId] = decoded as [string, string];
      return { [INDEX_KEY]: customerId, [INDEX_SORT_KEY]: createdAt, [KEY]: orderId };
    }
  } catch {
    // Falls through to the same answer as a well-formed but meaningless cursor.
  }
  throw new ApiError(400, 'INVALID_CURSOR', 'querystring/cursor is not a cursor returned by this endpoint');
}
