import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { EncryptionKey } from '../encryption-key/index.js';

export interface EncryptedLogGroupProps {
  /** The region's provider: the log group and its key live there. */
  readonly provider: AwsProvider;
  /** Log group name, such as `/ecs/orders-production-us-east-1`. */
  readonly name: string;
  /** Alias of the key, without `alias/`. */
  readonly keyAlias: string;
  /** What the logs are, for the key's description: `the service logs of …`. */
  readonly purpose: string;
  /** Days CloudWatch Logs keeps events (a value it accepts). */
  readonly retentionDays: number;
}

/** A CloudWatch log group with a retention period, encrypted with a customer key of its own. */
export class EncryptedLogGroup extends Construct {
  readonly logGroupName: string;
  readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    const { provider } = props;
    const key = new EncryptionKey(this, 'key', {
      provider,
      alias: props.keyAlias,
      description: `Encrypts ${props.purpose}`,
      allowCloudWatchLogs: true,
    });
    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      provider,
      name: props.name,
      retentionInDays: props.retentionDays,
      kmsKeyId: key.keyArn,
    });
    this.logGroupName = logGroup.name;
    this.logGroupArn = logGroup.arn;
  }
}
