import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DatabaseSecret } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'secrets');
    const regions = ['us-east-1', 'eu-west-1'].map((region) => ({
      region,
      provider: new AwsProvider(this, `aws-${region}`, { region, alias: region.replace(/-/g, '_') }),
    }));
    const secret = new DatabaseSecret(this, 'master', {
      name: 'shop/database-master',
      primaryRegion: 'us-east-1',
      regions,
      username: 'shop',
      randomProvider: new RandomProvider(this, 'random'),
      keyAlias: 'shop/database-secret',
    });
    new TerraformOutput(this, 'secret_arn_eu_west_1', { value: secret.forRegion('eu-west-1').secretArn });
  }
}
