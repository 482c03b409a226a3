import { customerManagedKey, eachNested } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const secretEncrypted: PolicyRule = {
  id: 'MRAA-SM-1',
  checkovIds: ['CKV_AWS_149'],
  rationale: 'Secrets are encrypted with a customer-managed key in every region they are replicated to.',
  fix: 'Set kmsKeyId to a customer-managed key, and give every replica the kmsKeyId of a key in its own region.',
  appliesTo: ['aws_secretsmanager_secret'],
  check: (config) => [
    ...customerManagedKey(config.kms_key_id, 'kms_key_id', 'alias/aws/secretsmanager'),
    ...eachNested(
      config,
      'replica',
      (replica, where) => customerManagedKey(replica.kms_key_id, 'kms_key_id', 'alias/aws/secretsmanager', where),
      'region',
    ),
  ],
};
