import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { ServiceDashboard } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'dashboard');
    const provider = new AwsProvider(this, 'aws', { region: 'us-east-1', alias: 'us_east_1' });
    const regions = ['us-east-1', 'eu-west-1'];
    new ServiceDashboard(this, 'dashboard', {
      provider,
      name: 'shop',
      regions: regions.map((region) => ({
        region,
        loadBalancerArnSuffix: `app/shop-${region}/0123456789abcdef`,
        targetGroupArnSuffix: `targetgroup/shop/0123456789abcdef`,
        clusterName: `shop-${region}`,
        serviceName: `shop-${region}`,
        tableName: 'Orders',
        databaseClusterIdentifier: `shop-${region}`,
        healthCheckId: `health-check-${region}`,
        otherRegions: regions.filter((other) => other !== region),
        writerUnreachableMetric: { namespace: 'Shop', metricName: 'WriterUnreachable' },
      })),
    });
  }
}
