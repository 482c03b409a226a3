import type { FastifyBaseLogger } from 'fastify';
import type { InventoryRepository } from './inventory-repository.js';

/** How long an order id waits for others to share its UPDATE, and how many one UPDATE takes. */
const COMMIT_MARK_DELAY_MS = 10;
const COMMIT_MARK_BATCH = 200;

/**
 * Marks reservations 'committed' once their orders are in DynamoDB, off the request path: the
 * orders written within a few milliseconds share one UPDATE on the writer, which may be a
 * cross-region round trip away. The mark only spares the reconciler work: a batch that fails, or
 * a crash before it runs, leaves the reservations 'held', and the reconciler commits them later
 * because their orders are in DynamoDB. It never decides stock.
 */
export class CommitMarks {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private written: Promise<void> = Promise.resolve();

  constructor(
    private readonly inventory: InventoryRepository,
    private readonly log: FastifyBaseLogger,
  ) {}

  add(orderId: string): void {
    this.pending.push(orderId);
    if (this.pending.length >= COMMIT_MARK_BATCH) {
      void this.flush();
    } else {
      this.timer ??= setTimeout(() => void this.flush(), COMMIT_MARK_DELAY_MS);
    }
  }

  /** Writes every mark added so far; resolves once they are written or logged as failed. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0);
    if (batch.length > 0) {
      this.written = this.written.then(() =>
        this.inventory.markCommitted(batch).catch((error: unknown) => {
          this.log.warn(
            { err: error, orders: batch.length },
            'orders written but reservations not marked committed; the reconciler will',
          );
        }),
      );
    }
    return this.written;
  }
}
