import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { GeneratedSecret } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'tokens');
    const provider = new AwsProvider(this, 'aws', { region: 'us-east-1', alias: 'us_east_1' });
    new GeneratedSecret(this, 'webhook-token', {
      provider,
      randomProvider: new RandomProvider(this, 'random'),
      name: 'shop/us-east-1/webhook-token',
      description: 'Shared secret of the payment webhook',
      recoveryWindowInDays: 0,
    });
  }
}
