import { Type, type Static } from 'typebox';
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { ApiError } from '../errors.js';
import { MysqlEndpoint, QUERY_TIMEOUT_MS } from '../plugins/mysql.js';
import { retry } from '../retry.js';
import type { OrderLine, RequestedLine } from './order.js';

export const Product = Type.Object({
  productId: Type.String(),
  name: Type.String(),
  priceCents: Type.Integer(),
  stock: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Product = Static<typeof Product>;

export type ReservationState = 'held' | 'committed' | 'released';

/** A reservation for this order id already exists (a retry, or a concurrent attempt). */
export class ReservationExists extends Error {
  constructor(readonly requestHash: string) {
    super('reservation exists');
    this.name = 'ReservationExists';
  }
}

export interface ReservationRequest {
  orderId: string;
  customerId: string;
  requestHash: string;
  region: string;
  lines: RequestedLine[];
}

/** The rows `reserve_stock` answers with: every reserved line, or the one line that cannot be served. */
interface ReservedLine {
  problem: null;
  product_id: string;
  quantity: number;
  unit_price_cents: number;
}
interface RefusedLine {
  problem: 'UNKNOWN_PRODUCT' | 'INSUFFICIENT_STOCK';
  line: number;
  product_id: string;
  stock: number | null;
}
type ReserveOutcome = ReservedLine | RefusedLine;

function refusal(refused: RefusedLine): ApiError {
  const { line, product_id: productId } = refused;
  return refused.problem === 'UNKNOWN_PRODUCT'
    ? new ApiError(422, 'UNKNOWN_PRODUCT', `body/items/${line}/productId: no product ${productId}`, { productId })
    : new ApiError(
        409,
        'INSUFFICIENT_STOCK',
        `body/items/${line}/quantity: only ${refused.stock} of ${productId} in stock`,
        { productId },
      );
}

const DEADLOCK_RETRY = {
  attempts: 3,
  baseDelayMs: 20,
  isRetryable: (error: unknown) => (error as { code?: string }).code === 'ER_LOCK_DEADLOCK',
};

type Queryable = MysqlEndpoint | PoolConnection;

async function query<T>(target: Queryable, sql: string, values: unknown[]): Promise<T> {
  if (target instanceof MysqlEndpoint) {
    return target.withConnection((connection) => query<T>(connection, sql, values));
  }
  const [result] = await target.query({ sql, values, timeout: QUERY_TIMEOUT_MS });
  return result as T;
}

async function rows<T>(target: Queryable, sql: string, values: unknown[] = []): Promise<T[]> {
  return query<T[]>(target, sql, values);
}

async function execute(target: Queryable, sql: string, values: unknown[]): Promise<number> {
  return (await query<{ affectedRows: number }>(target, sql, values)).affectedRows;
}

/** Runs `work` in one transaction on one connection, rolled back on failure. */
async function inTransaction<T>(endpoint: MysqlEndpoint, work: (connection: PoolConnection) => Promise<T>): Promise<T> {
  return endpoint.withConnection(
    async (connection) => {
      await connection.beginTransaction();
      const result = await work(connection);
      await connection.commit();
      return result;
    },
    (connection) => connection.rollback(),
  );
}

/**
 * Stock in Aurora MySQL. Every change goes to the writer endpoint in one transaction that locks
 * the product rows, so concurrent orders never sell more than the stock; reads of the catalogue
 * go to the local reader endpoint and may lag the writer slightly.
 */
export class InventoryRepository {
  constructor(
    private readonly writer: MysqlEndpoint,
    private readonly reader: MysqlEndpoint,
  ) {}

  /**
   * Takes the stock for every line and records a 'held' reservation keyed by the order id, in one
   * call of the `reserve_stock` procedure (migration 0003): one round trip to the writer, which
   * may be in another region. The primary key on the order id is what makes a retried create
   * reserve only once, in any region.
   */
  async reserve(request: ReservationRequest): Promise<OrderLine[]> {
    // Sorted by product id: every reservation locks its products in the same order.
    const lines = request.lines
      .map((line, index) => ({ line: index, productId: line.productId, quantity: line.quantity }))
      .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
    let outcome: ReserveOutcome[];
    try {
      outcome = await retry(DEADLOCK_RETRY, async () => {
        const results = await query<RowDataPacket[][]>(this.writer, 'CALL reserve_stock(?, ?, ?, ?, ?)', [
          request.orderId,
          request.customerId,
          request.requestHash,
          request.region,
          JSON.stringify(lines),
        ]);
        return results[0] as ReserveOutcome[];
      });
    } catch (error) {
      if ((error as { code?: string }).code !== 'ER_DUP_ENTRY') {
        throw error;
      }
      const [existing] = await rows<{ request_hash: string }>(
        this.writer,
        'SELECT request_hash FROM reservations WHERE order_id = ?',
        [request.orderId],
      );
      throw new ReservationExists(existing?.request_hash ?? '');
    }
    const [first] = outcome;
    if (first !== undefined && first.problem !== null) {
      throw refusal(first);
    }
    const priceOf = new Map((outcome as ReservedLine[]).map((row) => [row.product_id, row.unit_price_cents]));
    return request.lines.map((line) => ({
      productId: line.productId,
      quantity: line.quantity,
      unitPriceCents: priceOf.get(line.productId)!,
    }));
  }

  /** Records that these orders reached DynamoDB, so the reconciler leaves their reservations alone. */
  async markCommitted(orderIds: readonly string[]): Promise<void> {
    await execute(
      this.writer,
      "UPDATE reservations SET state = 'committed', updated_at = NOW(3) WHERE order_id IN (?) AND state = 'held'",
      [orderIds],
    );
  }

  /**
   * Undoes a reservation whose order never reached DynamoDB: stock goes back and the reservation
   * disappears, so a retry with the same id can reserve afresh. Only a 'held' reservation is undone.
   */
  async undoHeld(orderId: string): Promise<boolean> {
    return inTransaction(this.writer, async (connection) => {
      if ((await this.lockState(connection, orderId)) !== 'held') {
        return false;
      }
      await this.returnStock(connection, orderId);
      await execute(connection, 'DELETE FROM reservations WHERE order_id = ?', [orderId]);
      return true;
    });
  }

  /**
   * Returns the stock of a cancelled order. `whileLocked` (the DynamoDB status change) runs
   * inside the transaction, so a refused cancel returns no stock; if the commit itself fails after
   * DynamoDB accepted, stock stays reserved (never oversold) and the caller logs it.
   */
  async release<T>(orderId: string, whileLocked: () => Promise<T>): Promise<T> {
    return inTransaction(this.writer, async (connection) => {
      const state = await this.lockState(connection, orderId);
      if (state === 'held' || state === 'committed') {
        await this.returnStock(connection, orderId);
        await execute(
          connection,
          "UPDATE reservations SET state = 'released', updated_at = NOW(3) WHERE order_id = ?",
          [orderId],
        );
      }
      return whileLocked();
    });
  }

  /** 'held' reservations of this region older than `minAgeMs`: candidates for reconciliation. */
  async staleHeld(region: string, minAgeMs: number, limit: number): Promise<string[]> {
    const found = await rows<{ order_id: string }>(
      this.writer,
      `SELECT order_id FROM reservations
       WHERE state = 'held' AND region = ? AND created_at <= NOW(3) - INTERVAL ? MICROSECOND
       ORDER BY created_at LIMIT ?`,
      [region, minAgeMs * 1000, limit],
    );
    return found.map((row) => row.order_id);
  }

  async getProduct(productId: string): Promise<Product | undefined> {
    const [product] = await this.selectProducts('WHERE product_id = ?', [productId]);
    return product;
  }

  async listProducts(limit: number, after?: string): Promise<Product[]> {
    return after === undefined
      ? this.selectProducts('ORDER BY product_id LIMIT ?', [limit])
      : this.selectProducts('WHERE product_id > ? ORDER BY product_id LIMIT ?', [after, limit]);
  }

  /** The cheapest round trip that proves the local reader answers, within `timeoutMs`. */
  async pingReader(timeoutMs: number): Promise<void> {
    await this.reader.ping(timeoutMs);
  }

  /**
   * One round trip to the writer (which may be in another region), within `timeoutMs`, that also
   * proves it takes writes: an endpoint still pointing at a demoted instance counts as down.
   */
  async pingWriter(timeoutMs: number): Promise<void> {
    await this.writer.ping(timeoutMs, { writable: true });
  }

  private async selectProducts(clause: string, values: unknown[]): Promise<Product[]> {
    return rows<Product>(
      this.reader,
      `SELECT product_id AS productId, name, price_cents AS priceCents, stock,
              DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%s.%fZ') AS updatedAt
       FROM products ${clause}`,
      values,
    );
  }

  private async lockState(connection: PoolConnection, orderId: string): Promise<ReservationState | undefined> {
    const [row] = await rows<{ state: ReservationState }>(
      connection,
      'SELECT state FROM reservations WHERE order_id = ? FOR UPDATE',
      [orderId],
    );
    return row?.state;
  }

  private async returnStock(connection: PoolConnection, orderId: string): Promise<void> {
    await execute(
      connection,
      `UPDATE products p JOIN reservation_items r ON r.product_id = p.product_id
       SET p.stock = p.stock + r.quantity, p.updated_at = NOW(3)
       WHERE r.order_id = ?`,
      [orderId],
    );
  }
}
