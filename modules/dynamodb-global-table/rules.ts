import { Fn, Op, type IResolvable } from 'cdktf';
import { compare } from '../validation.js';

/**
 * The rules of a global table's consistency mode and capacity, shared by the construct (which
 * refuses bad props) and the deployment configuration (which reports them against its own field
 * names).
 */

/** `eventual` is multi-Region eventual consistency (MREC); `strong` is MRSC. */
export type ConsistencyMode = 'eventual' | 'strong';

/**
 * The region sets of multi-Region strong consistency: every replica and the witness of an MRSC
 * table must sit in one of them.
 */
export const MRSC_REGION_SETS: Readonly<Record<string, readonly string[]>> = {
  US: ['us-east-1', 'us-east-2', 'us-west-2'],
  EU: ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1'],
  AP: ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3'],
};

export interface ConsistencyChoice {
  readonly mode: ConsistencyMode;
  /** Every region with a replica, the table's own region included. */
  readonly replicaRegions: readonly string[];
  readonly witnessRegion?: string;
}

export interface ConsistencyProblem {
  /** Which choice is wrong: the mode itself, or the witness region. */
  readonly subject: 'mode' | 'witness';
  readonly message: string;
}

/** Every reason `choice` cannot be built (empty when it can). */
export function consistencyProblems(choice: ConsistencyChoice): ConsistencyProblem[] {
  const { mode, replicaRegions, witnessRegion } = choice;
  if (mode === 'eventual') {
    return witnessRegion === undefined
      ? []
      : [
          {
            subject: 'witness',
            message: `"${witnessRegion}" is set, but only strong consistency (MRSC) has a witness; remove the witness or choose strong consistency`,
          },
        ];
  }
  const problems: ConsistencyProblem[] = [];
  if (witnessRegion !== undefined && replicaRegions.includes(witnessRegion)) {
    problems.push({
      subject: 'witness',
      message: `"${witnessRegion}" already holds a replica; the witness must be a region of the same region set without a replica`,
    });
  }
  const memberRegions = [...replicaRegions, ...(witnessRegion === undefined ? [] : [witnessRegion])];
  const setNames = new Set(memberRegions.map(regionSetOf));
  if (setNames.size !== 1 || setNames.has(undefined)) {
    const placement = memberRegions
      .map((region) => {
        const setName = regionSetOf(region);
        return `${region} is in ${setName === undefined ? 'no set' : `the ${setName} set`}`;
      })
      .join(', ');
    problems.push({
      subject: 'mode',
      message: `strong consistency (MRSC) needs every replica region and the witness in one region set, but ${placement}; the sets are ${describeRegionSets()}`,
    });
  }
  const replicaCount = replicaRegions.length;
  const countAllowed = witnessRegion === undefined ? replicaCount === 3 : replicaCount === 2;
  if (!countAllowed) {
    problems.push({
      subject: 'mode',
      message: `strong consistency (MRSC) needs 3 replica regions, or 2 and a witness; got ${replicaCount} (${replicaRegions.join(', ')}) and ${witnessRegion === undefined ? 'no witness' : `the witness ${witnessRegion}`}`,
    });
  }
  return problems;
}

function regionSetOf(region: string): string | undefined {
  return Object.entries(MRSC_REGION_SETS).find(([, regions]) => regions.includes(region))?.[0];
}

function describeRegionSets(): string {
  return Object.entries(MRSC_REGION_SETS)
    .map(([name, regions]) => `${name} (${regions.join(', ')})`)
    .join(', ');
}

/** Capacity units Application Auto Scaling may choose between. */
export interface CapacityRange {
  readonly min: number;
  readonly max: number;
}

/**
 * Provisioned capacity, scaled by target tracking. The table and every index get the same ranges;
 * each starts at its minimum.
 */
export interface ProvisionedCapacity {
  readonly read: CapacityRange;
  readonly write: CapacityRange;
  /**
   * Consumed capacity, as a percentage of provisioned, that the scaling policies hold (20-90).
   * @default 70
   */
  readonly targetUtilizationPercent?: number;
}

/** One rule of a provisioned-capacity choice, over the values it reads (which may be tokens). */
export interface CapacityRule {
  /** The field within `ProvisionedCapacity` the rule is about. */
  readonly field: string;
  readonly values: readonly number[];
  /** What is allowed, completing "must be …". */
  readonly allowed: string;
  holds(): boolean;
  problem(): string;
  /** The rule as a Terraform condition, for values that are tokens. */
  condition(): IResolvable;
}

/** The rules of a provisioned-capacity choice: each range, and the target utilization. */
export function capacityRules(capacity: ProvisionedCapacity): CapacityRule[] {
  const ranges = (['read', 'write'] as const).map((kind): CapacityRule => {
    const { min, max } = capacity[kind];
    return {
      field: kind,
      values: [min, max],
      allowed: 'whole numbers with 1 <= min <= max',
      holds: () => Number.isInteger(min) && Number.isInteger(max) && min >= 1 && max >= min,
      problem: () => `min ${min} and max ${max} must be whole numbers with 1 <= min <= max`,
      condition: () =>
        Op.and(
          Op.and(compare(min, 'eq', Fn.floor(min)), compare(max, 'eq', Fn.floor(max))),
          Op.and(compare(min, 'gte', 1), compare(max, 'gte', min)),
        ),
    };
  });
  const target = capacity.targetUtilizationPercent ?? 70;
  return [
    ...ranges,
    {
      field: 'targetUtilizationPercent',
      values: [target],
      allowed: 'from 20 to 90',
      holds: () => target >= 20 && target <= 90,
      problem: () => `${target} is outside 20-90`,
      condition: () => Op.and(compare(target, 'gte', 20), compare(target, 'lte', 90)),
    },
  ];
}

/**
 * What is wrong with a provisioned-capacity choice of known values, each problem naming its field
 * within `ProvisionedCapacity`; shared with the deployment configuration.
 */
export function capacityProblems(capacity: ProvisionedCapacity): Array<{ field: string; message: string }> {
  return capacityRules(capacity)
    .filter((rule) => !rule.holds())
    .map((rule) => ({ field: rule.field, message: rule.problem() }));
}
