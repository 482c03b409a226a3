/**
 * Re-plan differences that come from moto, not from the stacks: attributes moto drops or answers
 * differently from AWS, each with the moto API at fault (docs/rehearsal.md, "Emulator gaps").
 * A re-plan change is blamed on the emulator only when every attribute it changes is listed here for
 * its resource type (and, where a gap covers only some resources of the type, the resource is one
 * of them), or is merely unknown because such a change upstream in the same plan.
 * Everything else is a product defect and fails the rehearsal.
 */
export type EmulatorGap =
  | string
  | {
      readonly reason: string;
      /** The resources of the type the gap covers, judged by the planned values. */
      readonly appliesTo: (planned: Readonly<Record<string, unknown>>) => boolean;
    };

/** moto answers a rule's description only when the rule names a CIDR or prefix list, not a group. */
const ruleReferencingGroup: EmulatorGap = {
  reason: 'DescribeSecurityGroupRules omits Description of rules that reference a security group',
  appliesTo: (planned) => typeof planned.referenced_security_group_id === 'string',
};
const PEERING_TAGS = 'one tag set for both regions of an inter-region peering connection (AWS keeps one per region)';
const PERFORMANCE_INSIGHTS = 'CreateDBInstance drops Performance Insights settings';
const ECS_SERVICE = (setting: string): string => `CreateService drops ${setting}`;

export const EMULATOR_DRIFT: Readonly<Record<string, Readonly<Record<string, EmulatorGap>>>> = {
  aws_vpc_security_group_ingress_rule: { description: ruleReferencingGroup },
  aws_vpc_security_group_egress_rule: { description: ruleReferencingGroup },
  aws_vpc_peering_connection_accepter: { tags: PEERING_TAGS, tags_all: PEERING_TAGS },
  aws_rds_cluster: {
    scaling_configuration: 'DescribeDBClusters returns an empty ScalingConfigurationInfo for provisioned clusters',
  },
  aws_rds_cluster_instance: {
    performance_insights_enabled: PERFORMANCE_INSIGHTS,
    performance_insights_kms_key_id: PERFORMANCE_INSIGHTS,
    performance_insights_retention_period: PERFORMANCE_INSIGHTS,
  },
  aws_rds_global_cluster: { tags_all: 'CreateGlobalCluster ignores Tags' },
  aws_acm_certificate: { key_algorithm: 'RequestCertificate ignores KeyAlgorithm (issues RSA_2048)' },
  aws_ecs_service: {
    availability_zone_rebalancing: ECS_SERVICE('AvailabilityZoneRebalancing'),
    enable_ecs_managed_tags: ECS_SERVICE('EnableECSManagedTags'),
    health_check_grace_period_seconds: ECS_SERVICE('HealthCheckGracePeriodSeconds'),
  },
};

export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: Record<string, unknown> | null;
    readonly after?: Record<string, unknown> | null;
    readonly after_unknown?: Record<string, unknown> | null;
    readonly replace_paths?: ReadonlyArray<ReadonlyArray<string | number>>;
  };
}

export interface Classified {
  /** `actions address: attribute (moto's fault), …` per change the emulator explains. */
  readonly emulator: string[];
  /** `actions address: attribute, …` per change it does not: product defects. */
  readonly product: string[];
}

/** The gaps of a resource type that cover this resource, as attribute → reason. */
function gapsOf(type: string, planned: Readonly<Record<string, unknown>>): Record<string, string> {
  const covering = Object.entries(EMULATOR_DRIFT[type] ?? {}).flatMap(([attribute, gap]) =>
    typeof gap === 'string' ? [[attribute, gap]] : gap.appliesTo(planned) ? [[attribute, gap.reason]] : [],
  );
  return Object.fromEntries(covering) as Record<string, string>;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Sorts a plan's resource and output changes into the emulator's and the product's. */
export function classifyReplan(
  changes: readonly PlannedChange[],
  outputs: Readonly<Record<string, { readonly actions: readonly string[]; readonly after_unknown?: unknown }>>,
): Classified {
  const emulator: string[] = [];
  const product: string[] = [];
  for (const { address, type, change } of changes) {
    if (change.actions.every((action) => action === 'no-op' || action === 'read')) continue;
    const before = change.before ?? {};
    const after = change.after ?? {};
    const unknown = change.after_unknown ?? {};
    const replacing = change.actions.includes('delete') && change.actions.includes('create');
    const attributes = replacing
      ? [...new Set((change.replace_paths ?? []).map((path) => String(path[0])))]
      : [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
          (key) => unknown[key] === true || !same(before[key], after[key]),
        );
    const gaps = gapsOf(type, after);
    const blamed = attributes.filter((key) => gaps[key] !== undefined);
    const knownOnlyLater = attributes.filter((key) => gaps[key] === undefined && unknown[key] === true);
    const unexplained = attributes.filter((key) => gaps[key] === undefined && unknown[key] !== true);
    const line = `${change.actions.join('/')} ${address}`;
    if (unexplained.length > 0 || (blamed.length === 0 && knownOnlyLater.length === 0)) {
      product.push(`${line}: ${unexplained.join(', ') || '(no attribute named)'}`);
    } else {
      emulator.push(
        `${line}: ${[...blamed.map((key) => `${key} (${gaps[key]})`), ...knownOnlyLater.map((key) => `${key} (known after apply, follows an emulator change)`)].join(', ')}`,
      );
    }
  }
  for (const [name, change] of Object.entries(outputs)) {
    if (change.actions.includes('no-op')) continue;
    const line = `${change.actions.join('/')} output ${name}`;
    if (change.after_unknown === true) emulator.push(`${line} (known after apply, follows an emulator change)`);
    else product.push(line);
  }
  return { emulator, product };
}
