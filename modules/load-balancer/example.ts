import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { LoadBalancer } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'edge-us-east-1');
    const provider = new AwsProvider(this, 'aws', { region: 'us-east-1', alias: 'us_east_1' });
    // Values of your own network and certificate stacks, here as variables (tokens).
    const input = (name: string) => new TerraformVariable(this, name, { type: 'string' }).stringValue;
    const loadBalancer = new LoadBalancer(this, 'load-balancer', {
      provider,
      name: 'shop-us-east-1',
      vpcId: input('vpc_id'),
      subnetIds: new TerraformVariable(this, 'public_subnet_ids', { type: 'list(string)' }).listValue,
      securityGroupId: input('load_balancer_security_group_id'),
      certificateArn: input('certificate_arn'),
      targetPort: 8080,
    });
    new TerraformOutput(this, 'dns_name', { value: loadBalancer.dnsName });
  }
}
