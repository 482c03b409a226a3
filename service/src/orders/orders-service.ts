import { createHash, randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { ApiError } from '../errors.js';
import type { CommitMarks } from './commit-marks.js';
import { ReservationExists, type InventoryRepository } from './inventory-repository.js';
import {
  CANCELLABLE_STATUSES,
  STATUS_TRANSITIONS,
  type CreateOrderBody,
  type ForwardStatus,
  type Order,
  type OrderLine,
  type StoredOrder,
} from './order.js';
import type { OrdersRepository } from './orders-repository.js';

export interface CreateResult {
  order: Order;
  replayed: boolean;
}

export interface ReconcileResult {
  committed: number;
  undone: number;
}

// Fixed namespace for UUIDv5 ids derived from Idempotency-Key values (the same key always names
// the same order, in every region and every task).
const IDEMPOTENCY_NAMESPACE = Buffer.from('6d1f3c0a9b2e4f7a8c5d0e1b2a3f4c5d', 'hex');

export function orderIdForKey(key: string): string {
  const hash = createHash('sha1').update(IDEMPOTENCY_NAMESPACE).update(key, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** JSON with sorted keys, so that equal bodies hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function requestHash(body: CreateOrderBody): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export function toPublicOrder(order: StoredOrder): Order {
  const { requestHash: _fingerprint, ...publicOrder } = order;
  return publicOrder;
}

function keyReused(): ApiError {
  return new ApiError(
    422,
    'IDEMPOTENCY_KEY_REUSED',
    'This order id or Idempotency-Key was already used with a different request body',
  );
}

function createInProgress(): ApiError {
  return new ApiError(
    409,
    'CREATE_IN_PROGRESS',
    'A request with this order id or Idempotency-Key is still being processed; retry shortly',
    {},
    1,
  );
}

/**
 * Orders span two stores: stock in Aurora MySQL (one writer, strongly consistent) and the order
 * in the DynamoDB global table. Creating reserves stock first and writes the order second; if the
 * order write fails the reservation is undone, and a reservation left 'held' by a crash in between
 * is settled later by `reconcile`. A written order's reservation is marked 'committed' in the
 * background (`CommitMarks`), so the answer does not wait for a second trip to the writer.
 */
export class OrdersService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly inventory: InventoryRepository,
    private readonly commitMarks: CommitMarks,
    private readonly region: string,
  ) {}

  async get(orderId: string): Promise<Order | undefined> {
    const order = await this.orders.get(orderId);
    return order === undefined ? undefined : toPublicOrder(order);
  }

  async listByCustomer(
    customerId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ orders: Order[]; nextCursor?: string }> {
    const page = await this.orders.listByCustomer(customerId, limit, cursor);
    return { ...page, orders: page.orders.map(toPublicOrder) };
  }

  async create(
    body: CreateOrderBody,
    idempotencyKey: string | undefined,
    log: FastifyBaseLogger,
  ): Promise<CreateResult> {
    if (body.orderId !== undefined && idempotencyKey !== undefined) {
      throw new ApiError(
        400,
        'AMBIGUOUS_IDEMPOTENCY',
        'Send either body/orderId or the Idempotency-Key header, not both',
      );
    }
    const idempotent = body.orderId !== undefined || idempotencyKey !== undefined;
    const orderId = body.orderId ?? (idempotencyKey === undefined ? randomUUID() : orderIdForKey(idempotencyKey));
    const hash = requestHash(body);

    if (idempotent) {
      const replay = await this.replay(orderId, hash);
      if (replay !== undefined) {
        return replay;
      }
    }

    const lines = await this.reserve(orderId, body, hash);
    const now = new Date().toISOString();
    const order: StoredOrder = {
      orderId,
      customerId: body.customerId,
      status: 'pending',
      items: lines,
      totalCents: lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0),
      version: 1,
      homeRegion: this.region,
      createdAt: now,
      updatedAt: now,
      requestHash: hash,
    };
    try {
      await this.orders.create(order);
    } catch (error) {
      await this.settleFailedWrite(orderId, hash, error, log);
    }
    this.commitMarks.add(orderId);
    return { order: toPublicOrder(order), replayed: false };
  }

  async updateStatus(orderId: string, status: ForwardStatus, expectedVersion: number): Promise<Order> {
    const updated = await this.orders.transition(orderId, status, {
      expectedVersion,
      allowedFrom: STATUS_TRANSITIONS[status],
    });
    return toPublicOrder(updated);
  }

  /**
   * Cancels and returns the stock. The refusal reasons are checked on the local replica first, so
   * a doomed cancel never locks rows on the (possibly remote) MySQL writer.
   */
  async cancel(
    orderId: string,
    expectedVersion: number,
    reason: string | undefined,
    log: FastifyBaseLogger,
  ): Promise<Order> {
    const rule = { expectedVersion, allowedFrom: CANCELLABLE_STATUSES };
    const rejection = this.orders.rejectionFor(await this.orders.get(orderId), rule);
    if (rejection !== undefined) {
      throw rejection;
    }
    let dynamoAccepted = false;
    try {
      const cancelled = await this.inventory.release(orderId, async () => {
        const order = await this.orders.transition(orderId, 'cancelled', rule, {
          ...(reason === undefined ? {} : { cancelReason: reason }),
        });
        dynamoAccepted = true;
        return order;
      });
      return toPublicOrder(cancelled);
    } catch (error) {
      if (dynamoAccepted) {
        log.error({ err: error, orderId }, 'order cancelled but its stock was not returned (commit failed)');
      }
      throw error;
    }
  }

  /**
   * Settles 'held' reservations of this region older than `minAgeMs` (older than any request
   * can live): if the order is in DynamoDB the reservation is committed, otherwise undone.
   */
  async reconcile(minAgeMs: number, limit: number): Promise<ReconcileResult> {
    const landed: string[] = [];
    let undone = 0;
    for (const orderId of await this.inventory.staleHeld(this.region, minAgeMs, limit)) {
      if ((await this.orders.get(orderId)) === undefined) {
        undone += (await this.inventory.undoHeld(orderId)) ? 1 : 0;
      } else {
        landed.push(orderId);
      }
    }
    if (landed.length > 0) {
      await this.inventory.markCommitted(landed);
    }
    return { committed: landed.length, undone };
  }

  private async reserve(orderId: string, body: CreateOrderBody, hash: string): Promise<OrderLine[]> {
    try {
      return await this.inventory.reserve({
        orderId,
        customerId: body.customerId,
        requestHash: hash,
        region: this.region,
        lines: body.items,
      });
    } catch (error) {
      if (!(error instanceof ReservationExists)) {
        throw error;
      }
      if (error.requestHash !== hash) {
        throw keyReused();
      }
      // Same request already reserved: either done in a region whose write has not replicated
      // here yet, or still in flight. Only the attempt that reserved may write the order.
      throw createInProgress();
    }
  }

  private async replay(orderId: string, hash: string): Promise<CreateResult | undefined> {
    const existing = await this.orders.get(orderId);
    if (existing === undefined) {
      return undefined;
    }
    if (existing.requestHash !== hash) {
      throw keyReused();
    }
    return { order: toPublicOrder(existing), replayed: true };
  }

  /**
   * The order write failed, but a timed-out write may still have landed: read it back. Landed:
   * carry on. Absent: undo the reservation. Unknown (DynamoDB unreachable): leave it 'held' for
   * the reconciler rather than guess, because undoing a landed order's stock would oversell.
   */
  private async settleFailedWrite(
    orderId: string,
    hash: string,
    error: unknown,
    log: FastifyBaseLogger,
  ): Promise<void> {
    let existing: StoredOrder | undefined;
    try {
      existing = await this.orders.get(orderId);
    } catch (readError) {
      log.error({ err: readError, orderId }, 'order write outcome unknown; reservation left for the reconciler');
      throw error;
    }
    if (existing?.requestHash === hash) {
      return;
    }
    try {
      await this.inventory.undoHeld(orderId);
    } catch (undoError) {
      log.error({ err: undoError, orderId }, 'reservation not undone after a failed order write; the reconciler will');
    }
    throw existing === undefined ? error : keyReused();
  }
}
