import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { accountOf } from '../account.js';
import { PropChecks, wholeNumber } from '../validation.js';

export interface EncryptionKeyProps {
  /** The provider of the region the key lives in; KMS keys never leave their region. */
  readonly provider: AwsProvider;
  /** Alias without the `alias/` prefix, such as `orders/us-east-1/flow-logs`. */
  readonly alias: string;
  readonly description: string;
  /**
   * Let CloudWatch Logs in this region encrypt this account's log groups with the key.
   * @default false — log groups cannot use the key
   */
  readonly allowCloudWatchLogs?: boolean;
  /**
   * AWS service principals (such as `cloudwatch.amazonaws.com`, which publishes alarms to an
   * encrypted SNS topic) allowed to generate data keys and decrypt with the key.
   * @default [] — only IAM principals of this account that their own policies allow
   */
  readonly servicePrincipals?: readonly string[];
  /**
   * Days KMS waits before deleting the key after `destroy` (7-30).
   * @default 30 — the longest window, for data keys that protect stores
   */
  readonly deletionWindowInDays?: number;
  /**
   * Refuse to destroy the key (Terraform `prevent_destroy`): for a key that encrypts backups or
   * snapshots meant to outlive their store. A `terraform destroy` of the stack then stops until
   * the key is released from the state (`terraform state rm`), so the key stays in the account,
   * enabled, and what it encrypts stays restorable. A key scheduled for deletion cannot decrypt,
   * and the longest window (30 days) is shorter than the backups it would strand.
   * @default false
   */
  readonly retainOnDestroy?: boolean;
}

/**
 * A customer-managed KMS key with yearly rotation, an alias, and a key policy that leaves
 * administration to the account and grants only the named AWS services.
 */
export class EncryptionKey extends Construct {
  readonly keyArn: string;
  readonly keyId: string;
  readonly aliasName: string;
  /** The key resource: its address (`aws_kms_key.<id>`) names it for `terraform state rm`. */
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowInDays ?? 30;
    const checks = new PropChecks(this, `EncryptionKey ${this.node.path}`)
      .check('deletionWindowInDays', deletionWindowInDays, wholeNumber(7, 30))
      .known('allowCloudWatchLogs', props.allowCloudWatchLogs, 'it decides the key policy statements')
      .known('servicePrincipals', props.servicePrincipals, 'it decides the key policy statements')
      .known('retainOnDestroy', props.retainOnDestroy, "it decides the key's lifecycle")
      .throwIfAny();
    const { provider } = props;
    const { accountId: account, partition } = accountOf(this, provider);
    const region = provider.region ?? '';

    // Written as JSON rather than an aws_iam_policy_document data source: scanners read a data
    // source's `Resource: "*"` as an identity policy, while in a key policy it means "this key".
    const statements: KeyPolicyStatement[] = [
      {
        Sid: 'AccountAdministers',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ];
    if (props.allowCloudWatchLogs) {
      statements.push({
        Sid: 'CloudWatchLogsEncrypts',
        Effect: 'Allow',
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` },
        },
      });
    }
    if (props.servicePrincipals?.length) {
      statements.push({
        Sid: 'ServicesUseDataKeys',
        Effect: 'Allow',
        Principal: { Service: [...props.servicePrincipals] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': account } },
      });
    }

    const key = new KmsKey(this, 'key', {
      provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      lifecycle: props.retainOnDestroy ? { preventDestroy: true } : undefined,
    });
    checks.checkAtPlanOn(key);
    const alias = new KmsAlias(this, 'alias', { provider, name: `alias/${props.alias}`, targetKeyId: key.keyId });
    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.aliasName = alias.name;
    this.key = key;
  }
}

interface KeyPolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Principal: { readonly AWS?: string; readonly Service?: string | string[] };
  readonly Action: string | string[];
  readonly Resource: '*';
  readonly Condition?: Record<string, Record<string, string>>;
}
