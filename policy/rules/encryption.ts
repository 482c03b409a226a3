import { eachNested, isSet, literalNumber, mustBeSet, mustBeTrue, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

/** Shortest log retention, in days: a year of history for incident investigation (CKV_AWS_338). */
export const MIN_LOG_RETENTION_DAYS = 365;

/** `<field> is not set` or `<field> is the AWS-managed key <alias>`: a customer-managed key is required. */
function customerManagedKey(value: unknown, field: string, awsManagedAlias: string, where = ''): string[] {
  if (!isSet(value)) return [`${where}${field} is not set`];
  return unless(value !== awsManagedAlias, `${where}${field} is the AWS-managed key ${awsManagedAlias}`);
}

export const kmsKeyRotation: PolicyRule = {
  id: 'MRAA-KMS-1',
  checkovIds: ['CKV_AWS_7'],
  rationale: 'Yearly rotation limits how much data one key version protects.',
  fix: 'Create keys with the EncryptionKey module, or set enableKeyRotation: true.',
  appliesTo: ['aws_kms_key'],
  check: (config) => mustBeTrue(config, 'enable_key_rotation'),
};

export const logGroupEncrypted: PolicyRule = {
  id: 'MRAA-LOG-1',
  checkovIds: ['CKV_AWS_158'],
  rationale: 'Logs carry request data and identifiers; they are encrypted with a key the account controls.',
  fix: "Set kmsKeyId to an EncryptionKey created with allowCloudWatchLogs: true in the log group's region.",
  appliesTo: ['aws_cloudwatch_log_group'],
  check: (config) => mustBeSet(config, 'kms_key_id'),
};

export const logGroupRetention: PolicyRule = {
  id: 'MRAA-LOG-2',
  checkovIds: ['CKV_AWS_66', 'CKV_AWS_338'],
  rationale: 'A year of logs covers incident investigation; an unset retention keeps logs (and their cost) forever.',
  fix: `Set retentionInDays to ${MIN_LOG_RETENTION_DAYS} or more (a value CloudWatch Logs accepts).`,
  appliesTo: ['aws_cloudwatch_log_group'],
  check(config) {
    const days = literalNumber(config.retention_in_days);
    return unless(
      days !== undefined && days >= MIN_LOG_RETENTION_DAYS,
      `retention_in_days is ${String(config.retention_in_days ?? 'not set')}, less than ${MIN_LOG_RETENTION_DAYS}`,
    );
  },
};

export const snsTopicEncrypted: PolicyRule = {
  id: 'MRAA-SNS-1',
  checkovIds: ['CKV_AWS_26'],
  rationale: 'Alarm notifications are encrypted at rest; the AWS-managed key would stop CloudWatch from publishing.',
  fix: 'Set kmsMasterKeyId to an EncryptionKey whose servicePrincipals include cloudwatch.amazonaws.com.',
  appliesTo: ['aws_sns_topic'],
  check: (config) => customerManagedKey(config.kms_master_key_id, 'kms_master_key_id', 'alias/aws/sns'),
};

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
