import { eachReplica, mustBeTrue, nestedBlock } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

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
