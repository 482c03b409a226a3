import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { EncryptedLogGroup } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'logs');
    const provider = new AwsProvider(this, 'aws', { region: 'us-east-1', alias: 'us_east_1' });
    new EncryptedLogGroup(this, 'audit', {
      provider,
      name: '/shop/audit',
      keyAlias: 'shop/audit-logs',
      purpose: 'the shop audit logs',
      retentionDays: 365,
    });
  }
}
