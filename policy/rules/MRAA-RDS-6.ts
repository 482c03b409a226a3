import { stringList, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

/** Log types an Aurora MySQL cluster must export to CloudWatch Logs. */
export const AURORA_MYSQL_LOG_EXPORTS: readonly string[] = ['audit', 'error', 'slowquery'];

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
