import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { RegionalNetwork } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'network-us-east-1');
    const provider = new AwsProvider(this, 'aws', { region: 'us-east-1', alias: 'us_east_1' });
    const network = new RegionalNetwork(this, 'network', {
      provider,
      name: 'shop-us-east-1',
      cidr: '10.0.0.0/16',
      availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      servicePort: 8080,
    });
    new TerraformOutput(this, 'private_subnet_ids', { value: network.privateSubnetIds });
  }
}
