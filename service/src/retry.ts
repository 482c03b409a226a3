import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryPolicy {
  /** Total attempts including the first. */
  attempts: number;
  /** Upper bound of the random delay before the second attempt; doubles for each later one. */
  baseDelayMs: number;
  isRetryable: (error: unknown) => boolean;
}

/** Runs `operation` until it succeeds, fails with a non-retryable error, or attempts run out. */
export async function retry<T>(policy: RetryPolicy, operation: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= policy.attempts || !policy.isRetryable(error)) {
        throw error;
      }
      // Full jitter keeps colliding writers from colliding again on the next attempt.
      await sleep(Math.random() * policy.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}
