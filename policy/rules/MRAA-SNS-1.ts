import { customerManagedKey } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const snsTopicEncrypted: PolicyRule = {
  id: 'MRAA-SNS-1',
  checkovIds: ['CKV_AWS_26'],
  rationale: 'Alarm notifications are encrypted at rest; the AWS-managed key would stop CloudWatch from publishing.',
  fix: 'Set kmsMasterKeyId to an EncryptionKey whose servicePrincipals include cloudwatch.amazonaws.com.',
  appliesTo: ['aws_sns_topic'],
  check: (config) => customerManagedKey(config.kms_master_key_id, 'kms_master_key_id', 'alias/aws/sns'),
};
