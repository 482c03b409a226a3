import { mustBeTrue } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const kmsKeyRotation: PolicyRule = {
  id: 'MRAA-KMS-1',
  checkovIds: ['CKV_AWS_7'],
  rationale: 'Yearly rotation limits how much data one key version protects.',
  fix: 'Create keys with the EncryptionKey module, or set enableKeyRotation: true.',
  appliesTo: ['aws_kms_key'],
  check: (config) => mustBeTrue(config, 'enable_key_rotation'),
};
