import { mustBeSet, mustBeTrue } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const auroraEncryptedWithCustomerKey: PolicyRule = {
  id: 'MRAA-RDS-1',
  checkovIds: ['CKV_AWS_96', 'CKV_AWS_327'],
  rationale: 'Cluster storage, snapshots and replicas must be encrypted with a key the account controls.',
  fix: "Set storageEncrypted: true and kmsKeyId to a customer-managed key in the cluster's own region.",
  appliesTo: ['aws_rds_cluster'],
  check: (config) => [...mustBeTrue(config, 'storage_encrypted'), ...mustBeSet(config, 'kms_key_id')],
};
