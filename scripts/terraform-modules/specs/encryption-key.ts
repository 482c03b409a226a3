import { EncryptionKey } from '../../../modules/encryption-key/index.js';
import { integerBetween, type ModuleSpec } from '../spec.js';

export const encryptionKey: ModuleSpec = {
  name: 'encryption-key',
  summary:
    'A customer-managed KMS key with yearly rotation and an alias, whose key policy leaves administration to the account (IAM policies decide who uses it) and grants no AWS service.',
  regions: {
    kind: 'single',
    why: 'A KMS key never leaves its region: the module creates it with the `aws` provider the caller passes.',
  },
  inputs: {
    alias: { type: 'string', description: 'Alias without the `alias/` prefix, such as `orders/us-east-1/flow-logs`.' },
    description: { type: 'string', description: 'What the key encrypts.' },
    deletion_window_in_days: {
      type: 'number',
      description: 'Days KMS waits before deleting the key after `destroy` (7-30).',
      default: 30,
      validations: [integerBetween('deletion_window_in_days', 7, 30, [6, 31, 10.5])],
    },
  },
  example: { alias: 'orders/us-east-1/exports', description: 'Encrypts the order exports' },
  build(scope, input) {
    const key = new EncryptionKey(scope, 'key', {
      provider: input.provider(),
      alias: input.string('alias'),
      description: input.string('description'),
      deletionWindowInDays: input.number('deletion_window_in_days'),
    });
    return {
      key_arn: { value: key.keyArn, description: "The key's ARN." },
      key_id: { value: key.keyId, description: "The key's id." },
      alias_name: { value: key.aliasName, description: 'The alias, `alias/<alias>`.' },
    };
  },
};
