import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface PressureLimits {
  /**
   * Mean event-loop delay over one sample above which requests are shed with 503; 0 turns
   * shedding off. A sample interval in which the loop never ran counts as over the limit.
   */
  maxEventLoopDelayMs: number;
  sampleIntervalMs: number;
  retryAfterSeconds: number;
}

// Event-loop delay, not utilisation, is the signal: a busy but responsive loop (utilisation near 1
// under a load test) still answers quickly, while a delayed loop makes every request late.
export const DEFAULT_PRESSURE_LIMITS: PressureLimits = {
  maxEventLoopDelayMs: 250,
  sampleIntervalMs: 1_000,
  retryAfterSeconds: 5,
};

export default fp(
  async function loadShedding(fastify: FastifyInstance, limits: PressureLimits) {
    await fastify.register(underPressure, {
      maxEventLoopDelay: limits.maxEventLoopDelayMs,
      sampleInterval: limits.sampleIntervalMs,
      retryAfter: limits.retryAfterSeconds,
    });
  },
  { name: 'load-shedding' },
);
