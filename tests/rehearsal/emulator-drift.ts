/**
 * Re-plan differences that come from moto, not from the stacks: attributes moto drops or answers
 * differently from AWS, each with the moto API at fault (docs/rehearsal.md, "Emulator gaps").
 * A re-plan change is blamed on the emulator only when every attribute it changes is listed here for
 * its resource type, or is merely unknown because such a change upstream in the same plan.
 * Everything else is a product defect and fails the rehearsal.
 */
export const EMULATOR_DRIFT: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  aws_vpc_security_group_ingress_rule: { description: 'DescribeSecurityGroupRules omits Description' },
  aws_vpc_security_group_egress_rule: { description: 'DescribeSecurityGroupRules omits Description' },
  aws_vpc_peering_connection_accepter: {
    tags: 'one tag set for both regions of an inter-region peering connection (AWS keeps one per region)',
    tags_all: 'one tag set for both regions of an inter-region peering connection (AWS keeps one per region)',
  },
  aws_backup_plan: { tags_all: 'CreateBackupPlan ignores BackupPlanTags' },
  aws_backup_vault: { tags_all: 'CreateBackupVault ignores BackupVaultTags' },
  aws_rds_cluster: {
    scaling_configuration: 'DescribeDBClusters returns ScalingConfigurationInfo for provisioned clusters',
  },
  aws_rds_cluster_instance: {
    performance_insights_enabled: 'CreateDBInstance drops Performance Insights settings of cluster instances',
    performance_insights_kms_key_id: 'CreateDBInstance drops Performance Insights settings of cluster instances',
    performance_insights_retention_period: 'CreateDBInstance drops Performance Insights settings of cluster instances',
  },
  aws_rds_global_cluster: { tags_all: 'CreateGlobalCluster ignores Tags' },
  aws_secretsmanager_secret: { replica: "ReplicateSecretToRegions ignores the replica's KmsKeyId" },
  aws_acm_certificate: { key_algorithm: 'RequestCertificate ignores KeyAlgorithm (issues RSA_2048)' },
  aws_ecs_service: {
    availability_zone_rebalancing: 'CreateService drops AvailabilityZoneRebalancing',
    enable_ecs_managed_tags: 'CreateService drops EnableECSManagedTags',
    health_check_grace_period_seconds: 'CreateService drops HealthCheckGracePeriodSeconds',
  },
  aws_s3_bucket: { tags_all: "S3 Control's ListTagsForResource does not return the bucket's tags" },
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
    const gaps = EMULATOR_DRIFT[type] ?? {};
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
