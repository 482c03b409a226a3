import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AlertTopic } from '../alert-topic/index.js';
import { RegionalAlarms } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'alarms-eu-west-1');
    const provider = new AwsProvider(this, 'aws', { region: 'eu-west-1', alias: 'eu_west_1' });
    new RegionalAlarms(this, 'alarms', {
      provider,
      topic: new AlertTopic(this, 'alerts', { provider, name: 'shop-eu-west-1-alerts' }),
      loadBalancerArnSuffix: 'app/shop-eu-west-1/0123456789abcdef',
      targetGroupArnSuffix: 'targetgroup/shop-e20240101/0123456789abcdef',
      clusterName: 'shop-eu-west-1',
      serviceName: 'shop-eu-west-1',
      tableName: 'Orders',
      otherRegions: ['us-east-1'],
      databaseClusterIdentifier: 'shop-eu-west-1',
      databaseIsSecondary: true,
      serviceLogGroupName: '/ecs/shop-eu-west-1',
      writerUnreachableLog: { event: 'database.writer_unreachable' },
      writerUnreachableMetric: { namespace: 'Shop', metricName: 'WriterUnreachable' },
      thresholds: {
        loadBalancer5xx: 10,
        target5xx: 10,
        cpuPercent: 80,
        memoryPercent: 80,
        tableReplicationLatencyMs: 2000,
        databaseReplicationLagMs: 1000,
        periodSeconds: 60,
        evaluationPeriods: 3,
      },
    });
  }
}
