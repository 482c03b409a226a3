import { mustBeTrue } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const auroraDeletionProtection: PolicyRule = {
  id: 'MRAA-RDS-3',
  checkovIds: ['CKV_AWS_139'],
  rationale: 'Deletion protection stops a destroy or a replacing change from deleting the database.',
  fix: 'Set deletionProtection: true (aurora.deletionProtection in the environment).',
  appliesTo: ['aws_rds_cluster', 'aws_rds_global_cluster'],
  check: (config) => mustBeTrue(config, 'deletion_protection'),
};
