import { isFalse, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const auroraAutoMinorVersionUpgrade: PolicyRule = {
  id: 'MRAA-RDS-11',
  checkovIds: ['CKV_AWS_226'],
  rationale: 'Minor versions carry security fixes; instances take them in the maintenance window.',
  fix: 'Remove autoMinorVersionUpgrade (it defaults to true) or set it to true.',
  appliesTo: ['aws_rds_cluster_instance'],
  check: (config) => unless(!isFalse(config.auto_minor_version_upgrade), 'auto_minor_version_upgrade is false'),
};
