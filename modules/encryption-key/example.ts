import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { EncryptionKey } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'keys');
    const provider = new AwsProvider(this, 'aws', { region: 'eu-west-1', alias: 'eu_west_1' });
    const key = new EncryptionKey(this, 'logs-key', {
      provider,
      alias: 'shop/eu-west-1/logs',
      description: 'Encrypts the shop log groups in eu-west-1',
      allowCloudWatchLogs: true,
    });
    new TerraformOutput(this, 'key_arn', { value: key.keyArn });
  }
}
