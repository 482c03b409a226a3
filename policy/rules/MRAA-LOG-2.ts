import { literalNumber, shown, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

/** Shortest log retention, in days: a year of history for incident investigation (CKV_AWS_338). */
export const MIN_LOG_RETENTION_DAYS = 365;

export const logGroupRetention: PolicyRule = {
  id: 'MRAA-LOG-2',
  checkovIds: ['CKV_AWS_66', 'CKV_AWS_338'],
  rationale: 'A year of logs covers incident investigation; an unset retention keeps logs (and their cost) forever.',
  fix: `Set retentionInDays to ${MIN_LOG_RETENTION_DAYS} or more (a value CloudWatch Logs accepts).`,
  appliesTo: ['aws_cloudwatch_log_group'],
  check(config) {
    const days = literalNumber(config.retention_in_days);
    return unless(
      days !== undefined && days >= MIN_LOG_RETENTION_DAYS,
      `retention_in_days is ${shown(config.retention_in_days)}, less than ${MIN_LOG_RETENTION_DAYS}`,
    );
  },
};
