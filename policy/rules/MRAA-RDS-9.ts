import { mustBeSet, mustBeTrue } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

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
