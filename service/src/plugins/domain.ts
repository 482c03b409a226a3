import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { FailoverDrill } from '../drill.js';
import { CommitMarks } from '../orders/commit-marks.js';
import { InventoryRepository } from '../orders/inventory-repository.js';
import { OrdersRepository } from '../orders/orders-repository.js';
import { OrdersService } from '../orders/orders-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    orders: OrdersService;
    inventory: InventoryRepository;
    drill: FailoverDrill;
  }
}

export interface ReconcilerOptions {
  /** 0 disables the periodic run (tests call `orders.reconcile` directly). */
  intervalMs: number;
  /** Far longer than any request can live, so an in-flight create is never mistaken for a crash. */
  minAgeMs: number;
  batchSize: number;
}

export const DEFAULT_RECONCILER: ReconcilerOptions = {
  intervalMs: 60_000,
  minAgeMs: 5 * 60_000,
  batchSize: 100,
};

export default fp(
  function domain(fastify: FastifyInstance, opts: { config: Config; reconciler: ReconcilerOptions }, done: () => void) {
    const { config, reconciler } = opts;
    const inventory = new InventoryRepository(fastify.mysql.writer, fastify.mysql.reader);
    const commitMarks = new CommitMarks(inventory, fastify.log);
    const orders = new OrdersService(
      new OrdersRepository(fastify.dynamo, config.dynamo.table, config.region, config.dynamo.consistency),
      inventory,
      commitMarks,
      config.region,
    );
    fastify.decorate('inventory', inventory);
    fastify.decorate('orders', orders);
    fastify.decorate('drill', new FailoverDrill(fastify.dynamo, config.dynamo.table, config.region));
    // onClose hooks run last-registered first: the marks are written before the MySQL pools close.
    fastify.addHook('onClose', () => commitMarks.flush());

    if (reconciler.intervalMs <= 0) {
      done();
      return;
    }
    let running: Promise<void> = Promise.resolve();
    const reconcileOnce = async () => {
      try {
        const result = await orders.reconcile(reconciler.minAgeMs, reconciler.batchSize);
        if (result.committed + result.undone > 0) {
          fastify.log.warn(result, 'reconciled reservations left held by interrupted creates');
        }
      } catch (error) {
        fastify.log.warn({ err: error }, 'reservation reconciliation failed; next run retries');
      }
    };
    const timer = setInterval(() => {
      running = running.then(reconcileOnce);
    }, reconciler.intervalMs);
    timer.unref();
    fastify.addHook('onClose', async () => {
      clearInterval(timer);
      await running;
    });
    done();
  },
  { name: 'orders-domain', dependencies: ['dynamodb', 'mysql'] },
);
