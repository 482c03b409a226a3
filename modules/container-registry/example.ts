import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { ContainerRegistry } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'registry');
    const regions = ['us-east-1', 'eu-west-1'].map((region) => ({
      region,
      provider: new AwsProvider(this, `aws-${region}`, { region, alias: region.replace(/-/g, '_') }),
    }));
    const registry = new ContainerRegistry(this, 'registry', {
      primaryRegion: 'us-east-1',
      regions,
      repositoryName: 'shop/api',
    });
    new TerraformOutput(this, 'push_url', { value: registry.forRegion('us-east-1').repositoryUrl });
  }
}
