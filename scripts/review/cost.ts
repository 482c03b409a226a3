/**
 * The review's cost section: both sides priced with the head's cost model and price tables
 * (cost/), each side with its own environment file's usage assumptions, compared per component and
 * region. A side that cannot be priced (its environment does not load under the head's schema, a
 * price is missing, a resource type has no decision) makes the section say why instead.
 */
import { join } from 'node:path';
import { estimateCost, totalsBy, type Estimate } from '../../cost/estimate.js';
import { PriceBook } from '../../cost/prices.js';
import type { Usage } from '../../cost/usage.js';
import { loadDeploymentConfig } from '../../config/index.js';
import type { SynthOutput } from './diff.js';

/** A side's usage assumptions, or why they could not be read. */
export type UsageSource = { readonly usage: Usage } | { readonly error: string };

export interface CostRow {
  readonly component: string;
  readonly region: string;
  /** Monthly cents; 0 when the side has nothing there. */
  readonly base: number;
  readonly head: number;
}

export type CostChange =
  | { readonly baseCents: number; readonly headCents: number; readonly changed: readonly CostRow[] }
  | { readonly unavailable: string };

/** The usage of `environment` as the checkout in `directory` declares it, read with the head's configuration code. */
export function usageOf(directory: string, environment: string): UsageSource {
  try {
    return { usage: loadDeploymentConfig({ environment, directory: join(directory, 'environments') }).usage };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function price(
  side: 'base' | 'head',
  synth: SynthOutput,
  source: UsageSource,
  environment: string,
  prices: PriceBook,
): Estimate | string {
  if ('error' in source) return `the ${side}'s configuration does not load with the head's schema: ${source.error}`;
  try {
    return estimateCost({ environment, stacks: synth.stacks, usage: source.usage, prices });
  } catch (error) {
    return `the ${side} cannot be priced: ${(error as Error).message}`;
  }
}

export function costChange(options: {
  readonly environment: string;
  readonly base: SynthOutput;
  readonly head: SynthOutput;
  readonly usage: { readonly base: UsageSource; readonly head: UsageSource };
  readonly prices?: PriceBook;
}): CostChange {
  const prices = options.prices ?? new PriceBook();
  const base = price('base', options.base, options.usage.base, options.environment, prices);
  const head = price('head', options.head, options.usage.head, options.environment, prices);
  if (typeof base === 'string' || typeof head === 'string')
    return { unavailable: [base, head].filter((side) => typeof side === 'string').join('; ') };
  const cell = (line: { component: string; region: string }): string => `${line.component}\u0000${line.region}`;
  const baseCells = totalsBy(base.lines, cell);
  const headCells = totalsBy(head.lines, cell);
  const changed = [...new Set([...baseCells.keys(), ...headCells.keys()])]
    .sort()
    .map((key): CostRow => {
      const [component = '', region = ''] = key.split('\u0000');
      return { component, region, base: baseCells.get(key) ?? 0, head: headCells.get(key) ?? 0 };
    })
    .filter((row) => row.base !== row.head);
  return { baseCents: base.totalCents, headCents: head.totalCents, changed };
}
