import { Id } from '@cdktf/provider-random/lib/id';
import {
  AuroraGlobalDatabase,
  CREATION_ID_HEX_DIGITS,
  identifierProblems,
} from '../../../modules/aurora-global-database/index.js';
import { integerBetween, matches, oneOf, type ModuleSpec } from '../spec.js';

/** Instances per regional cluster: the writer and a reader in the primary, one reader in the secondary. */
const INSTANCES = { primary: 2, secondary: 1 } as const;

/**
 * The longest global cluster identifier whose derived names (instance identifiers with the
 * longest region names, backup vaults, IAM roles) AWS accepts, by the construct's own rule.
 */
const IDENTIFIER_MAX = (() => {
  const placements = Object.values(INSTANCES).map((instanceCount) => ({ region: 'x'.repeat(14), instanceCount }));
  let length = 1;
  while (identifierProblems('a'.repeat(length + 1), placements).length === 0) length += 1;
  return length;
})();

export const auroraGlobalDatabase: ModuleSpec = {
  name: 'aurora-global-database',
  summary: `An Aurora MySQL global database: the global cluster, a writer cluster (${INSTANCES.primary} instances) in the primary region and a read-only secondary cluster (${INSTANCES.secondary} instance) in the secondary region, each with its own subnet group, parameter group, KMS key, encrypted log groups (audit, error, slow query), memory-optimized instances with Performance Insights and enhanced monitoring, and a daily AWS Backup plan into a vault of its region. IAM authentication, TLS-only connections, backups, tag copying and deletion protection throughout; keys and backup vaults are kept on destroy (\`prevent_destroy\`). A \`random_id\` makes the names that outlive a destroy (final snapshot, backup vaults) unique per deployment.`,
  regions: {
    kind: 'aliases',
    aliases: ['primary', 'secondary'],
    why: "The global cluster, the writer cluster and the IAM roles are created with `aws.primary`, the secondary cluster with `aws.secondary`; each region's key, subnet group, logs and backup vault with its own provider (a secondary's KMS key must be in its own region). A Terraform module cannot take a variable number of provider configurations, so the module spans two regions.",
  },
  inputs: {
    global_cluster_identifier: {
      type: 'string',
      description: `The global cluster's identifier; regional clusters are named \`<identifier>-<region>\`. At most ${IDENTIFIER_MAX} characters, so every name built from it fits.`,
      validations: [
        {
          condition: `can(regex("^[a-z](?:-?[a-z0-9])*$", var.global_cluster_identifier)) && length(var.global_cluster_identifier) <= ${IDENTIFIER_MAX}`,
          message: `global_cluster_identifier must be lowercase letters, digits and single hyphens, starting with a letter, not ending with a hyphen, at most ${IDENTIFIER_MAX} characters.`,
          rejects: ['Orders', 'orders--db', 'orders-', 'o'.repeat(IDENTIFIER_MAX + 1)],
        },
      ],
    },
    engine_version: {
      type: 'string',
      description:
        'An Aurora MySQL 3 version such as `8.0.mysql_aurora.3.10.0`: the version at creation (later upgrades go through the global cluster).',
      default: '8.0.mysql_aurora.3.10.0',
      validations: [
        matches(
          'engine_version',
          '^8\\.0\\.mysql_aurora\\.3\\.\\d{2}\\.\\d+$',
          'an Aurora MySQL 3 version such as 8.0.mysql_aurora.3.10.0',
          ['5.7.mysql_aurora.2.11.2', '8.0.mysql_aurora.3.1.0'],
        ),
      ],
    },
    database_name: { type: 'string', description: 'The database created with the cluster.' },
    master_username: { type: 'string', description: 'The master user.' },
    master_password: {
      type: 'string',
      description:
        "The master password: a sensitive value from a generator or secret (such as the database-secret module's `password` output), never a literal.",
      sensitive: true,
    },
    instance_class: {
      type: 'string',
      description: 'A memory-optimized class that global databases accept, such as `db.r6g.large`, for every instance.',
      default: 'db.r6g.large',
    },
    primary_subnet_ids: {
      type: 'list(string)',
      description: 'Database subnets of the primary region, in two or more zones.',
      prop: 'subnetIds',
      validations: [
        {
          condition: 'length(var.primary_subnet_ids) >= 2',
          message: 'primary_subnet_ids must list subnets in two or more zones.',
          rejects: [['subnet-0a1b2c3d4e5f60001']],
        },
      ],
    },
    primary_security_group_ids: {
      type: 'list(string)',
      description: "Security groups of the primary region's database tier.",
    },
    secondary_subnet_ids: {
      type: 'list(string)',
      description: 'Database subnets of the secondary region, in two or more zones.',
      prop: 'subnetIds',
      validations: [
        {
          condition: 'length(var.secondary_subnet_ids) >= 2',
          message: 'secondary_subnet_ids must list subnets in two or more zones.',
          rejects: [['subnet-0f1e2d3c4b5a60001']],
        },
      ],
    },
    secondary_security_group_ids: {
      type: 'list(string)',
      description: "Security groups of the secondary region's database tier.",
    },
    port: { type: 'number', description: 'The MySQL port.', default: 3306 },
    backup_retention_days: {
      type: 'number',
      description: "Days of Aurora's automated backups, for point-in-time restore.",
      default: 7,
    },
    backup_plan_retention_days: {
      type: 'number',
      description: "Days AWS Backup keeps each region's daily recovery point (1-36500); they outlive the cluster.",
      default: 35,
      validations: [integerBetween('backup_plan_retention_days', 1, 36500, [0, 36501])],
    },
    deletion_protection: {
      type: 'bool',
      description: 'Refuse deletion of the global cluster and every regional cluster.',
      default: true,
    },
    log_retention_days: {
      type: 'number',
      description: 'Retention of the published logs, in days (a value CloudWatch Logs accepts).',
      default: 365,
    },
    performance_insights_retention_days: {
      type: 'number',
      description: 'Days Performance Insights keeps its data: 7 (free), or a multiple of 31 up to 731.',
      default: 7,
      validations: [
        {
          condition:
            'var.performance_insights_retention_days == 7 || (var.performance_insights_retention_days % 31 == 0 && var.performance_insights_retention_days >= 31 && var.performance_insights_retention_days <= 731)',
          message: 'performance_insights_retention_days must be 7 or a multiple of 31 up to 731.',
          rejects: [8, 30, 744],
        },
      ],
    },
    monitoring_interval_seconds: {
      type: 'number',
      description: 'Seconds between enhanced-monitoring samples: 1, 5, 10, 15, 30 or 60.',
      default: 60,
      validations: [oneOf('monitoring_interval_seconds', [1, 5, 10, 15, 30, 60], [2, 120])],
    },
  },
  example: {
    global_cluster_identifier: 'orders',
    database_name: 'orders',
    master_username: 'orders_admin',
    // Aurora MySQL passwords have 8-41 characters; a real root passes a generated one (database-secret's `password`).
    master_password: 'example-only-use-a-generated-secret',
    primary_subnet_ids: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
    primary_security_group_ids: ['sg-0a1b2c3d4e5f60001'],
    secondary_subnet_ids: ['subnet-0f1e2d3c4b5a60001', 'subnet-0f1e2d3c4b5a60002'],
    secondary_security_group_ids: ['sg-0f1e2d3c4b5a60001'],
  },
  build(scope, input) {
    // Fixed for the life of the deployment and new on every create, as the construct asks.
    const creationId = new Id(scope, 'creation-id', {
      provider: input.randomProvider(),
      byteLength: CREATION_ID_HEX_DIGITS / 2,
    });
    const region = (alias: 'primary' | 'secondary') => ({
      region: input.region(alias),
      provider: input.provider(alias),
      subnetIds: input.list(`${alias}_subnet_ids`),
      securityGroupIds: input.list(`${alias}_security_group_ids`),
      instanceClass: input.string('instance_class'),
      instanceCount: INSTANCES[alias],
    });
    const database = new AuroraGlobalDatabase(scope, 'database', {
      globalClusterIdentifier: input.string('global_cluster_identifier'),
      engineVersion: input.string('engine_version'),
      databaseName: input.string('database_name'),
      masterUsername: input.string('master_username'),
      masterPassword: input.string('master_password'),
      primaryRegion: input.region('primary'),
      regions: [region('primary'), region('secondary')],
      port: input.number('port'),
      backupRetentionDays: input.number('backup_retention_days'),
      backupPlanRetentionDays: input.number('backup_plan_retention_days'),
      deletionProtection: input.bool('deletion_protection'),
      logRetentionDays: input.number('log_retention_days'),
      performanceInsightsRetentionDays: input.number('performance_insights_retention_days'),
      monitoringIntervalSeconds: input.number('monitoring_interval_seconds'),
      creationId: creationId.hex,
    });
    const primary = database.forRegion(input.region('primary'));
    const secondary = database.forRegion(input.region('secondary'));
    return {
      global_cluster_identifier: { value: database.globalClusterIdentifier, description: 'The global cluster.' },
      writer_endpoint: {
        value: database.writerEndpoint,
        description: 'The global writer endpoint: it follows the writer through switchover and failover.',
      },
      database_name: { value: database.databaseName, description: 'The database created with the cluster.' },
      port: { value: database.port, description: 'The MySQL port.' },
      primary_cluster_arn: { value: primary.clusterArn, description: "The primary region's cluster." },
      primary_reader_endpoint: { value: primary.readerEndpoint, description: "The primary cluster's reader endpoint." },
      primary_key_arn: {
        value: primary.keyArn,
        description: "The KMS key of the primary region's storage, Performance Insights and logs.",
      },
      secondary_cluster_arn: { value: secondary.clusterArn, description: "The secondary region's cluster." },
      secondary_reader_endpoint: {
        value: secondary.readerEndpoint,
        description: "The secondary cluster's reader endpoint.",
      },
      secondary_key_arn: {
        value: secondary.keyArn,
        description: "The KMS key of the secondary region's storage, Performance Insights and logs.",
      },
    };
  },
};
