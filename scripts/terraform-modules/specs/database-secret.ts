import { DatabaseSecret } from '../../../modules/database-secret/index.js';
import { integerBetween, matches, type ModuleSpec } from '../spec.js';

export const databaseSecret: ModuleSpec = {
  name: 'database-secret',
  summary:
    'Database credentials that appear in no configuration: a generated password (`random_password`) and its user, stored as `{"username": …, "password": …}` in a Secrets Manager secret encrypted with a customer-managed KMS key in the primary region and replicated to the secondary region under a key of that region. The password is in the Terraform state, which must be encrypted. Rotation is manual: `terraform apply -replace=module.<name>.random_password.password`.',
  regions: {
    kind: 'aliases',
    aliases: ['primary', 'secondary'],
    why: "The secret and its key are created with `aws.primary`, the replica's key with `aws.secondary` (the replica itself is an argument of the secret): one aliased provider per region, as the construct places each region's key with that region's provider. The password comes from the `random` provider, which needs no configuration.",
  },
  inputs: {
    name: {
      type: 'string',
      description: 'Secret name, the same in every region, such as `orders/production/database-master`.',
      validations: [
        matches('name', '^[A-Za-z0-9/_+=.@-]{1,512}$', '1-512 letters, digits and /_+=.@- characters', [
          'orders master',
          '',
        ]),
      ],
    },
    username: { type: 'string', description: 'The database user the secret is for.' },
    key_alias: { type: 'string', description: "Alias (without `alias/`) of the secret's KMS key in every region." },
    password_length: {
      type: 'number',
      description: 'Length of the generated password (16-41; Aurora MySQL accepts at most 41).',
      default: 40,
      validations: [integerBetween('password_length', 16, 41, [15, 42])],
    },
    recovery_window_in_days: {
      type: 'number',
      description: 'Days Secrets Manager keeps a deleted secret before it is gone (7-30).',
      default: 30,
      validations: [integerBetween('recovery_window_in_days', 7, 30, [0, 31])],
    },
  },
  example: { name: 'orders/production/database-master', username: 'orders_admin', key_alias: 'orders/secrets' },
  build(scope, input) {
    const secret = new DatabaseSecret(scope, 'secret', {
      name: input.string('name'),
      primaryRegion: input.region('primary'),
      regions: ['primary', 'secondary'].map((alias) => ({
        region: input.region(alias),
        provider: input.provider(alias),
      })),
      username: input.string('username'),
      randomProvider: input.randomProvider(),
      keyAlias: input.string('key_alias'),
      passwordLength: input.number('password_length'),
      recoveryWindowInDays: input.number('recovery_window_in_days'),
    });
    const secondary = secret.forRegion(input.region('secondary'));
    return {
      secret_arn: { value: secret.secretArn, description: 'The secret in the primary region.' },
      secondary_secret_arn: {
        value: secondary.secretArn,
        description: "The secret's replica in the secondary region.",
      },
      primary_key_arn: {
        value: secret.forRegion(input.region('primary')).keyArn,
        description: "The KMS key of the primary region's copy.",
      },
      secondary_key_arn: { value: secondary.keyArn, description: "The KMS key of the secondary region's replica." },
      username: { value: secret.username, description: 'The database user.' },
      password: {
        value: secret.password,
        description: "The generated password, for the database's master password only.",
        sensitive: true,
      },
    };
  },
};
