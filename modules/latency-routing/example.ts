import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { LatencyRouting } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'dns');
    // Health-check metrics are published in us-east-1.
    const provider = new AwsProvider(this, 'aws', { region: 'us-east-1', alias: 'us_east_1' });
    new LatencyRouting(this, 'routing', {
      provider,
      zoneId: 'Z0123456789ABCDEFGHIJ',
      domainName: 'api.shop.example.com',
      regions: [
        {
          region: 'us-east-1',
          loadBalancerDnsName: 'shop-us-east-1-123.us-east-1.elb.amazonaws.com',
          loadBalancerZoneId: 'Z35SXDOTRQ7X7K',
        },
        {
          region: 'eu-west-1',
          loadBalancerDnsName: 'shop-eu-west-1-456.eu-west-1.elb.amazonaws.com',
          loadBalancerZoneId: 'Z32O12XQLNTSW2',
        },
      ],
      healthCheckPath: '/health',
      healthCheckIntervalSeconds: 30,
      healthCheckFailureThreshold: 3,
    });
  }
}
