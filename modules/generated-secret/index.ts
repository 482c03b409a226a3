import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Password } from '@cdktf/provider-random/lib/password';
import type { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Op } from 'cdktf';
import { Construct } from 'constructs';
import { EncryptionKey } from '../encryption-key/index.js';
import { compare, PropChecks, wholeNumber, type Rule } from '../validation.js';

/** Days Secrets Manager keeps a deleted secret: 7-30, or 0 to delete it at once. */
const RECOVERY_WINDOW: Rule<number> = {
  allowed: '0 or a whole number from 7 to 30',
  holds: (days) => days === 0 || wholeNumber(7, 30).holds(days),
  problem: (days) => `${days} is not 0 or 7-30`,
  condition: (days) => Op.or(compare(days, 'eq', 0), wholeNumber(7, 30).condition(days)),
};

export interface GeneratedSecretProps {
  /** Provider of the region the secret lives in. */
  readonly provider: AwsProvider;
  /** The stack's random provider, which generates the value. */
  readonly randomProvider: RandomProvider;
  /** Secret name, such as `orders-production/us-east-1/drill-token`. */
  readonly name: string;
  readonly description: string;
  /**
   * Characters in the generated value (letters and digits, so it is safe in headers and URLs).
   * @default 32
   */
  readonly length?: number;
  /**
   * Change this label to generate and store a new value on the next apply.
   * @default 'initial'
   */
  readonly generation?: string;
  /**
   * Days Secrets Manager keeps the secret after `destroy` (7-30), or 0 to delete it at once. A
   * secret in its recovery window still holds its name, so re-creating the stack within the window
   * fails ("a secret with this name is already scheduled for deletion"); 0 suits a random value
   * nobody needs back, which the next create generates anew.
   * @default 7
   */
  readonly recoveryWindowInDays?: number;
}

/**
 * A Secrets Manager secret holding a generated random value, encrypted with a customer key of
 * its own region. The value also sits in the Terraform state, which must therefore stay
 * encrypted and access-controlled (the S3 backend does both).
 *
 * Rotation has no Lambda: change `generation` (or `terraform apply -replace=<the random_password
 * of this construct>`) and apply, and the new value becomes the secret's current version.
 * Consumers that read it at start (ECS task secrets) take it when their tasks are replaced, for
 * example by forcing a new deployment of the service.
 */
export class GeneratedSecret extends Construct {
  readonly secretArn: string;
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: GeneratedSecretProps) {
    super(scope, id);
    const length = props.length ?? 32;
    const recoveryWindowInDays = props.recoveryWindowInDays ?? 7;
    const checks = new PropChecks(this, `GeneratedSecret ${this.node.path}`)
      .check('recoveryWindowInDays', recoveryWindowInDays, RECOVERY_WINDOW)
      .check('length', length, wholeNumber(16, 128))
      .throwIfAny();
    const { provider } = props;
    const key = new EncryptionKey(this, 'key', {
      provider,
      alias: `${props.name}/secret`,
      description: `Encrypts the ${props.name} secret`,
    });
    const secret = new SecretsmanagerSecret(this, 'secret', {
      provider,
      name: props.name,
      description: props.description,
      kmsKeyId: key.keyArn,
      recoveryWindowInDays,
    });
    checks.checkAtPlanOn(secret);
    const value = new Password(this, 'value', {
      provider: props.randomProvider,
      length,
      special: false,
      keepers: { generation: props.generation ?? 'initial' },
    });
    new SecretsmanagerSecretVersion(this, 'version', {
      provider,
      secretId: secret.id,
      secretString: value.result,
    });
    this.secretArn = secret.arn;
    this.keyArn = key.keyArn;
  }
}
