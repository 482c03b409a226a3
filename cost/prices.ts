/**
 * The price tables (cost/prices/<region>.json, and global.json for Route 53): every price with the
 * AWS page it belongs to, the date it was read, and whether the figure was verified against a page
 * read that day or carried from the published list (docs/cost.md, "Price tables").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../stacks/synthesize.js';

export const PRICES_DIRECTORY = join(PROJECT_ROOT, 'cost', 'prices');

/** The pseudo-region of services priced the same everywhere and billed globally (Route 53). */
export const GLOBAL_REGION = 'global';

export interface Price {
  readonly price: number;
  readonly unit: string;
  /** The AWS pricing page the figure belongs to. */
  readonly source: string;
  /** When the source was consulted (YYYY-MM-DD). */
  readonly read: string;
  /** `verified`: a page read that day states the figure; `carried`: the published list price, not re-verified. */
  readonly status: 'verified' | 'carried';
  /** The page(s) that state the figure, or why it is carried. */
  readonly evidence: string;
}

interface PriceTable {
  readonly region: string;
  readonly currency: string;
  readonly prices: Readonly<Record<string, Price>>;
}

/** A price found for a region, and the region whose table it came from (another one only with a fallback). */
export interface FoundPrice extends Price {
  readonly key: string;
  readonly region: string;
  readonly from: string;
}

/** Prices that no table has: every region and key at once. */
export class MissingPricesError extends Error {
  override name = 'MissingPricesError';
  constructor(readonly missing: ReadonlyMap<string, readonly string[]>) {
    const lines = [...missing].map(([region, keys]) => `  - ${region}: ${keys.join(', ')}`);
    super(
      [
        `No price for ${[...missing.values()].flat().length} item(s) (cost/prices/<region>.json):`,
        ...lines,
        'Add the prices (docs/cost.md, "Updating prices"), or price them from another region with --price-fallback <region>.',
      ].join('\n'),
    );
  }
}

export class PriceBook {
  private readonly tables: ReadonlyMap<string, PriceTable>;

  constructor(
    directory = PRICES_DIRECTORY,
    /** A region whose prices stand in for prices another region's table lacks; the estimate says so. */
    readonly fallback?: string,
  ) {
    const tables = new Map<string, PriceTable>();
    for (const file of readdirSync(directory)
      .filter((name) => name.endsWith('.json'))
      .sort()) {
      const table = JSON.parse(readFileSync(join(directory, file), 'utf8')) as PriceTable;
      if (`${table.region}.json` !== file) throw new Error(`${file} declares region ${table.region}`);
      if (table.currency !== 'USD') throw new Error(`${file}: only USD prices are supported, got ${table.currency}`);
      for (const [key, entry] of Object.entries(table.prices)) {
        const problem = priceProblem(entry);
        if (problem !== undefined) throw new Error(`cost/prices/${file} ${key}: ${problem}`);
      }
      tables.set(table.region, table);
    }
    if (fallback !== undefined && !tables.has(fallback))
      throw new Error(`--price-fallback ${fallback}: no price table cost/prices/${fallback}.json`);
    this.tables = tables;
  }

  /** Regions that have a price table. */
  get regions(): string[] {
    return [...this.tables.keys()];
  }

  /** The price of `key` in `region`, from the fallback region when the region's table lacks it. */
  find(region: string, key: string): FoundPrice | undefined {
    const own = this.tables.get(region)?.prices[key];
    if (own !== undefined) return { ...own, key, region, from: region };
    if (this.fallback === undefined || region === GLOBAL_REGION) return undefined;
    const borrowed = this.tables.get(this.fallback)?.prices[key];
    return borrowed === undefined ? undefined : { ...borrowed, key, region, from: this.fallback };
  }

  /** Every `(region, key)` priced, or MissingPricesError naming all that are not. */
  resolve(wanted: ReadonlyArray<{ region: string; key: string }>): Map<string, FoundPrice> {
    const found = new Map<string, FoundPrice>();
    const missing = new Map<string, string[]>();
    for (const { region, key } of wanted) {
      const id = priceId(region, key);
      if (found.has(id)) continue;
      const price = this.find(region, key);
      if (price !== undefined) found.set(id, price);
      else if (!(missing.get(region) ?? []).includes(key)) missing.set(region, [...(missing.get(region) ?? []), key]);
    }
    if (missing.size > 0) {
      const sorted = new Map([...missing].sort(([a], [b]) => a.localeCompare(b)).map(([r, k]) => [r, k.sort()]));
      throw new MissingPricesError(sorted);
    }
    return found;
  }
}

/** What is wrong with a price entry: every price needs a figure, a unit, its source page, the date and how it was checked. */
function priceProblem(entry: Price): string | undefined {
  if (typeof entry.price !== 'number' || !(entry.price >= 0)) return 'price must be a number of at least 0';
  if (!entry.unit) return 'unit is missing';
  if (!/^https:\/\//.test(entry.source ?? '')) return 'source must be the https address of the pricing page';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(entry.read ?? ''))
    return 'read must be the date the source was consulted (YYYY-MM-DD)';
  if (entry.status !== 'verified' && entry.status !== 'carried') return 'status must be verified or carried';
  if (!entry.evidence) return 'evidence is missing (the page that states the figure, or why it is carried)';
  return undefined;
}

export function priceId(region: string, key: string): string {
  return `${region} ${key}`;
}
