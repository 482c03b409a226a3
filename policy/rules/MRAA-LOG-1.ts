import { mustBeSet } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const logGroupEncrypted: PolicyRule = {
  id: 'MRAA-LOG-1',
  checkovIds: ['CKV_AWS_158'],
  rationale: 'Logs carry request data and identifiers; they are encrypted with a key the account controls.',
  fix: "Set kmsKeyId to an EncryptionKey created with allowCloudWatchLogs: true in the log group's region.",
  appliesTo: ['aws_cloudwatch_log_group'],
  check: (config) => mustBeSet(config, 'kms_key_id'),
};
