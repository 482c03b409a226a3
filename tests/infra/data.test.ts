import { beforeAll, describe, expect, it } from 'vitest';
import { regionAlias, type DeploymentConfig } from '../../config/index.js';
import { only, present } from './fixtures.js';
import { ORDERS_TABLE } from '../../service/src/contract.js';
import {
  allBlocks,
  regionalDataOutput,
  resourcesOfType,
  stackOf,
  synthesizeOverrides,
  type StackJson,
  type Synthesized,
} from './synth.js';
import { evaluateExpression, terraformCliOrSkip } from './terraform-cli.js';

type Block = Record<string, unknown> & { id: string };

/** The provider address every resource of `region` must use. */
function providerOf(region: string): string {
  return `aws.${regionAlias(region)}`;
}

/** The block a whole-value reference such as `${aws_kms_key.some_id.arn}` points at. */
function referencedBlock(stack: StackJson, expression: unknown, type: string): Block {
  const match = /^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$/.exec(String(expression));
  expect(match?.[1], `${String(expression)} should reference a ${type}`).toBe(type);
  const block = resourcesOfType(stack, type).find((candidate) => candidate.id === match![2]);
  expect(block, `${String(expression)} should name a ${type} of the stack`).toBeDefined();
  return block!;
}

/** `aws_rds_cluster_instance.<id>`: how `depends_on` names a resource. */
function address(type: string, block: Block): string {
  return `${type}.${block.id}`;
}

function otherRegions(config: DeploymentConfig): string[] {
  return config.regions.map((entry) => entry.region).filter((region) => region !== config.primaryRegion);
}

/** The only aws_dynamodb_table of the data stack. */
function tableOf(stack: StackJson): Block {
  return only(resourcesOfType(stack, 'aws_dynamodb_table'), 'tables');
}

function clustersByRegion(stack: StackJson): Map<string, Block> {
  return new Map(
    resourcesOfType(stack, 'aws_rds_cluster').map((cluster) => [
      String(cluster.provider).replace('aws.', '').replace(/_/g, '-'),
      cluster,
    ]),
  );
}

const LAYOUTS: ReadonlyArray<[string, object]> = [
  ["the seed's two regions", {}],
  [
    'three regions with the primary in the middle, per-region sizing and a 90-day backup plan',
    {
      primaryRegion: 'eu-west-1',
      aurora: { backupPlanRetentionDays: 90 },
      regions: [
        { region: 'us-east-1', aurora: { instanceCount: 2, instanceClass: 'db.r7g.large' } },
        { region: 'eu-west-1' },
        { region: 'ap-southeast-2', aurora: { instanceCount: 3 } },
      ],
    },
  ],
];

describe.each(LAYOUTS)('the data stack for %s', (_name, overrides) => {
  let synthesized: Synthesized;
  let data: StackJson;
  let config: DeploymentConfig;
  beforeAll(() => {
    synthesized = synthesizeOverrides(overrides);
    config = synthesized.config;
    data = stackOf(synthesized.stacks, 'data');
  });

  it("puts the table in the primary region with a replica, encrypted by that region's own key, in every other region", () => {
    const table = tableOf(data);
    expect(table).toMatchObject({
      name: config.dynamodb.tableName,
      hash_key: ORDERS_TABLE.partitionKey,
      provider: providerOf(config.primaryRegion),
    });
    const sse = table.server_side_encryption as { enabled: boolean; kms_key_arn: string };
    expect(sse.enabled).toBe(true);
    expect(referencedBlock(data, sse.kms_key_arn, 'aws_kms_key').provider).toBe(providerOf(config.primaryRegion));

    const replicas = table.replica as Array<Record<string, unknown>>;
    expect(replicas.map((replica) => replica.region_name).sort()).toEqual(otherRegions(config).sort());
    const keyIds = new Set([referencedBlock(data, sse.kms_key_arn, 'aws_kms_key').id]);
    for (const replica of replicas) {
      const key = referencedBlock(data, replica.kms_key_arn, 'aws_kms_key');
      expect(key.provider).toBe(providerOf(String(replica.region_name)));
      expect(key.enable_key_rotation).toBe(true);
      keyIds.add(key.id);
    }
    expect(keyIds.size).toBe(config.regions.length);
  });

  it('keeps point-in-time recovery, deletion protection and tag propagation on the table and every replica', () => {
    const table = tableOf(data);
    expect(table.point_in_time_recovery).toMatchObject({ enabled: true });
    expect(table.deletion_protection_enabled).toBe(true);
    for (const replica of table.replica as Array<Record<string, unknown>>) {
      expect(replica).toMatchObject({
        point_in_time_recovery: true,
        deletion_protection_enabled: true,
        propagate_tags: true,
      });
    }
  });

  it('streams new and old images, which replicas need, and is eventually consistent by default', () => {
    const table = tableOf(data);
    expect(table).toMatchObject({
      stream_enabled: true,
      stream_view_type: 'NEW_AND_OLD_IMAGES',
      billing_mode: 'PAY_PER_REQUEST',
    });
    for (const replica of table.replica as Array<Record<string, unknown>>)
      expect(replica.consistency_mode).toBe('EVENTUAL');
    expect(table.global_table_witness).toBeUndefined();
  });

  it('makes one encrypted, deletion-protected global cluster of the configured engine and version', () => {
    const globals = resourcesOfType(data, 'aws_rds_global_cluster');
    expect(globals).toHaveLength(1);
    expect(globals[0]).toMatchObject({
      global_cluster_identifier: config.aurora.globalClusterIdentifier,
      engine: config.aurora.engine,
      engine_version: config.aurora.engineVersion,
      storage_encrypted: true,
      deletion_protection: config.aurora.deletionProtection,
      provider: providerOf(config.primaryRegion),
    });
  });

  it('gives the primary cluster the generated credentials and the database name, and no secondary any of them', () => {
    const clusters = clustersByRegion(data);
    expect([...clusters.keys()].sort()).toEqual(config.regions.map((entry) => entry.region).sort());
    const primary = clusters.get(config.primaryRegion)!;
    expect(primary).toMatchObject({
      master_username: config.aurora.masterUsername,
      database_name: config.aurora.databaseName,
    });
    expect(primary.master_password).toMatch(/\.result\}$/);
    referencedBlock(data, primary.master_password, 'random_password');
    for (const region of otherRegions(config)) {
      const secondary = clusters.get(region)!;
      for (const forbidden of [
        'master_username',
        'master_password',
        'master_password_wo',
        'database_name',
        'manage_master_user_password',
      ]) {
        expect(secondary, `${region} must not set ${forbidden}`).not.toHaveProperty(forbidden);
      }
    }
  });

  it('creates each secondary only after every primary instance, and every member ignores what RDS changes', () => {
    const clusters = clustersByRegion(data);
    const primaryInstances = resourcesOfType(data, 'aws_rds_cluster_instance')
      .filter((instance) => instance.provider === providerOf(config.primaryRegion))
      .map((instance) => address('aws_rds_cluster_instance', instance));
    expect(primaryInstances).toHaveLength(
      config.regions.find((entry) => entry.region === config.primaryRegion)!.aurora.instanceCount,
    );
    for (const region of otherRegions(config)) {
      expect(clusters.get(region)!.depends_on).toEqual(expect.arrayContaining(primaryInstances));
    }
    for (const cluster of clusters.values()) {
      const lifecycle = cluster.lifecycle as { ignore_changes: string[] };
      expect(lifecycle.ignore_changes).toEqual(
        expect.arrayContaining(['replication_source_identifier', 'global_cluster_identifier']),
      );
    }
  });

  it('encrypts every cluster with a key of its own region and protects, backs up and audits it', () => {
    for (const [region, cluster] of clustersByRegion(data)) {
      expect(cluster).toMatchObject({
        provider: providerOf(region),
        storage_encrypted: true,
        deletion_protection: config.aurora.deletionProtection,
        backup_retention_period: config.aurora.backupRetentionDays,
        iam_database_authentication_enabled: true,
        copy_tags_to_snapshot: true,
      });
      expect(referencedBlock(data, cluster.kms_key_id, 'aws_kms_key').provider).toBe(providerOf(region));
      const subnetGroup = referencedBlock(data, cluster.db_subnet_group_name, 'aws_db_subnet_group');
      expect(subnetGroup.provider).toBe(providerOf(region));
      // The subnets and security group come from this region's network stack.
      const network = `cross-stack-reference-input-network-${region}.outputs`;
      expect((subnetGroup.subnet_ids as string[]).every((id) => id.includes(network) && id.includes('database'))).toBe(
        true,
      );
      expect(cluster.vpc_security_group_ids).toEqual([
        expect.stringMatching(new RegExp(`${network}.*network_database`)),
      ]);
      for (const logType of cluster.enabled_cloudwatch_logs_exports as string[]) {
        const group = resourcesOfType(data, 'aws_cloudwatch_log_group').find(
          (candidate) => candidate.name === `/aws/rds/cluster/${String(cluster.cluster_identifier)}/${logType}`,
        );
        expect(group, `${region} ${logType} log group`).toMatchObject({
          provider: providerOf(region),
          retention_in_days: config.aurora.logRetentionDays,
        });
        expect(cluster.depends_on).toContain(address('aws_cloudwatch_log_group', group!));
      }
    }
  });

  it("backs up every cluster daily with AWS Backup, into a vault of its region under the cluster's own key", () => {
    const selections = resourcesOfType(data, 'aws_backup_selection');
    expect(selections).toHaveLength(config.regions.length);
    for (const [region, cluster] of clustersByRegion(data)) {
      const selection = only(
        selections.filter((candidate) => candidate.provider === providerOf(region)),
        `${region} backup selection`,
      );
      // Selected by ARN, so the recovery points belong to the vault, not to the cluster.
      expect(selection.resources).toEqual([`\${aws_rds_cluster.${cluster.id}.arn}`]);
      const plan = referencedBlock(data, selection.plan_id, 'aws_backup_plan');
      expect(plan.provider).toBe(providerOf(region));
      const rule = only(
        plan.rule as Array<{ schedule: string; lifecycle: { delete_after: number }; target_vault_name: string }>,
        `${region} plan rules`,
      );
      expect(rule.schedule).toMatch(/^cron\(\d+ \d+ \? \* \* \*\)$/);
      expect(rule.lifecycle.delete_after).toBe(config.aurora.backupPlanRetentionDays);
      const vault = referencedBlock(data, rule.target_vault_name, 'aws_backup_vault');
      expect(vault.provider).toBe(providerOf(region));
      expect(vault.force_destroy).toBeUndefined();
      expect(vault.kms_key_arn).toBe(cluster.kms_key_id);
      expect(referencedBlock(data, vault.kms_key_arn, 'aws_kms_key').provider).toBe(providerOf(region));
    }
  });

  it('lets AWS Backup assume one role with the AWS managed backup and restore policies', () => {
    const roleIds = new Set(
      resourcesOfType(data, 'aws_backup_selection').map(
        (selection) => referencedBlock(data, selection.iam_role_arn, 'aws_iam_role').id,
      ),
    );
    const role = resourcesOfType(data, 'aws_iam_role').find(
      (candidate) => candidate.id === only([...roleIds], 'backup roles'),
    )!;
    const trust = present(
      /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(role.assume_role_policy))?.[1],
      'the backup role trust policy reference',
    );
    expect((data.data?.aws_iam_policy_document?.[trust] as { statement: unknown }).statement).toEqual([
      { actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['backup.amazonaws.com'] }] },
    ]);
    const attached = resourcesOfType(data, 'aws_iam_role_policy_attachment')
      .filter((attachment) => attachment.role === `\${aws_iam_role.${role.id}.name}`)
      .map((attachment) => String(attachment.policy_arn).replace(/^arn:[^:]+:iam::aws:policy\//, ''));
    expect(attached.sort()).toEqual([
      'service-role/AWSBackupServiceRolePolicyForBackup',
      'service-role/AWSBackupServiceRolePolicyForRestores',
    ]);
  });

  it("runs each region's configured instances, private, monitored and with encrypted Performance Insights", () => {
    const instances = resourcesOfType(data, 'aws_rds_cluster_instance');
    for (const entry of config.regions) {
      const regional = instances.filter((instance) => instance.provider === providerOf(entry.region));
      expect(regional).toHaveLength(entry.aurora.instanceCount);
      for (const instance of regional) {
        expect(instance).toMatchObject({
          instance_class: entry.aurora.instanceClass,
          publicly_accessible: false,
          performance_insights_enabled: true,
          auto_minor_version_upgrade: true,
        });
        expect(instance.monitoring_interval).toBeGreaterThan(0);
        expect(referencedBlock(data, instance.performance_insights_kms_key_id, 'aws_kms_key').provider).toBe(
          providerOf(entry.region),
        );
        expect(referencedBlock(data, instance.cluster_identifier, 'aws_rds_cluster').provider).toBe(
          providerOf(entry.region),
        );
      }
    }
  });

  it("replicates the credentials secret to every other region under that region's key", () => {
    const secret = only(resourcesOfType(data, 'aws_secretsmanager_secret'), 'secrets');
    expect(secret.provider).toBe(providerOf(config.primaryRegion));
    expect(referencedBlock(data, secret.kms_key_id, 'aws_kms_key').provider).toBe(providerOf(config.primaryRegion));
    const replicas = secret.replica as Array<{ region: string; kms_key_id: string }>;
    expect(replicas.map((replica) => replica.region).sort()).toEqual(otherRegions(config).sort());
    for (const replica of replicas) {
      expect(referencedBlock(data, replica.kms_key_id, 'aws_kms_key').provider).toBe(providerOf(replica.region));
    }
  });

  it('stores {"username", "password"} with the generated password, which appears nowhere as a literal', () => {
    const version = only(resourcesOfType(data, 'aws_secretsmanager_secret_version'), 'secret versions');
    const password = only(resourcesOfType(data, 'random_password'), 'passwords');
    expect(version.secret_string).toBe(
      `\${jsonencode({"username" = "${config.aurora.masterUsername}", "password" = random_password.${password.id}.result})}`,
    );
    expect(password).toMatchObject({ provider: 'random', special: true });
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(data.terraform.required_providers.random?.source).toBe('hashicorp/random');
  });

  it('places every resource and data source on the provider of the region in its name, the rest in the primary region', () => {
    const regions = config.regions.map((entry) => entry.region);
    const perRegion = new Map(regions.map((region) => [region, 0]));
    for (const block of allBlocks(data)) {
      if (block.type === 'terraform_remote_state') continue;
      if (block.type === 'random_password' || block.type === 'random_id') continue;
      const region = block.id.split('_').find((segment) => regions.includes(segment));
      expect(block.body.provider, `${block.type}.${block.id}`).toBe(providerOf(region ?? config.primaryRegion));
      if (region) perRegion.set(region, perRegion.get(region)! + 1);
    }
    for (const region of regions) expect(perRegion.get(region), region).toBeGreaterThan(0);
    const providers = data.provider?.aws ?? [];
    expect(providers.map((provider) => [provider.alias, provider.region]).sort()).toEqual(
      regions.map((region) => [regionAlias(region), region]).sort(),
    );
  });

  it("outputs each region's table, key, cluster and secret copy, and the shared writer endpoint", () => {
    const output = (name: string) => present(data.output?.[name], `output ${name}`).value;
    expect(String(output('database_writer_endpoint'))).toMatch(/^\$\{aws_rds_global_cluster\.[^.]+\.endpoint\}$/);
    expect(output('database_name')).toBe(config.aurora.databaseName);
    expect(output('database_port')).toBe(3306);
    const perRegion = output('regions') as Record<string, Record<string, string>>;
    expect(Object.keys(perRegion).sort()).toEqual(config.regions.map((entry) => entry.region).sort());
    const table = tableOf(data);
    const clusters = clustersByRegion(data);
    for (const [region, values] of Object.entries(perRegion)) {
      expect(referencedBlock(data, values.table_key_arn, 'aws_kms_key').provider).toBe(providerOf(region));
      expect(referencedBlock(data, values.database_secret_key_arn, 'aws_kms_key').provider).toBe(providerOf(region));
      expect(values.database_reader_endpoint).toBe(`\${aws_rds_cluster.${clusters.get(region)!.id}.reader_endpoint}`);
      expect(values.database_cluster_identifier).toBe(
        `\${aws_rds_cluster.${clusters.get(region)!.id}.cluster_identifier}`,
      );
      if (region === config.primaryRegion) {
        expect(values.table_arn).toBe(`\${aws_dynamodb_table.${table.id}.arn}`);
      } else {
        expect(values.table_arn).toContain(`aws_dynamodb_table.${table.id}.replica`);
      }
    }
  });
});

describe('regional ARNs, evaluated by the Terraform CLI', () => {
  const cli = terraformCliOrSkip();
  const account = '123456789012';
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthesizeOverrides({
      regions: [{ region: 'us-east-1' }, { region: 'eu-west-1' }, { region: 'ap-southeast-2' }],
    });
  });

  /** The `${…}` expression of an output value, with `reference` replaced by the HCL `literal`. */
  function withLiteral(expression: string, reference: RegExp, literal: string): string {
    const inner = present(/^\$\{(.*)\}$/s.exec(expression)?.[1], `the expression of ${expression}`);
    expect(inner).toMatch(reference);
    return inner.replace(reference, literal);
  }

  it.skipIf(!cli)("pick each replica's own ARN out of the table's replica set", () => {
    const { config, stacks } = synthesized;
    const tableArn = (region: string) => `arn:aws:dynamodb:${region}:${account}:table/${config.dynamodb.tableName}`;
    const replicaSet = `[${otherRegions(config)
      .map((region) => `{ region_name = "${region}", arn = "${tableArn(region)}" }`)
      .join(', ')}]`;
    for (const region of otherRegions(config)) {
      const expression = withLiteral(
        regionalDataOutput(stacks, region, 'table_arn'),
        /aws_dynamodb_table\.[^.\s)]+\.replica/,
        replicaSet,
      );
      expect(evaluateExpression(cli!, expression)).toBe(tableArn(region));
    }
  });

  it.skipIf(!cli)("turn the secret's ARN into each replica's ARN", () => {
    const { config, stacks } = synthesized;
    const secretArn = (region: string) =>
      `arn:aws:secretsmanager:${region}:${account}:secret:${config.project}/test/database-master-AbCdEf`;
    for (const region of otherRegions(config)) {
      const expression = withLiteral(
        regionalDataOutput(stacks, region, 'database_secret_arn'),
        /aws_secretsmanager_secret\.[^.\s)]+\.arn/,
        `"${secretArn(config.primaryRegion)}"`,
      );
      expect(evaluateExpression(cli!, expression)).toBe(secretArn(region));
    }
  });
});

describe('data stack options', () => {
  it('builds a strongly consistent table across three regions of one set, with no witness', () => {
    const { config, stacks } = synthesizeOverrides({
      primaryRegion: 'us-east-2',
      regions: [{ region: 'us-east-1' }, { region: 'us-east-2' }, { region: 'us-west-2' }],
      dynamodb: { consistency: 'strong' },
    });
    const table = tableOf(stackOf(stacks, 'data'));
    const replicas = table.replica as Array<Record<string, unknown>>;
    expect(replicas.map((replica) => replica.region_name).sort()).toEqual(otherRegions(config).sort());
    for (const replica of replicas) expect(replica.consistency_mode).toBe('STRONG');
    expect(table.global_table_witness).toBeUndefined();
  });

  it('builds a strongly consistent table in two regions with the configured witness', () => {
    const { config, stacks } = synthesizeOverrides({
      primaryRegion: 'eu-west-1',
      regions: [{ region: 'eu-west-1' }, { region: 'eu-west-2' }],
      dynamodb: { consistency: 'strong', witnessRegion: 'eu-central-1' },
    });
    const table = tableOf(stackOf(stacks, 'data'));
    expect(table.replica).toEqual([
      expect.objectContaining({ region_name: otherRegions(config)[0], consistency_mode: 'STRONG' }),
    ]);
    expect(table.global_table_witness).toEqual({ region_name: config.dynamodb.witnessRegion });
  });

  it('scales provisioned capacity: reads and writes in the primary region, reads in every replica region', () => {
    const { config, stacks } = synthesizeOverrides({
      regions: [{ region: 'us-east-1' }, { region: 'eu-west-1' }, { region: 'ap-southeast-2' }],
      dynamodb: {
        billingMode: 'PROVISIONED',
        provisionedCapacity: { read: { min: 10, max: 400 }, write: { min: 4, max: 80 }, targetUtilizationPercent: 55 },
      },
    });
    const { read, write, targetUtilizationPercent } = config.dynamodb.provisionedCapacity;
    const table = tableOf(stackOf(stacks, 'data'));
    expect(table).toMatchObject({ billing_mode: 'PROVISIONED', read_capacity: read.min, write_capacity: write.min });
    expect(table.global_secondary_index).toEqual([
      expect.objectContaining({ read_capacity: read.min, write_capacity: write.min }),
    ]);
    expect((table.lifecycle as { ignore_changes: string[] }).ignore_changes).toEqual(
      expect.arrayContaining(['read_capacity', 'write_capacity']),
    );

    const tableName = `\${aws_dynamodb_table.${table.id}.name}`;
    const targets = resourcesOfType(stackOf(stacks, 'data'), 'aws_appautoscaling_target');
    const expected = [
      ...['read', 'write'].flatMap((kind) => [config.primaryRegion].map((region) => ({ region, kind }))),
      ...otherRegions(config).map((region) => ({ region, kind: 'read' })),
    ].flatMap(({ region, kind }) =>
      [`table/${tableName}`, `table/${tableName}/index/byCustomer`].map((resourceId) => ({
        provider: providerOf(region),
        service_namespace: 'dynamodb',
        resource_id: resourceId,
        scalable_dimension: `dynamodb:${resourceId.includes('/index/') ? 'index' : 'table'}:${kind === 'read' ? 'Read' : 'Write'}CapacityUnits`,
        min_capacity: kind === 'read' ? read.min : write.min,
        max_capacity: kind === 'read' ? read.max : write.max,
      })),
    );
    const sortKey = (target: Record<string, unknown>) =>
      `${String(target.provider)} ${String(target.scalable_dimension)} ${String(target.resource_id)}`;
    const actual = targets.map(
      ({ provider, service_namespace, resource_id, scalable_dimension, min_capacity, max_capacity }) => ({
        provider,
        service_namespace,
        resource_id,
        scalable_dimension,
        min_capacity,
        max_capacity,
      }),
    );
    expect(actual.sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual(
      expected.sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
    );

    const policies = resourcesOfType(stackOf(stacks, 'data'), 'aws_appautoscaling_policy');
    expect(policies).toHaveLength(targets.length);
    for (const policy of policies) {
      const target = referencedBlock(stackOf(stacks, 'data'), policy.resource_id, 'aws_appautoscaling_target');
      expect(policy.provider).toBe(target.provider);
      const tracking = policy.target_tracking_scaling_policy_configuration as { target_value: number };
      expect(tracking.target_value).toBe(targetUtilizationPercent);
    }
  });

  it('lets secondaries forward writes, reading their own writes, when write forwarding is on', () => {
    const { config, stacks } = synthesizeOverrides({ aurora: { writeForwarding: true } });
    const clusters = clustersByRegion(stackOf(stacks, 'data'));
    expect(clusters.get(config.primaryRegion)).not.toHaveProperty('enable_global_write_forwarding');
    for (const region of otherRegions(config)) {
      const cluster = clusters.get(region)!;
      expect(cluster.enable_global_write_forwarding).toBe(true);
      const parameters = referencedBlock(
        stackOf(stacks, 'data'),
        cluster.db_cluster_parameter_group_name,
        'aws_rds_cluster_parameter_group',
      );
      expect(parameters.parameter).toEqual(
        expect.arrayContaining([{ name: 'aurora_replica_read_consistency', value: 'SESSION' }]),
      );
    }
  });
});
