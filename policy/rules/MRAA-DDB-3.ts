import { eachReplica, mustBeTrue } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

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
