import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AlertTopic } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'alerts');
    const provider = new AwsProvider(this, 'aws', { region: 'us-east-1', alias: 'us_east_1' });
    const topic = new AlertTopic(this, 'alerts', {
      provider,
      name: 'shop-us-east-1-alerts',
      emailEndpoints: ['oncall@example.com'],
    });
    topic.alarm({
      name: 'queue-backlog',
      description: 'Orders wait in the queue: check the workers.',
      metric: {
        namespace: 'AWS/SQS',
        metricName: 'ApproximateAgeOfOldestMessage',
        dimensions: { QueueName: 'orders' },
        statistic: 'Maximum',
      },
      comparison: 'GreaterThanThreshold',
      threshold: 300,
      periodSeconds: 60,
      evaluationPeriods: 5,
    });
  }
}
