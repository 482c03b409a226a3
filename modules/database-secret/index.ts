import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Password } from '@cdktf/provider-random/lib/password';
import type { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { EncryptionKey } from '../encryption-key/index.js';

/** A region of the secret and the stack's provider for it. */
export interface SecretRegion {
  readonly region: string;
  readonly provider: AwsProvider;
}

/** Characters a generated password may use besides letters and digits: none that RDS refuses (`/`, `"`, `'`, `@`, space). */
export const PASSWORD_SPECIAL_CHARACTERS = '!#$%&*()-_=+[]{}<>:?';

export interface DatabaseSecretProps {
  /** Secret name, the same in every region, such as `orders/default/database-master`. */
  readonly name: string;
  /** Where the secret is written; the other regions hold read-only replicas of it. */
  readonly home: SecretRegion;
  /** Regions that receive a replica, each encrypted with a key of its own region. */
  readonly replicas: readonly SecretRegion[];
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

  private readonly regional = new Map<string, RegionalSecret>();

  constructor(scope: Construct, id: string, props: DatabaseSecretProps) {
    super(scope, id);
    validateProps(this.node.path, props);
    const { home } = props;
    const keyArns = new Map(
      [home, ...props.replicas].map(({ region, provider }) => [
        region,
        new EncryptionKey(new Construct(this, region), 'key', {
          provider,
          alias: props.keyAlias,
          description: `Encrypts the ${region} copy of the secret ${props.name}`,
        }).keyArn,
      ]),
    );

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
      provider: home.provider,
      name: props.name,
      description: `Credentials of the database user ${props.username}`,
      kmsKeyId: keyArns.get(home.region),
      recoveryWindowInDays: props.recoveryWindowInDays ?? 30,
      replica: props.replicas.map(({ region }) => ({ region, kmsKeyId: keyArns.get(region) })),
    });
    new SecretsmanagerSecretVersion(this, 'value', {
      provider: home.provider,
      secretId: secret.id,
      secretString: Fn.jsonencode({ username: props.username, password: password.result }),
    });
    this.username = props.username;
    this.password = password.result;
    this.secretArn = secret.arn;

    for (const { region } of [home, ...props.replicas]) {
      // A replica keeps the secret's name and ARN suffix; only the region differs.
      const secretArn = region === home.region ? secret.arn : Fn.replace(secret.arn, `:${home.region}:`, `:${region}:`);
      this.regional.set(region, { secretArn, keyArn: keyArns.get(region)! });
    }
  }

  /** The secret as `region` sees it: its replica's ARN and key. */
  forRegion(region: string): RegionalSecret {
    const regional = this.regional.get(region);
    if (!regional) {
      throw new Error(
        `DatabaseSecret ${this.node.path}: no replica in ${region}; regions: ${[...this.regional.keys()].join(', ')}`,
      );
    }
    return regional;
  }
}

function validateProps(path: string, props: DatabaseSecretProps): void {
  const problems: string[] = [];
  const regions = [props.home.region, ...props.replicas.map((replica) => replica.region)];
  if (new Set(regions).size !== regions.length)
    problems.push(`replicas: each region may hold one copy, got ${regions.join(', ')}`);
  const length = props.passwordLength ?? 40;
  if (!Number.isInteger(length) || length < 16 || length > 41)
    problems.push(`passwordLength: ${length} is outside 16-41`);
  const recovery = props.recoveryWindowInDays ?? 30;
  if (!Number.isInteger(recovery) || recovery < 7 || recovery > 30)
    problems.push(`recoveryWindowInDays: ${recovery} is outside 7-30`);
  if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(props.name)) {
    problems.push(`name: "${props.name}" must be 1-512 letters, digits and /_+=.@- characters`);
  }
  if (problems.length > 0) throw new Error(`DatabaseSecret ${path}:\n  - ${problems.join('\n  - ')}`);
}
