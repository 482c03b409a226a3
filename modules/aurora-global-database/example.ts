import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { DatabaseSecret } from '../database-secret/index.js';
import { AuroraGlobalDatabase } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'database');
    const regions = ['us-east-1', 'eu-west-1'].map((region) => ({
      region,
      provider: new AwsProvider(this, `aws-${region}`, { region, alias: region.replace(/-/g, '_') }),
    }));
    // Subnets and security groups of your own network stacks, here as variables (tokens).
    const listOf = (name: string) => new TerraformVariable(this, name, { type: 'list(string)' }).listValue;
    const secret = new DatabaseSecret(this, 'secret', {
      name: 'shop/database-master',
      primaryRegion: 'us-east-1',
      regions,
      username: 'shop',
      randomProvider: new RandomProvider(this, 'random'),
      keyAlias: 'shop/database-secret',
    });
    new AuroraGlobalDatabase(this, 'database', {
      globalClusterIdentifier: 'shop',
      engineVersion: '8.0.mysql_aurora.3.10.0',
      databaseName: 'shop',
      masterUsername: secret.username,
      masterPassword: secret.password,
      primaryRegion: 'us-east-1',
      regions: regions.map((placement) => ({
        ...placement,
        subnetIds: listOf(`${placement.provider.alias}_subnet_ids`),
        securityGroupIds: listOf(`${placement.provider.alias}_security_group_ids`),
        instanceClass: 'db.r6g.large',
        instanceCount: 2,
      })),
      creationId: '0a1b2c',
    });
  }
}
