import { mustBeTrue } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const auroraGlobalClusterEncrypted: PolicyRule = {
  id: 'MRAA-RDS-2',
  checkovIds: ['CKV_AWS_140'],
  rationale: 'A global database whose storage is not encrypted cannot gain encrypted member clusters later.',
  fix: 'Set storageEncrypted: true on the global cluster.',
  appliesTo: ['aws_rds_global_cluster'],
  check: (config) => mustBeTrue(config, 'storage_encrypted'),
};
