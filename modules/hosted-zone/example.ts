import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { HostedZone } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'zone');
    const provider = new AwsProvider(this, 'aws', { region: 'us-east-1', alias: 'us_east_1' });
    const zone = new HostedZone(this, 'zone', { provider, name: 'shop.example.com', create: true });
    new TerraformOutput(this, 'name_servers', { value: zone.nameServers });
  }
}
