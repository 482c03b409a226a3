import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Password } from '@cdktf/provider-random/lib/password';
import type { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { EncryptionKey } from '../encryption-key/index.js';
import { placementProblems, primaryAndOthers, RegionalValues, type RegionPlacement } from '../regions.js';
import { matching, PropChecks, wholeNumber } from '../validation.js';

/** Characters a generated password may use besides letters and digits: none that RDS refuses (`/`, `"`, `'`, `@`, space). */
export const PASSWORD_SPECIAL_CHARACTERS = '!#$%&*()-_=+[]{}<>:?';

export interface DatabaseSecretProps {
  /** Secret name, the same in every region, such as `orders/default/database-master`. */
  readonly name: string;
  /** Where the secret is written; the other regions hold read-only replicas of it. */
  readonly primaryRegion: string;
  /** Every region of the secret, the primary among them; each copy is encrypted with a key of its own region. */
  readonly regions: readonly RegionPlacement[];
  /** The database user the secret is for. */
  readonly username: string;
  /** The stack's `random` provider, which generates the password. */
  readonly randomProvider: RandomProvider;
  /** Alias (without `alias/`) of the secret's KMS key in every region. */
  readonly keyAlias: string;
  /**
   * Length of the generated password (16-41; Aurora MySQL accepts at most 41).
   * @default 40
   */
  readonly passwordLength?: number;
  /**
   * Days Secrets Manager keeps a deleted secret before it is gone (7-30).
   * @default 30
   */
  readonly recoveryWindowInDays?: number;
}

/** The secret as one region sees it. */
export interface RegionalSecret {
  /** The ARN of the secret or its replica in this region. */
  readonly secretArn: string;
  /** The KMS key that encrypts this region's copy. */
  readonly keyArn: string;
}

/**
 * Database credentials that appear in no configuration or code: a generated password and its
 * user, stored as `{"username": …, "password": …}` in a Secrets Manager secret encrypted with a
 * customer-managed key and replicated to every other region under that region's own key, so each
 * region reads it locally. The password stays in Terraform state, which must be encrypted.
 *
 * Rotation is manual: Secrets Manager's managed rotation does not support the master user of a
 * global database, and a rotation Lambda would have to change the password on the primary
 * cluster and in the secret as one step. To rotate, run `terraform apply
 * -replace=<the random_password of this construct>` in its stack: the new password goes into the
 * secret (replicas follow) and to the primary cluster (secondaries replicate its users). Then
 * force a new deployment of every service that reads the secret at task start; until then their
 * existing connections keep working but new ones with the old password fail.
 */
export class DatabaseSecret extends Construct {
  readonly username: string;
  /** The generated password: a sensitive value for the database's master password only. */
  readonly password: string;
  readonly secretArn: string;

  private readonly regional: RegionalValues<RegionalSecret>;

  constructor(scope: Construct, id: string, props: DatabaseSecretProps) {
    super(scope, id);
    const checks = validateProps(this, props);
    const withKey = ({ region, provider }: RegionPlacement) => ({
      region,
      provider,
      keyArn: new EncryptionKey(new Construct(this, region), 'key', {
        provider,
        alias: props.keyAlias,
        description: `Encrypts the ${region} copy of the secret ${props.name}`,
      }).keyArn,
    });
    const placements = primaryAndOthers(props.primaryRegion, props.regions);
    const primary = withKey(placements.primary);
    const replicas = placements.others.map(withKey);

    const password = new Password(this, 'password', {
      provider: props.randomProvider,
      length: props.passwordLength ?? 40,
      special: true,
      overrideSpecial: PASSWORD_SPECIAL_CHARACTERS,
      minLower: 1,
      minUpper: 1,
      minNumeric: 1,
      minSpecial: 1,
    });
    const secret = new SecretsmanagerSecret(this, 'secret', {
      provider: primary.provider,
      name: props.name,
      description: `Credentials of the database user ${props.username}`,
      kmsKeyId: primary.keyArn,
      recoveryWindowInDays: props.recoveryWindowInDays ?? 30,
      replica: replicas.map(({ region, keyArn }) => ({ region, kmsKeyId: keyArn })),
    });
    checks.checkAtPlanOn(secret);
    new SecretsmanagerSecretVersion(this, 'value', {
      provider: primary.provider,
      secretId: secret.id,
      secretString: Fn.jsonencode({ username: props.username, password: password.result }),
    });
    this.username = props.username;
    this.password = password.result;
    this.secretArn = secret.arn;

    this.regional = new RegionalValues(`DatabaseSecret ${this.node.path}`, [
      [primary.region, { secretArn: secret.arn, keyArn: primary.keyArn }],
      // A replica keeps the secret's name and ARN suffix; only the region differs.
      ...replicas.map(
        ({ region, keyArn }) =>
          [region, { secretArn: Fn.replace(secret.arn, `:${primary.region}:`, `:${region}:`), keyArn }] as const,
      ),
    ]);
  }

  /** The secret as `region` sees it: its replica's ARN and key. */
  forRegion(region: string): RegionalSecret {
    return this.regional.forRegion(region);
  }
}

const SECRET_NAME = matching(
  /^[A-Za-z0-9/_+=.@-]{1,512}$/,
  '1-512 letters, digits and /_+=.@- characters',
  (name) => `"${name}" must be 1-512 letters, digits and /_+=.@- characters`,
);

function validateProps(secret: DatabaseSecret, props: DatabaseSecretProps): PropChecks {
  return new PropChecks(secret, `DatabaseSecret ${secret.node.path}`)
    .add(...placementProblems(props.regions, props.primaryRegion))
    .check('passwordLength', props.passwordLength ?? 40, wholeNumber(16, 41))
    .check('recoveryWindowInDays', props.recoveryWindowInDays ?? 30, wholeNumber(7, 30))
    .check('name', props.name, SECRET_NAME)
    .throwIfAny();
}
