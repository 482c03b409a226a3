/**
 * The monthly estimate of a synthesized environment: every resource block is classified (rules.ts),
 * the priced ones turned into charges, the charges priced from the tables (prices.ts) and summed
 * by region and component. Amounts are whole cents per line, so totals add up exactly.
 */
import { inventory, NO_REGION, type Block, type SynthesizedStack } from './inventory.js';
import { priceId, type FoundPrice, type PriceBook } from './prices.js';
import { DECISIONS, HOURS_PER_MONTH, type Component, type Decision, type PricingContext } from './rules.js';
import type { Usage } from './usage.js';

export interface CostLine {
  readonly region: string;
  readonly component: Component;
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly priceKey: string;
  readonly unitPrice: number;
  /** The region whose table priced it: another one only with --price-fallback. */
  readonly pricedFrom: string;
  readonly cents: number;
  /** The resources it comes from. */
  readonly resources: readonly string[];
}

export interface NotPriced {
  readonly type: string;
  readonly decision: 'free' | 'unpriced';
  readonly reason: string;
  readonly count: number;
}

export interface Estimate {
  readonly environment: string;
  readonly currency: 'USD';
  readonly hoursPerMonth: number;
  /** Regions that appear in the estimate (`global` for Route 53), sorted. */
  readonly regions: readonly string[];
  readonly lines: readonly CostLine[];
  readonly totalCents: number;
  readonly usage: Usage;
  /** Every price used, with its source. */
  readonly prices: readonly FoundPrice[];
  readonly notPriced: readonly NotPriced[];
}

/** Resource types in the output with no decision in rules.ts. */
export class UnclassifiedTypesError extends Error {
  override name = 'UnclassifiedTypesError';
  constructor(readonly types: readonly string[]) {
    super(
      `No cost decision for resource type(s) ${types.join(', ')}: add each to DECISIONS in cost/rules.ts as priced, free or unpriced, with the reason.`,
    );
  }
}

/** The resource types of `blocks` that rules.ts has no decision for, sorted. */
export function unclassifiedTypes(
  blocks: readonly Block[],
  decisions: Readonly<Record<string, Decision>> = DECISIONS,
): string[] {
  return [...new Set(blocks.map((block) => block.type))].filter((type) => !(type in decisions)).sort();
}

export function estimateCost(options: {
  readonly environment: string;
  readonly stacks: ReadonlyMap<string, SynthesizedStack>;
  readonly usage: Usage;
  readonly prices: PriceBook;
}): Estimate {
  const blocks = inventory(options.stacks);
  const unclassified = unclassifiedTypes(blocks);
  if (unclassified.length > 0) throw new UnclassifiedTypesError(unclassified);
  const context: PricingContext = {
    usage: options.usage,
    blocks,
    servingRegions: [...new Set(blocks.filter((block) => block.type === 'aws_lb').map((block) => block.region))].sort(),
  };
  const charges = blocks.flatMap((block) => {
    const decision = DECISIONS[block.type] as Decision;
    return decision.kind === 'priced' ? decision.price(block, context) : [];
  });
  const found = options.prices.resolve(charges.map((charge) => ({ region: charge.region, key: charge.priceKey })));

  const grouped = new Map<string, { quantity: number; resources: string[]; first: (typeof charges)[number] }>();
  for (const charge of charges) {
    const id = [charge.region, charge.component, charge.item, charge.priceKey].join('\u0000');
    const entry = grouped.get(id) ?? { quantity: 0, resources: [], first: charge };
    entry.quantity += charge.quantity;
    if (!entry.resources.includes(charge.address)) entry.resources.push(charge.address);
    grouped.set(id, entry);
  }
  const lines = [...grouped.values()]
    .map(({ quantity, resources, first }): CostLine => {
      const price = found.get(priceId(first.region, first.priceKey)) as FoundPrice;
      return {
        region: first.region,
        component: first.component,
        item: first.item,
        quantity,
        unit: price.unit,
        priceKey: first.priceKey,
        unitPrice: price.price,
        pricedFrom: price.from,
        cents: toCents(quantity * price.price),
        resources: resources.sort(),
      };
    })
    .sort(
      (a, b) =>
        a.component.localeCompare(b.component) ||
        a.region.localeCompare(b.region) ||
        a.item.localeCompare(b.item) ||
        a.priceKey.localeCompare(b.priceKey),
    );

  const notPriced = new Map<string, NotPriced>();
  for (const block of blocks) {
    const decision = DECISIONS[block.type] as Decision;
    if (decision.kind === 'priced') continue;
    const previous = notPriced.get(block.type);
    notPriced.set(block.type, {
      type: block.type,
      decision: decision.kind,
      reason: decision.reason,
      count: (previous?.count ?? 0) + 1,
    });
  }
  return {
    environment: options.environment,
    currency: 'USD',
    hoursPerMonth: HOURS_PER_MONTH,
    regions: [...new Set(lines.map((line) => line.region))].filter((region) => region !== NO_REGION).sort(),
    lines,
    totalCents: lines.reduce((sum, line) => sum + line.cents, 0),
    usage: options.usage,
    prices: [...found.values()].sort((a, b) => a.region.localeCompare(b.region) || a.key.localeCompare(b.key)),
    notPriced: [...notPriced.values()].sort((a, b) => a.type.localeCompare(b.type)),
  };
}

/** Whole cents, rounding half away from zero (the small epsilon absorbs binary fractions such as 32.849999…). */
export function toCents(dollars: number): number {
  return Math.round(dollars * 100 + Math.sign(dollars) * 1e-7);
}

/** Sum of cents per key. */
export function totalsBy(lines: readonly CostLine[], key: (line: CostLine) => string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(key(line), (totals.get(key(line)) ?? 0) + line.cents);
  return totals;
}
