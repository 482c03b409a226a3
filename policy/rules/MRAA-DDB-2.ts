import { eachReplica, mustBeSet, mustBeTrue, nestedBlock } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const dynamoDbCustomerManagedKey: PolicyRule = {
  id: 'MRAA-DDB-2',
  checkovIds: ['CKV_AWS_119'],
  rationale: 'A customer-managed KMS key keeps control of the data key (rotation, revocation, audit) with the account.',
  fix: 'Set serverSideEncryption: { enabled: true, kmsKeyArn } and give every replica the kmsKeyArn of a key in its own region.',
  appliesTo: ['aws_dynamodb_table'],
  check: (config) => [
    ...mustBeTrue(nestedBlock(config, 'server_side_encryption'), 'enabled', 'server_side_encryption.'),
    ...mustBeSet(nestedBlock(config, 'server_side_encryption'), 'kms_key_arn', 'server_side_encryption.'),
    ...eachReplica(config, (replica, where) => mustBeSet(replica, 'kms_key_arn', where)),
  ],
};
