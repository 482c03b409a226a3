import { beforeAll, expect } from 'vitest';
import type { Synthesized } from './synth.js';

/** Synthesizes once before the tests of the enclosing `describe`; the getter returns the result. */
export function synthesizeBeforeAll(synthesize: () => Synthesized): () => Synthesized {
  let deployment: Synthesized | undefined;
  beforeAll(() => {
    deployment = synthesize();
  });
  return () => {
    if (deployment === undefined) throw new Error('the synthesis in beforeAll failed');
    return deployment;
  };
}

/** The single item of `items`, failing the test (naming `what`) when there are none or several. */
export function only<T>(items: readonly T[], what = 'items'): T {
  expect(items, what).toHaveLength(1);
  return present(items[0], what);
}

/** `value`, or a failure naming `what` when it is undefined: for lookups by key in synthesized JSON. */
export function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}
