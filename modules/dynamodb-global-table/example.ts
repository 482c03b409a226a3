import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DynamoDbGlobalTable } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'data');
    const regions = ['us-east-1', 'eu-west-1'].map((region) => ({
      region,
      provider: new AwsProvider(this, `aws-${region}`, { region, alias: region.replace(/-/g, '_') }),
    }));
    const table = new DynamoDbGlobalTable(this, 'orders', {
      name: 'Orders',
      primaryRegion: 'us-east-1',
      regions,
      hashKey: { name: 'orderId', type: 'S' },
      globalSecondaryIndexes: [{ name: 'byCustomer', hashKey: { name: 'customerId', type: 'S' } }],
      timeToLiveAttribute: 'expiresAt',
      keyAlias: 'shop/orders',
    });
    new TerraformOutput(this, 'table_arn_eu_west_1', { value: table.forRegion('eu-west-1').tableArn });
  }
}
