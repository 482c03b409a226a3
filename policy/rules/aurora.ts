import { isFalse, isTrue, literalNumber, mustBeSet, mustBeTrue, stringList, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

/** Log types an Aurora MySQL cluster must export to CloudWatch Logs. */
export const AURORA_MYSQL_LOG_EXPORTS: readonly string[] = ['audit', 'error', 'slowquery'];

/** Backup retention bounds in days: a week at least (AWS Security Hub RDS.11), 35 at most (the RDS limit). */
export const BACKUP_RETENTION_DAYS = { min: 7, max: 35 };

/** Intervals (seconds) that turn enhanced monitoring on; 0 turns it off. */
const MONITORING_INTERVALS: readonly number[] = [1, 5, 10, 15, 30, 60];

export const auroraEncryptedWithCustomerKey: PolicyRule = {
  id: 'MRAA-RDS-1',
  checkovIds: ['CKV_AWS_96', 'CKV_AWS_327'],
  rationale: 'Cluster storage, snapshots and replicas must be encrypted with a key the account controls.',
  fix: "Set storageEncrypted: true and kmsKeyId to a customer-managed key in the cluster's own region.",
  appliesTo: ['aws_rds_cluster'],
  check: (config) => [...mustBeTrue(config, 'storage_encrypted'), ...mustBeSet(config, 'kms_key_id')],
};

export const auroraGlobalClusterEncrypted: PolicyRule = {
  id: 'MRAA-RDS-2',
  checkovIds: ['CKV_AWS_140'],
  rationale: 'A global database whose storage is not encrypted cannot gain encrypted member clusters later.',
  fix: 'Set storageEncrypted: true on the global cluster.',
  appliesTo: ['aws_rds_global_cluster'],
  check: (config) => mustBeTrue(config, 'storage_encrypted'),
};

export const auroraDeletionProtection: PolicyRule = {
  id: 'MRAA-RDS-3',
  checkovIds: ['CKV_AWS_139'],
  rationale: 'Deletion protection stops a destroy or a replacing change from deleting the database.',
  fix: 'Set deletionProtection: true (aurora.deletionProtection in the environment).',
  appliesTo: ['aws_rds_cluster', 'aws_rds_global_cluster'],
  check: (config) => mustBeTrue(config, 'deletion_protection'),
};

export const auroraBackupRetention: PolicyRule = {
  id: 'MRAA-RDS-4',
  checkovIds: ['CKV_AWS_133'],
  rationale:
    'Automated backups give point-in-time restore; a week is the shortest window that covers a late-noticed bad change.',
  fix: `Set backupRetentionPeriod to ${BACKUP_RETENTION_DAYS.min}-${BACKUP_RETENTION_DAYS.max} days (aurora.backupRetentionDays in the environment).`,
  appliesTo: ['aws_rds_cluster'],
  check(config) {
    const days = literalNumber(config.backup_retention_period);
    return unless(
      days !== undefined && days >= BACKUP_RETENTION_DAYS.min && days <= BACKUP_RETENTION_DAYS.max,
      `backup_retention_period is ${String(config.backup_retention_period ?? 'not set')}, not ${BACKUP_RETENTION_DAYS.min}-${BACKUP_RETENTION_DAYS.max} days`,
    );
  },
};

export const auroraIamAuthentication: PolicyRule = {
  id: 'MRAA-RDS-5',
  checkovIds: ['CKV_AWS_162'],
  rationale: 'IAM database authentication lets tasks connect with short-lived tokens instead of a shared password.',
  fix: 'Set iamDatabaseAuthenticationEnabled: true on every cluster.',
  appliesTo: ['aws_rds_cluster'],
  check: (config) => mustBeTrue(config, 'iam_database_authentication_enabled'),
};

export const auroraLogExports: PolicyRule = {
  id: 'MRAA-RDS-6',
  checkovIds: ['CKV_AWS_324'],
  rationale: 'Audit, error and slow-query logs in CloudWatch are the record of who did what to the data.',
  fix: `Set enabledCloudwatchLogsExports to include ${AURORA_MYSQL_LOG_EXPORTS.join(', ')}.`,
  appliesTo: ['aws_rds_cluster'],
  check(config) {
    const exported = stringList(config.enabled_cloudwatch_logs_exports);
    const missing = AURORA_MYSQL_LOG_EXPORTS.filter((log) => !exported.includes(log));
    return unless(missing.length === 0, `enabled_cloudwatch_logs_exports lacks ${missing.join(', ')}`);
  },
};

export const auroraCopyTagsToSnapshots: PolicyRule = {
  id: 'MRAA-RDS-7',
  checkovIds: ['CKV_AWS_313'],
  rationale: "Snapshots carry the cluster's tags, so ownership and cost allocation survive a restore.",
  fix: 'Set copyTagsToSnapshot: true.',
  appliesTo: ['aws_rds_cluster'],
  check: (config) => mustBeTrue(config, 'copy_tags_to_snapshot'),
};

export const databaseNotPublic: PolicyRule = {
  id: 'MRAA-RDS-8',
  checkovIds: ['CKV_AWS_17'],
  rationale: 'A database instance must never get a public address; only the service tier reaches it.',
  fix: 'Remove publiclyAccessible (it defaults to false) or set it to false.',
  appliesTo: ['aws_rds_cluster_instance', 'aws_db_instance'],
  check: (config) => unless(!isTrue(config.publicly_accessible), 'publicly_accessible is true'),
};

export const auroraPerformanceInsights: PolicyRule = {
  id: 'MRAA-RDS-9',
  checkovIds: ['CKV_AWS_353', 'CKV_AWS_354'],
  rationale:
    'Performance Insights shows which queries load the writer; its data holds query text, so it is encrypted with our key.',
  fix: "Set performanceInsightsEnabled: true and performanceInsightsKmsKeyId to a customer-managed key in the instance's region.",
  appliesTo: ['aws_rds_cluster_instance'],
  check: (config) => [
    ...mustBeTrue(config, 'performance_insights_enabled'),
    ...mustBeSet(config, 'performance_insights_kms_key_id'),
  ],
};

export const auroraEnhancedMonitoring: PolicyRule = {
  id: 'MRAA-RDS-10',
  checkovIds: ['CKV_AWS_118'],
  rationale: 'Enhanced monitoring reports OS-level metrics (CPU steal, memory, I/O) that CloudWatch does not.',
  fix: `Set monitoringInterval to one of ${MONITORING_INTERVALS.join(', ')} seconds and monitoringRoleArn to a role trusted by monitoring.rds.amazonaws.com.`,
  appliesTo: ['aws_rds_cluster_instance'],
  check(config) {
    const interval = literalNumber(config.monitoring_interval);
    return [
      ...unless(
        interval !== undefined && MONITORING_INTERVALS.includes(interval),
        `monitoring_interval is ${String(config.monitoring_interval ?? 'not set')}, not one of ${MONITORING_INTERVALS.join(', ')}`,
      ),
      ...mustBeSet(config, 'monitoring_role_arn'),
    ];
  },
};

export const auroraAutoMinorVersionUpgrade: PolicyRule = {
  id: 'MRAA-RDS-11',
  checkovIds: ['CKV_AWS_226'],
  rationale: 'Minor versions carry security fixes; instances take them in the maintenance window.',
  fix: 'Remove autoMinorVersionUpgrade (it defaults to true) or set it to true.',
  appliesTo: ['aws_rds_cluster_instance'],
  check: (config) => unless(!isFalse(config.auto_minor_version_upgrade), 'auto_minor_version_upgrade is false'),
};
