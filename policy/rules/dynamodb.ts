import { eachNested, mustBeSet, mustBeTrue, nestedBlock } from '../inspect.js';
import type { BlockConfig, PolicyRule } from '../rule.js';

/** Applies `check` to every replica of a global table; messages start `replica <region>: `. */
function eachReplica(config: BlockConfig, check: (replica: BlockConfig, where: string) => string[]): string[] {
  return eachNested(config, 'replica', check, 'region_name');
}

export const dynamoDbPointInTimeRecovery: PolicyRule = {
  id: 'MRAA-DDB-1',
  checkovIds: ['CKV_AWS_28'],
  rationale: 'Point-in-time recovery restores a table to any second of the last 35 days after a bad write or delete.',
  fix: 'Set pointInTimeRecovery: { enabled: true } on the table and pointInTimeRecovery: true on every replica.',
  appliesTo: ['aws_dynamodb_table'],
  check: (config) => [
    ...mustBeTrue(nestedBlock(config, 'point_in_time_recovery'), 'enabled', 'point_in_time_recovery.'),
    ...eachReplica(config, (replica, where) => mustBeTrue(replica, 'point_in_time_recovery', where)),
  ],
};

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

export const dynamoDbDeletionProtection: PolicyRule = {
  id: 'MRAA-DDB-3',
  checkovIds: [],
  rationale: 'Deletion protection stops a destroy or a replacing change from deleting the table and its data.',
  fix: 'Set deletionProtectionEnabled: true on the table and on every replica.',
  appliesTo: ['aws_dynamodb_table'],
  check: (config) => [
    ...mustBeTrue(config, 'deletion_protection_enabled'),
    ...eachReplica(config, (replica, where) => mustBeTrue(replica, 'deletion_protection_enabled', where)),
  ],
};
