import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { LoadBalancer } from '../load-balancer/index.js';
import { FargateService, tableAccessStatements } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'app-us-east-1');
    const provider = new AwsProvider(this, 'aws', { region: 'us-east-1', alias: 'us_east_1' });
    const input = (name: string) => new TerraformVariable(this, name, { type: 'string' }).stringValue;
    const inputList = (name: string) => new TerraformVariable(this, name, { type: 'list(string)' }).listValue;
    const loadBalancer = new LoadBalancer(this, 'load-balancer', {
      provider,
      name: 'shop-us-east-1',
      vpcId: input('vpc_id'),
      subnetIds: inputList('public_subnet_ids'),
      securityGroupId: input('load_balancer_security_group_id'),
      certificateArn: input('certificate_arn'),
      targetPort: 8080,
    });
    new FargateService(this, 'service', {
      provider,
      name: 'shop-us-east-1',
      image: `${input('repository_url')}:1.4.2`,
      repositoryArn: input('repository_arn'),
      containerPort: 8080,
      cpu: 512,
      memoryMiB: 1024,
      environment: { TABLE_NAME: 'Orders' },
      secrets: [],
      taskPermissions: tableAccessStatements({
        region: 'us-east-1',
        tableArn: input('table_arn'),
        keyArn: input('table_key_arn'),
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
      }),
      subnetIds: inputList('private_subnet_ids'),
      securityGroupIds: inputList('service_security_group_ids'),
      target: loadBalancer,
      scaling: { minTasks: 2, maxTasks: 10 },
      logRetentionDays: 90,
    });
  }
}
