import { literalNumber, shown, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

/** Backup retention bounds in days: a week at least (AWS Security Hub RDS.11), 35 at most (the RDS limit). */
export const BACKUP_RETENTION_DAYS = { min: 7, max: 35 };

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
      `backup_retention_period is ${shown(config.backup_retention_period)}, not ${BACKUP_RETENTION_DAYS.min}-${BACKUP_RETENTION_DAYS.max} days`,
    );
  },
};
