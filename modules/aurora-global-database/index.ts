import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import {
  RdsClusterParameterGroup,
  type RdsClusterParameterGroupParameter,
} from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { RdsGlobalCluster } from '@cdktf/provider-aws/lib/rds-global-cluster';
import { Op, type TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { accountOf } from '../account.js';
import { EncryptionKey } from '../encryption-key/index.js';
import { placementProblems, primaryAndOthers, RegionalValues, type RegionPlacement } from '../regions.js';
import { ClusterBackup } from './backup.js';
import {
  BACKUP_PLAN_RETENTION_DAYS,
  backupName,
  backupVaultName,
  CREATION_ID_HEX_DIGITS,
  ENGINE,
  ENGINE_VERSION_RULE,
  finalSnapshotIdentifier,
  identifierRule,
  instanceIdentifier,
  parameterGroupFamily,
  regionalClusterIdentifier,
  serviceRoleName,
} from './rules.js';
import { atLeastItems, compare, matching, oneOf, PropChecks, wholeNumber, type Rule } from '../validation.js';

export * from './rules.js';

/** Log types an Aurora MySQL cluster can publish to CloudWatch Logs. */
export const LOG_TYPES = ['audit', 'error', 'general', 'slowquery'] as const;
export type LogType = (typeof LOG_TYPES)[number];

/** A region of the database: its provider, its network, and its instances. */
export interface DatabaseRegion extends RegionPlacement {
  /** Subnets of the database tier, in two or more zones (the cluster's DB subnet group). */
  readonly subnetIds: string[];
  /** Security groups of the database tier (which admit MySQL from the service tier only). */
  readonly securityGroupIds: string[];
  /** A memory-optimized class that global databases accept, such as `db.r6g.large`. */
  readonly instanceClass: string;
  /** Instances in the region's cluster (1-16); the first is the writer in the primary region. */
  readonly instanceCount: number;
}

export interface AuroraGlobalDatabaseProps {
  /** The global cluster's identifier; regional clusters are named `<identifier>-<region>`. */
  readonly globalClusterIdentifier: string;
  /** An Aurora MySQL 3 version such as `8.0.mysql_aurora.3.10.0`; the version at creation. */
  readonly engineVersion: string;
  /** The database created with the cluster. */
  readonly databaseName: string;
  readonly masterUsername: string;
  /** A sensitive value from a generator or secret; never a literal. */
  readonly masterPassword: string;
  /** The region of the writer cluster; the others hold read-only secondary clusters (each may be promoted by switchover or failover). */
  readonly primaryRegion: string;
  /** Every region of the database, the primary among them. */
  readonly regions: readonly DatabaseRegion[];
  /**
   * The MySQL port.
   * @default 3306
   */
  readonly port?: number;
  /**
   * Days of Aurora's automated backups (1-35), for point-in-time restore. They are deleted with
   * the cluster.
   * @default 7
   */
  readonly backupRetentionDays?: number;
  /**
   * Days AWS Backup keeps each region's daily recovery point of its cluster (1-36500). They stay
   * in the region's backup vault when the cluster is deleted.
   * @default 35
   */
  readonly backupPlanRetentionDays?: number;
  /**
   * Refuse deletion of the global cluster and every regional cluster.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Let secondary clusters forward writes to the primary; sessions read their own writes
   * (`aurora_replica_read_consistency` SESSION). Takes effect only when a cluster is created.
   * @default false — secondaries are read-only
   */
  readonly writeForwarding?: boolean;
  /**
   * Logs published to CloudWatch Logs (into log groups this construct creates, encrypted and with
   * retention); the parameters that fill them are switched on to match.
   * @default ['audit', 'error', 'slowquery']
   */
  readonly logExports?: readonly LogType[];
  /**
   * Retention of the published logs, in days (a value CloudWatch Logs accepts).
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Days Performance Insights keeps its data: 7 (free), 731, or 31 times 1-23 months (31, 62, … 713).
   * @default 7
   */
  readonly performanceInsightsRetentionDays?: number;
  /**
   * Seconds between enhanced-monitoring samples: 1, 5, 10, 15, 30 or 60.
   * @default 60
   */
  readonly monitoringIntervalSeconds?: number;
  /**
   * A value fixed for the life of the deployment and new on every create, such as the hex of a
   * `random_id` without keepers that change: it makes the names that outlive a destroy (the
   * writer's final snapshot, the backup vaults) unique, so the next create and destroy of the
   * same environment do not fail on the previous one's. 6 hex digits.
   */
  readonly creationId: string;
  /**
   * Keep what the database's backups need when the stack is destroyed: each region's KMS key (which
   * encrypts the cluster, its final snapshot and its AWS Backup recovery points) and backup vault
   * (Terraform `prevent_destroy`). `terraform destroy` then stops until they are released from
   * the state with `terraform state rm` (the data stack's `retained_on_destroy` output lists their
   * addresses); they stay in the account and the snapshot and recovery points stay restorable.
   * @default true
   */
  readonly retainOnDestroy?: boolean;
}

/** The database as one region sees it. */
export interface RegionalDatabase {
  readonly clusterIdentifier: string;
  readonly clusterArn: string;
  /** The regional cluster's reader endpoint (its own instances). */
  readonly readerEndpoint: string;
  /** The KMS key of the region's storage, Performance Insights and logs. */
  readonly keyArn: string;
}

/**
 * An Aurora MySQL global database: the global cluster, a writer cluster in the primary region and
 * a secondary cluster in every other region, each with its own subnet group, parameter group, KMS
 * key, encrypted log groups and memory-optimized instances with Performance Insights and enhanced
 * monitoring, and a daily AWS Backup plan into a vault of its region. IAM authentication,
 * TLS-only connections, backups, tag copying and deletion protection throughout.
 */
export class AuroraGlobalDatabase extends Construct {
  readonly globalClusterIdentifier: string;
  /** The global writer endpoint: it follows the writer through switchover and failover. */
  readonly writerEndpoint: string;
  readonly databaseName: string;
  readonly port: number;
  /** What a destroy must leave behind: every region's key and backup vault (when retained). */
  readonly retainedOnDestroy: readonly TerraformResource[];

  private readonly regional: RegionalValues<RegionalDatabase>;
  private readonly retained: TerraformResource[] = [];

  constructor(scope: Construct, id: string, props: AuroraGlobalDatabaseProps) {
    super(scope, id);
    const checks = validateProps(this, props);
    const { primary, others } = primaryAndOthers(props.primaryRegion, props.regions);
    this.port = props.port ?? 3306;
    this.databaseName = props.databaseName;
    const deletionProtection = props.deletionProtection ?? true;

    const globalCluster = new RdsGlobalCluster(this, 'global-cluster', {
      provider: primary.provider,
      globalClusterIdentifier: props.globalClusterIdentifier,
      engine: ENGINE,
      engineVersion: props.engineVersion,
      databaseName: props.databaseName,
      storageEncrypted: true,
      deletionProtection,
      // Minor versions arrive by automatic upgrade or by an operator's switch of the global
      // cluster; the configured version is the one the database was created with.
      lifecycle: { ignoreChanges: ['engine_version'] },
    });
    checks.checkAtPlanOn(globalCluster);
    this.globalClusterIdentifier = globalCluster.globalClusterIdentifier;
    this.writerEndpoint = globalCluster.endpoint;

    const { partition } = accountOf(this, primary.provider);
    const roles: ServiceRoles = {
      monitoring: this.serviceRole(primary.provider, partition, 'monitoring', {
        name: serviceRoleName(props.globalClusterIdentifier, 'rds-monitoring'),
        description: `Enhanced monitoring of the Aurora global database ${props.globalClusterIdentifier}`,
        servicePrincipal: 'monitoring.rds.amazonaws.com',
        managedPolicies: ['service-role/AmazonRDSEnhancedMonitoringRole'],
      }),
      backup: this.serviceRole(primary.provider, partition, 'backup', {
        name: serviceRoleName(props.globalClusterIdentifier, 'aws-backup'),
        description: `AWS Backup of the Aurora global database ${props.globalClusterIdentifier}`,
        servicePrincipal: 'backup.amazonaws.com',
        managedPolicies: [
          'service-role/AWSBackupServiceRolePolicyForBackup',
          'service-role/AWSBackupServiceRolePolicyForRestores',
        ],
      }),
    };
    const primaryCluster = this.regionalCluster(props, primary, globalCluster, roles, []);
    const secondaryClusters = others.map((secondary) =>
      this.regionalCluster(props, secondary, globalCluster, roles, primaryCluster.instances),
    );
    this.retainedOnDestroy = this.retained;
    this.regional = new RegionalValues(
      `AuroraGlobalDatabase ${this.node.path}`,
      [primaryCluster, ...secondaryClusters].map(({ region, database }) => [region, database] as const),
    );
  }

  /** The database as `region` sees it. */
  forRegion(region: string): RegionalDatabase {
    return this.regional.forRegion(region);
  }

  /**
   * One region's cluster and instances. A secondary (one with `primaryInstances`) carries no
   * credentials or database name (it replicates them) and is created only once the primary's
   * instances are up. Every cluster is backed up: after a failover any region may hold the writer.
   */
  private regionalCluster(
    props: AuroraGlobalDatabaseProps,
    where: DatabaseRegion,
    globalCluster: RdsGlobalCluster,
    roles: ServiceRoles,
    primaryInstances: readonly RdsClusterInstance[],
  ): { region: string; database: RegionalDatabase; instances: RdsClusterInstance[] } {
    const isPrimary = primaryInstances.length === 0;
    const { region, provider } = where;
    const scope = new Construct(this, region);
    const clusterIdentifier = regionalClusterIdentifier(props.globalClusterIdentifier, region);
    const logExports = props.logExports ?? ['audit', 'error', 'slowquery'];
    const retainOnDestroy = props.retainOnDestroy ?? true;

    // The secondary's storage must be encrypted with a key of its own region.
    const key = new EncryptionKey(scope, 'key', {
      provider,
      alias: `${clusterIdentifier}/aurora`,
      description: `Encrypts the storage, Performance Insights and logs of the Aurora cluster ${clusterIdentifier}`,
      allowCloudWatchLogs: true,
      retainOnDestroy,
    });
    const subnetGroup = new DbSubnetGroup(scope, 'subnet-group', {
      provider,
      name: clusterIdentifier,
      description: `Database subnets of ${clusterIdentifier}`,
      subnetIds: where.subnetIds,
    });
    const parameterGroup = new RdsClusterParameterGroup(scope, 'parameter-group', {
      provider,
      name: clusterIdentifier,
      family: parameterGroupFamily(props.engineVersion),
      description: `Parameters of ${clusterIdentifier}: TLS only, logging for the published logs`,
      parameter: clusterParameters(logExports, props.writeForwarding ?? false),
    });
    // Created before the cluster, so RDS writes into groups with retention and encryption.
    const logGroups = logExports.map(
      (logType) =>
        new CloudwatchLogGroup(scope, `log-group-${logType}`, {
          provider,
          name: `/aws/rds/cluster/${clusterIdentifier}/${logType}`,
          retentionInDays: props.logRetentionDays ?? 365,
          kmsKeyId: key.keyArn,
        }),
    );

    const cluster = new RdsCluster(scope, 'cluster', {
      provider,
      clusterIdentifier,
      globalClusterIdentifier: globalCluster.id,
      engine: globalCluster.engine,
      engineVersion: globalCluster.engineVersion,
      ...(isPrimary
        ? {
            databaseName: props.databaseName,
            masterUsername: props.masterUsername,
            masterPassword: props.masterPassword,
            // Unique per create: the snapshot outlives the destroy (its key and the vaults are
            // retained with it) and identifiers are unique per account and region.
            finalSnapshotIdentifier: finalSnapshotIdentifier(clusterIdentifier, props.creationId),
          }
        : {
            // A secondary cannot take a final snapshot; the primary holds the same data.
            skipFinalSnapshot: true,
            enableGlobalWriteForwarding: props.writeForwarding ?? false,
          }),
      port: props.port ?? 3306,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: where.securityGroupIds,
      dbClusterParameterGroupName: parameterGroup.name,
      storageEncrypted: true,
      kmsKeyId: key.keyArn,
      backupRetentionPeriod: props.backupRetentionDays ?? 7,
      copyTagsToSnapshot: true,
      deletionProtection: props.deletionProtection ?? true,
      iamDatabaseAuthenticationEnabled: true,
      enabledCloudwatchLogsExports: [...logExports],
      dependsOn: [...logGroups, ...primaryInstances],
      lifecycle: {
        // Set by RDS when the cluster joins, is promoted, or is upgraded through the global cluster.
        ignoreChanges: ['replication_source_identifier', 'global_cluster_identifier', 'engine_version'],
      },
    });

    const instances = Array.from(
      { length: where.instanceCount },
      (_, index) =>
        new RdsClusterInstance(scope, `instance-${index + 1}`, {
          provider,
          identifier: instanceIdentifier(clusterIdentifier, index),
          clusterIdentifier: cluster.id,
          engine: cluster.engine,
          instanceClass: where.instanceClass,
          dbSubnetGroupName: subnetGroup.name,
          publiclyAccessible: false,
          autoMinorVersionUpgrade: true,
          caCertIdentifier: 'rds-ca-rsa2048-g1',
          copyTagsToSnapshot: true,
          promotionTier: index,
          monitoringInterval: props.monitoringIntervalSeconds ?? 60,
          monitoringRoleArn: roles.monitoring.roleArn,
          performanceInsightsEnabled: true,
          performanceInsightsKmsKeyId: key.keyArn,
          performanceInsightsRetentionPeriod: props.performanceInsightsRetentionDays ?? 7,
          dependsOn: roles.monitoring.attachments,
        }),
    );

    const backup = new ClusterBackup(scope, 'backup', {
      provider,
      name: backupName(props.globalClusterIdentifier),
      vaultName: backupVaultName(props.globalClusterIdentifier, props.creationId),
      retainOnDestroy,
      keyArn: key.keyArn,
      clusterArn: cluster.arn,
      roleArn: roles.backup.roleArn,
      retentionDays: props.backupPlanRetentionDays ?? 35,
    });
    if (retainOnDestroy) this.retained.push(key.key, backup.vault);

    const database = {
      clusterIdentifier: cluster.clusterIdentifier,
      clusterArn: cluster.arn,
      readerEndpoint: cluster.readerEndpoint,
      keyArn: key.keyArn,
    };
    return { region, database, instances };
  }

  /**
   * A role an AWS service assumes for the database, with AWS managed policies (IAM is global: one
   * role serves every region).
   */
  private serviceRole(provider: AwsProvider, partition: string, id: string, role: ServiceRoleProps): ServiceRole {
    const assumeRole = new DataAwsIamPolicyDocument(this, `${id}-assume-role`, {
      provider,
      statement: [
        {
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: [role.servicePrincipal] }],
        },
      ],
    });
    const iamRole = new IamRole(this, `${id}-role`, {
      provider,
      name: role.name,
      description: role.description,
      assumeRolePolicy: assumeRole.json,
    });
    const attachments = role.managedPolicies.map(
      (policy) =>
        new IamRolePolicyAttachment(this, `${id}-role-${policy.split('/').pop()}`, {
          provider,
          role: iamRole.name,
          policyArn: `arn:${partition}:iam::aws:policy/${policy}`,
        }),
    );
    return { roleArn: iamRole.arn, attachments };
  }
}

interface ServiceRoleProps {
  readonly name: string;
  readonly description: string;
  /** Such as `monitoring.rds.amazonaws.com`. */
  readonly servicePrincipal: string;
  /** AWS managed policies by path and name, such as `service-role/AmazonRDSEnhancedMonitoringRole`. */
  readonly managedPolicies: readonly string[];
}

interface ServiceRole {
  readonly roleArn: string;
  readonly attachments: IamRolePolicyAttachment[];
}

/** The roles RDS (enhanced monitoring) and AWS Backup assume. */
interface ServiceRoles {
  readonly monitoring: ServiceRole;
  readonly backup: ServiceRole;
}

/** TLS-only connections, the logging that fills each published log, and write-forwarding reads. */
function clusterParameters(
  logExports: readonly LogType[],
  writeForwarding: boolean,
): RdsClusterParameterGroupParameter[] {
  const parameters: Record<string, string> = { require_secure_transport: 'ON' };
  if (logExports.includes('audit')) {
    parameters.server_audit_logging = '1';
    parameters.server_audit_events = 'CONNECT,QUERY_DCL,QUERY_DDL';
  }
  if (logExports.includes('slowquery')) {
    parameters.slow_query_log = '1';
    parameters.long_query_time = '1';
  }
  if (logExports.includes('general')) parameters.general_log = '1';
  if (logExports.includes('slowquery') || logExports.includes('general')) parameters.log_output = 'FILE';
  if (writeForwarding) parameters.aurora_replica_read_consistency = 'SESSION';
  return Object.entries(parameters)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value }));
}

const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];

/**
 * Days Performance Insights keeps its data: 7 (the free tier), 31 times 1-23 months, or 731 (Amazon
 * RDS API Reference, CreateDBInstance, `PerformanceInsightsRetentionPeriod`: "7, month * 31, where
 * month is a number of months from 1-23, 731").
 */
const PERFORMANCE_INSIGHTS_RETENTION: Rule<number> = {
  allowed: '7, 731, or 31 times 1 to 23 months',
  holds: (days) =>
    days === 7 || days === 731 || (Number.isInteger(days) && days % 31 === 0 && days >= 31 && days <= 713),
  problem: (days) => `${days} must be 7, 731, or 31 times 1 to 23 months (31, 62, … 713)`,
  condition: (days) =>
    Op.or(
      Op.or(compare(days, 'eq', 7), compare(days, 'eq', 731)),
      Op.and(compare(Op.mod(days, 31), 'eq', 0), Op.and(compare(days, 'gte', 31), compare(days, 'lte', 713))),
    ),
};

const CREATION_ID_RULE = matching(
  new RegExp(`^[0-9a-f]{${CREATION_ID_HEX_DIGITS}}$`),
  `${CREATION_ID_HEX_DIGITS} lowercase hex digits`,
  (creationId) => `"${creationId}" must be ${CREATION_ID_HEX_DIGITS} lowercase hex digits`,
);

function validateProps(database: AuroraGlobalDatabase, props: AuroraGlobalDatabaseProps): PropChecks {
  const checks = new PropChecks(database, `AuroraGlobalDatabase ${database.node.path}`);
  const { regions } = props;
  checks.add(...placementProblems(regions, props.primaryRegion));
  checks.check('engineVersion', props.engineVersion, ENGINE_VERSION_RULE);
  for (const where of regions) {
    checks.known(
      `regions[${where.region}].instanceCount`,
      where.instanceCount,
      'it decides how many instances are created',
    );
  }
  checks.check('globalClusterIdentifier', props.globalClusterIdentifier, identifierRule(regions));
  for (const where of regions) {
    checks.check(
      `regions[${where.region}].instanceCount`,
      where.instanceCount,
      wholeNumber(1, 16),
      `${where.region}: instanceCount `,
    );
    checks.check(
      `regions[${where.region}].subnetIds`,
      where.subnetIds,
      atLeastItems(2, (count) => `subnetIds needs subnets in two or more zones, got ${count}`),
      `${where.region}: `,
    );
  }
  const logExports = props.logExports ?? [];
  checks.knownItems('logExports', logExports, 'each log type gets its own log group');
  const unknownLogs = logExports.filter((logType) => !LOG_TYPES.includes(logType));
  if (unknownLogs.length > 0)
    checks.add(`logExports: ${unknownLogs.join(', ')} not allowed; allowed: ${LOG_TYPES.join(', ')}`);
  checks.check(
    'performanceInsightsRetentionDays',
    props.performanceInsightsRetentionDays ?? 7,
    PERFORMANCE_INSIGHTS_RETENTION,
  );
  checks.check(
    'backupPlanRetentionDays',
    props.backupPlanRetentionDays ?? 35,
    wholeNumber(BACKUP_PLAN_RETENTION_DAYS.min, BACKUP_PLAN_RETENTION_DAYS.max),
  );
  checks.check('creationId', props.creationId, CREATION_ID_RULE);
  checks.check('monitoringIntervalSeconds', props.monitoringIntervalSeconds ?? 60, oneOf(MONITORING_INTERVALS));
  checks.known('writeForwarding', props.writeForwarding, "it decides the clusters' parameters");
  checks.known('retainOnDestroy', props.retainOnDestroy, 'it decides the lifecycle of keys and vaults');
  checks.throwIfAny();
  return checks;
}
