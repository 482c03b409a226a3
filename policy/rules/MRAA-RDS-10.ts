import { literalNumber, mustBeSet, shown, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

/** Intervals (seconds) that turn enhanced monitoring on; 0 turns it off. */
const MONITORING_INTERVALS: readonly number[] = [1, 5, 10, 15, 30, 60];

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
        `monitoring_interval is ${shown(config.monitoring_interval)}, not one of ${MONITORING_INTERVALS.join(', ')}`,
      ),
      ...mustBeSet(config, 'monitoring_role_arn'),
    ];
  },
};
