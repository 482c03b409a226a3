import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { isToken } from './tokens.js';

/**
 * The multi-region vocabulary every module and stack shares:
 *
 * - a construct that spans regions takes `regions` (one `RegionPlacement` each, the primary among
 *   them) and, when one region is special, `primaryRegion`: the region that writes, receives
 *   pushes or holds the original that the others replicate;
 * - it hands back what differs per region through `forRegion(region)`, backed by a
 *   `RegionalValues`, and so does every stack that others read per-region values from.
 */

/** A region a construct places resources in, with the stack's provider for that region. */
export interface RegionPlacement {
  readonly region: string;
  readonly provider: AwsProvider;
}

/** Per-region values of one construct or stack, found by region name. */
export class RegionalValues<T> {
  private readonly values: ReadonlyMap<string, T>;

  /** @param owner names the construct or stack in the error for a region it has nothing in. */
  constructor(
    private readonly owner: string,
    entries: Iterable<readonly [string, T]>,
  ) {
    this.values = new Map(entries);
  }

  /** The regions, in the order the values were given. */
  get regions(): string[] {
    return [...this.values.keys()];
  }

  /** The value of `region`; throws, naming the regions there are, when there is none. */
  forRegion(region: string): T {
    const value = this.values.get(region);
    if (value === undefined) {
      throw new Error(`${this.owner}: nothing in ${region}; regions: ${this.regions.join(', ')}`);
    }
    return value;
  }
}

/** What is wrong with `regions` (and `primaryRegion`, when given): a repeated region, or a primary outside them. */
export function placementProblems(
  regions: ReadonlyArray<{ readonly region: string }>,
  primaryRegion?: string,
): string[] {
  const names = regions.map((placement) => placement.region);
  const problems: string[] = [];
  // Region names name construct scopes and resources and pick the primary among the placements.
  if (names.some(isToken)) problems.push('regions: each region name must be known at synth, not a token');
  if (isToken(primaryRegion)) problems.push('primaryRegion: must be known at synth, not a token');
  if (new Set(names).size !== names.length)
    problems.push(`regions: each region may appear once, got ${names.join(', ')}`);
  if (primaryRegion !== undefined && !isToken(primaryRegion) && !names.includes(primaryRegion)) {
    problems.push(`primaryRegion: ${primaryRegion} is not one of regions (${names.join(', ')})`);
  }
  return problems;
}

/** The primary's placement and the others in their given order; `placementProblems` reports why it may throw. */
export function primaryAndOthers<P extends RegionPlacement>(
  primaryRegion: string,
  regions: readonly P[],
): { primary: P; others: P[] } {
  const primary = regions.find((placement) => placement.region === primaryRegion);
  if (primary === undefined) throw new Error(`primaryRegion: ${primaryRegion} is not one of the placements`);
  return { primary, others: regions.filter((placement) => placement !== primary) };
}
