import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { DynamodbTable, type DynamodbTableReplica } from '@cdktf/provider-aws/lib/dynamodb-table';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener, type LbListenerConfig } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { RdsGlobalCluster } from '@cdktf/provider-aws/lib/rds-global-cluster';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import type { TerraformStack } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { POLICY_RULES } from '../../policy/index.js';
import { checkStack, describeFinding } from './policy-harness.js';

/**
 * One case per rule: `build` creates constructs that satisfy EVERY rule of the pack when
 * `weakened` is false, and with `weakened` true changes them so that exactly this rule fails with
 * exactly `problems` (as `<construct path>: <problem>`).
 */
interface RuleCase {
  readonly ruleId: string;
  readonly build: (stack: TerraformStack, weakened: boolean) => void;
  readonly problems: readonly string[];
}

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555';
const REPLICA_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/66666666-7777-8888-9999-000000000000';
const ROLE = 'arn:aws:iam::111122223333:role/';

function table(
  stack: TerraformStack,
  weakened: boolean,
  change: { table?: object; replica?: Partial<DynamodbTableReplica> },
): void {
  const replica: DynamodbTableReplica = {
    regionName: 'eu-west-1',
    kmsKeyArn: REPLICA_KEY,
    pointInTimeRecovery: true,
    deletionProtectionEnabled: true,
  };
  new DynamodbTable(stack, 'table', {
    name: 'orders',
    hashKey: 'orderId',
    billingMode: 'PAY_PER_REQUEST',
    attribute: [{ name: 'orderId', type: 'S' }],
    streamEnabled: true,
    streamViewType: 'NEW_AND_OLD_IMAGES',
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true, kmsKeyArn: KEY },
    deletionProtectionEnabled: true,
    ...(weakened ? change.table : {}),
    replica: [{ ...replica, ...(weakened ? change.replica : {}) }],
  });
}

function cluster(stack: TerraformStack, weakened: boolean, change: object): void {
  new RdsCluster(stack, 'cluster', {
    clusterIdentifier: 'orders-us-east-1',
    engine: 'aurora-mysql',
    storageEncrypted: true,
    kmsKeyId: KEY,
    deletionProtection: true,
    backupRetentionPeriod: 7,
    iamDatabaseAuthenticationEnabled: true,
    enabledCloudwatchLogsExports: ['audit', 'error', 'slowquery'],
    copyTagsToSnapshot: true,
    ...(weakened ? change : {}),
  });
}

function clusterInstance(stack: TerraformStack, weakened: boolean, change: object): void {
  new RdsClusterInstance(stack, 'instance', {
    clusterIdentifier: 'orders-us-east-1',
    instanceClass: 'db.r6g.large',
    engine: 'aurora-mysql',
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: KEY,
    monitoringInterval: 60,
    monitoringRoleArn: `${ROLE}rds-monitoring`,
    ...(weakened ? change : {}),
  });
}

function logGroup(stack: TerraformStack, weakened: boolean, change: object): void {
  new CloudwatchLogGroup(stack, 'logs', {
    name: '/orders/service',
    kmsKeyId: KEY,
    retentionInDays: 365,
    ...(weakened ? change : {}),
  });
}

/** A VPC with its default security group taken over and closed, and a flow log of all traffic. */
function vpc(stack: TerraformStack, options: { defaultGroup?: object | false; flowLog?: object | false } = {}): Vpc {
  const network = new Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
  if (options.defaultGroup !== false)
    new DefaultSecurityGroup(stack, 'default-group', { vpcId: network.id, ...options.defaultGroup });
  if (options.flowLog !== false) {
    new FlowLog(stack, 'flow-log', {
      vpcId: network.id,
      trafficType: 'ALL',
      logDestination: 'arn:aws:logs:us-east-1:111122223333:log-group:/vpc/flow-logs',
      iamRoleArn: `${ROLE}flow-logs`,
      ...options.flowLog,
    });
  }
  return network;
}

function securityGroup(stack: TerraformStack, change: object = {}): SecurityGroup {
  return new SecurityGroup(stack, 'group', {
    vpcId: 'vpc-0123',
    name: 'service',
    description: 'Service tasks',
    ...change,
  });
}

/** An internet-facing ALB with access logs, deletion protection and a WAF web ACL. */
function loadBalancer(stack: TerraformStack, weakened: boolean, change: object, withWaf = true): Lb {
  const balancer = new Lb(stack, 'alb', {
    name: 'orders',
    loadBalancerType: 'application',
    subnets: ['subnet-a', 'subnet-b'],
    dropInvalidHeaderFields: true,
    enableDeletionProtection: true,
    accessLogs: { enabled: true, bucket: 'orders-alb-logs' },
    ...(weakened ? change : {}),
  });
  if (withWaf)
    new Wafv2WebAclAssociation(stack, 'waf', {
      resourceArn: balancer.arn,
      webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/orders/1',
    });
  return balancer;
}

function listener(stack: TerraformStack, props: Omit<LbListenerConfig, 'loadBalancerArn'>): void {
  new LbListener(stack, 'listener', {
    loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/orders/1',
    ...props,
  });
}

const HTTPS_LISTENER: Omit<LbListenerConfig, 'loadBalancerArn'> = {
  port: 443,
  protocol: 'HTTPS',
  sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
  certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/1',
  defaultAction: [
    { type: 'forward', targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/orders/1' },
  ],
};

const CONTAINER = {
  name: 'orders',
  image: 'orders:1',
  readonlyRootFilesystem: true,
  environment: [{ name: 'DATABASE_SECRET_ARN', value: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:db' }],
  secrets: [{ name: 'DATABASE_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:db' }],
};

function taskDefinition(stack: TerraformStack, weakened: boolean, change: { task?: object; container?: object }): void {
  new EcsTaskDefinition(stack, 'task', {
    family: 'orders',
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '512',
    memory: '1024',
    taskRoleArn: `${ROLE}orders-task`,
    executionRoleArn: `${ROLE}orders-execution`,
    containerDefinitions: JSON.stringify([{ ...CONTAINER, ...(weakened ? change.container : {}) }]),
    ...(weakened ? change.task : {}),
  });
}

function policyJson(action: string, resource: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
  });
}

/** Web ACLs of managed rule groups, written as `rule` blocks and as `rule_json`. */
function webAcls(stack: TerraformStack, groups: readonly string[]): void {
  const visibility = { sampledRequestsEnabled: true, cloudwatchMetricsEnabled: true, metricName: 'orders' };
  const common = { scope: 'REGIONAL', defaultAction: { allow: {} }, visibilityConfig: visibility };
  new Wafv2WebAcl(stack, 'blocks-acl', {
    ...common,
    name: 'orders-blocks',
    rule: groups.map((name, priority) => ({
      name,
      priority,
      overrideAction: { none: {} },
      visibilityConfig: visibility,
      statement: { managed_rule_group_statement: { vendor_name: 'AWS', name } },
    })),
  });
  new Wafv2WebAcl(stack, 'json-acl', {
    ...common,
    name: 'orders-json',
    ruleJson: JSON.stringify(
      groups.map((name, priority) => ({
        Name: name,
        Priority: priority,
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: name } },
        VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: name },
      })),
    ),
  });
}

const ORDERS_READ = { action: 'dynamodb:GetItem', resource: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders' };

const CASES: readonly RuleCase[] = [
  {
    ruleId: 'MRAA-DDB-1',
    build: (stack, weakened) =>
      table(stack, weakened, {
        table: { pointInTimeRecovery: { enabled: false } },
        replica: { pointInTimeRecovery: false },
      }),
    problems: [
      'test/table: point_in_time_recovery.enabled is not true',
      'test/table: replica eu-west-1: point_in_time_recovery is not true',
    ],
  },
  {
    ruleId: 'MRAA-DDB-2',
    build: (stack, weakened) =>
      table(stack, weakened, { table: { serverSideEncryption: { enabled: true } }, replica: { kmsKeyArn: undefined } }),
    problems: [
      'test/table: server_side_encryption.kms_key_arn is not set',
      'test/table: replica eu-west-1: kms_key_arn is not set',
    ],
  },
  {
    ruleId: 'MRAA-DDB-3',
    build: (stack, weakened) =>
      table(stack, weakened, {
        table: { deletionProtectionEnabled: false },
        replica: { deletionProtectionEnabled: undefined },
      }),
    problems: [
      'test/table: deletion_protection_enabled is not true',
      'test/table: replica eu-west-1: deletion_protection_enabled is not true',
    ],
  },
  {
    ruleId: 'MRAA-RDS-1',
    build: (stack, weakened) => cluster(stack, weakened, { storageEncrypted: false, kmsKeyId: undefined }),
    problems: ['test/cluster: storage_encrypted is not true', 'test/cluster: kms_key_id is not set'],
  },
  {
    ruleId: 'MRAA-RDS-2',
    build: (stack, weakened) =>
      new RdsGlobalCluster(stack, 'global', {
        globalClusterIdentifier: 'orders',
        engine: 'aurora-mysql',
        deletionProtection: true,
        storageEncrypted: !weakened,
      }),
    problems: ['test/global: storage_encrypted is not true'],
  },
  {
    ruleId: 'MRAA-RDS-3',
    build: (stack, weakened) => cluster(stack, weakened, { deletionProtection: false }),
    problems: ['test/cluster: deletion_protection is not true'],
  },
  {
    ruleId: 'MRAA-RDS-4',
    build: (stack, weakened) => cluster(stack, weakened, { backupRetentionPeriod: 3 }),
    problems: ['test/cluster: backup_retention_period is 3, not 7-35 days'],
  },
  {
    ruleId: 'MRAA-RDS-5',
    build: (stack, weakened) => cluster(stack, weakened, { iamDatabaseAuthenticationEnabled: undefined }),
    problems: ['test/cluster: iam_database_authentication_enabled is not true'],
  },
  {
    ruleId: 'MRAA-RDS-6',
    build: (stack, weakened) => cluster(stack, weakened, { enabledCloudwatchLogsExports: ['error'] }),
    problems: ['test/cluster: enabled_cloudwatch_logs_exports lacks audit, slowquery'],
  },
  {
    ruleId: 'MRAA-RDS-7',
    build: (stack, weakened) => cluster(stack, weakened, { copyTagsToSnapshot: false }),
    problems: ['test/cluster: copy_tags_to_snapshot is not true'],
  },
  {
    ruleId: 'MRAA-RDS-8',
    build: (stack, weakened) => {
      clusterInstance(stack, weakened, { publiclyAccessible: true });
      new DbInstance(stack, 'database', {
        instanceClass: 'db.t4g.micro',
        engine: 'mysql',
        publiclyAccessible: weakened,
      });
    },
    problems: ['test/instance: publicly_accessible is true', 'test/database: publicly_accessible is true'],
  },
  {
    ruleId: 'MRAA-RDS-9',
    build: (stack, weakened) =>
      clusterInstance(stack, weakened, { performanceInsightsEnabled: false, performanceInsightsKmsKeyId: undefined }),
    problems: [
      'test/instance: performance_insights_enabled is not true',
      'test/instance: performance_insights_kms_key_id is not set',
    ],
  },
  {
    ruleId: 'MRAA-RDS-10',
    build: (stack, weakened) =>
      clusterInstance(stack, weakened, { monitoringInterval: 0, monitoringRoleArn: undefined }),
    problems: [
      'test/instance: monitoring_interval is 0, not one of 1, 5, 10, 15, 30, 60',
      'test/instance: monitoring_role_arn is not set',
    ],
  },
  {
    ruleId: 'MRAA-RDS-11',
    build: (stack, weakened) => clusterInstance(stack, weakened, { autoMinorVersionUpgrade: false }),
    problems: ['test/instance: auto_minor_version_upgrade is false'],
  },
  {
    ruleId: 'MRAA-SM-1',
    build: (stack, weakened) =>
      new SecretsmanagerSecret(stack, 'secret', {
        name: 'orders/database',
        kmsKeyId: weakened ? 'alias/aws/secretsmanager' : KEY,
        replica: [{ region: 'eu-west-1', kmsKeyId: weakened ? undefined : REPLICA_KEY }],
      }),
    problems: [
      'test/secret: kms_key_id is the AWS-managed key alias/aws/secretsmanager',
      'test/secret: replica eu-west-1: kms_key_id is not set',
    ],
  },
  {
    ruleId: 'MRAA-KMS-1',
    build: (stack, weakened) => new KmsKey(stack, 'key', { description: 'orders', enableKeyRotation: !weakened }),
    problems: ['test/key: enable_key_rotation is not true'],
  },
  {
    ruleId: 'MRAA-LOG-1',
    build: (stack, weakened) => logGroup(stack, weakened, { kmsKeyId: undefined }),
    problems: ['test/logs: kms_key_id is not set'],
  },
  {
    ruleId: 'MRAA-LOG-2',
    build: (stack, weakened) => logGroup(stack, weakened, { retentionInDays: 90 }),
    problems: ['test/logs: retention_in_days is 90, less than 365'],
  },
  {
    ruleId: 'MRAA-SNS-1',
    build: (stack, weakened) =>
      new SnsTopic(stack, 'topic', { name: 'orders-alarms', kmsMasterKeyId: weakened ? undefined : KEY }),
    problems: ['test/topic: kms_master_key_id is not set'],
  },
  {
    ruleId: 'MRAA-NET-1',
    build: (stack, weakened) => {
      const group = securityGroup(
        stack,
        weakened
          ? { description: '', egress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['10.0.0.0/8'] }] }
          : {
              egress: [
                {
                  protocol: 'tcp',
                  fromPort: 443,
                  toPort: 443,
                  cidrBlocks: ['10.0.0.0/8'],
                  description: 'HTTPS inside the network',
                },
              ],
            },
      );
      new VpcSecurityGroupIngressRule(stack, 'ingress', {
        securityGroupId: group.id,
        ipProtocol: 'tcp',
        fromPort: 3000,
        toPort: 3000,
        referencedSecurityGroupId: 'sg-0alb',
        description: weakened ? undefined : 'Load balancer to service',
      });
      new SecurityGroupRule(stack, 'rule', {
        type: 'egress',
        securityGroupId: group.id,
        protocol: 'tcp',
        fromPort: 3306,
        toPort: 3306,
        sourceSecurityGroupId: 'sg-0db',
        description: weakened ? undefined : 'Service to database',
      });
    },
    problems: [
      'test/group: description is not set',
      'test/group: egress 1: description is not set',
      'test/ingress: description is not set',
      'test/rule: description is not set',
    ],
  },
  {
    ruleId: 'MRAA-NET-2',
    build: (stack, weakened) => {
      const group = securityGroup(stack, {
        ingress: [
          {
            protocol: 'tcp',
            fromPort: 22,
            toPort: 22,
            cidrBlocks: [weakened ? '0.0.0.0/0' : '10.0.0.0/8'],
            description: 'SSH',
          },
        ],
      });
      new VpcSecurityGroupIngressRule(stack, 'ingress', {
        securityGroupId: group.id,
        ipProtocol: 'tcp',
        fromPort: 3000,
        toPort: 3001,
        description: 'Service ports',
        ...(weakened ? { cidrIpv6: '::/0' } : { referencedSecurityGroupId: 'sg-0alb' }),
      });
      new SecurityGroupRule(stack, 'rule', {
        type: 'ingress',
        securityGroupId: group.id,
        protocol: '-1',
        fromPort: 0,
        toPort: 0,
        description: 'Everything',
        ...(weakened ? { cidrBlocks: ['0.0.0.0/0'] } : { sourceSecurityGroupId: 'sg-0alb' }),
      });
    },
    problems: [
      'test/group: ingress 1: ingress from 0.0.0.0/0 on tcp port 22',
      'test/ingress: ingress from ::/0 on tcp ports 3000-3001',
      'test/rule: ingress from 0.0.0.0/0 on all protocols all ports',
    ],
  },
  {
    ruleId: 'MRAA-NET-3',
    build: (stack, weakened) => {
      const group = securityGroup(stack, {
        egress: [
          {
            protocol: weakened ? '-1' : 'tcp',
            fromPort: weakened ? 0 : 443,
            toPort: weakened ? 0 : 443,
            cidrBlocks: ['0.0.0.0/0'],
            description: 'Out',
          },
        ],
      });
      new VpcSecurityGroupEgressRule(stack, 'egress', {
        securityGroupId: group.id,
        ipProtocol: weakened ? '-1' : 'tcp',
        fromPort: weakened ? undefined : 443,
        toPort: weakened ? undefined : 443,
        cidrIpv6: '::/0',
        description: 'HTTPS to AWS APIs',
      });
    },
    problems: [
      'test/group: egress 1: egress to 0.0.0.0/0 on all protocols and ports',
      'test/egress: egress to ::/0 on all protocols and ports',
    ],
  },
  {
    ruleId: 'MRAA-NET-4',
    build: (stack, weakened) => {
      vpc(stack);
      const other = new Vpc(stack, 'other-vpc', { cidrBlock: '10.1.0.0/16' });
      new FlowLog(stack, 'other-flow-log', {
        vpcId: other.id,
        trafficType: 'ALL',
        logDestination: 'arn:aws:logs:us-east-1:111122223333:log-group:/vpc/other',
        iamRoleArn: `${ROLE}flow-logs`,
      });
      new DefaultSecurityGroup(stack, 'other-default-group', {
        vpcId: weakened ? 'vpc-elsewhere' : other.id,
        ingress: weakened ? [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['10.1.0.0/16'] }] : undefined,
      });
    },
    problems: [
      "test/other-vpc: no aws_default_security_group in the stack takes over this VPC's default security group",
      'test/other-default-group: the default security group has ingress rules',
    ],
  },
  {
    ruleId: 'MRAA-NET-5',
    build: (stack, weakened) => vpc(stack, { flowLog: weakened ? { trafficType: 'REJECT' } : {} }),
    problems: ['test/vpc: no aws_flow_log in the stack records ALL traffic of this VPC'],
  },
  {
    ruleId: 'MRAA-ALB-1',
    build: (stack, weakened) =>
      listener(stack, {
        port: 80,
        protocol: 'HTTP',
        defaultAction: [
          weakened
            ? {
                type: 'forward',
                targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/orders/1',
              }
            : { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } },
        ],
      }),
    problems: ['test/listener: protocol HTTP on port 80 serves traffic instead of redirecting to HTTPS'],
  },
  {
    ruleId: 'MRAA-ALB-2',
    build: (stack, weakened) =>
      listener(stack, {
        ...HTTPS_LISTENER,
        sslPolicy: weakened ? 'ELBSecurityPolicy-TLS13-1-0-2021-06' : HTTPS_LISTENER.sslPolicy,
      }),
    problems: ['test/listener: ssl_policy ELBSecurityPolicy-TLS13-1-0-2021-06 accepts TLS older than 1.2'],
  },
  {
    ruleId: 'MRAA-ALB-3',
    build: (stack, weakened) => loadBalancer(stack, weakened, { dropInvalidHeaderFields: false }),
    problems: ['test/alb: drop_invalid_header_fields is not true'],
  },
  {
    ruleId: 'MRAA-ALB-4',
    build: (stack, weakened) => loadBalancer(stack, weakened, { accessLogs: { enabled: false, bucket: '' } }),
    problems: ['test/alb: access_logs.enabled is not true', 'test/alb: access_logs.bucket is not set'],
  },
  {
    ruleId: 'MRAA-ALB-5',
    build: (stack, weakened) => loadBalancer(stack, weakened, { enableDeletionProtection: false }),
    problems: ['test/alb: enable_deletion_protection is not true'],
  },
  {
    ruleId: 'MRAA-ALB-6',
    build: (stack, weakened) => loadBalancer(stack, weakened, {}, !weakened),
    problems: ['test/alb: internet-facing and no aws_wafv2_web_acl_association in the stack protects it'],
  },
  {
    ruleId: 'MRAA-ALB-7',
    build: (stack, weakened) =>
      new LbTargetGroup(stack, 'targets', {
        name: 'orders',
        port: 3000,
        protocol: 'HTTP',
        targetType: 'ip',
        vpcId: 'vpc-0123',
        healthCheck: weakened ? { enabled: true } : { enabled: true, path: '/health', matcher: '200' },
      }),
    problems: ['test/targets: health_check.path is not set'],
  },
  {
    ruleId: 'MRAA-WAF-1',
    build: (stack, weakened) =>
      webAcls(
        stack,
        weakened
          ? ['AWSManagedRulesCommonRuleSet']
          : ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet'],
      ),
    problems: [
      'test/blocks-acl: no rule uses the managed rule group AWSManagedRulesKnownBadInputsRuleSet',
      'test/json-acl: no rule uses the managed rule group AWSManagedRulesKnownBadInputsRuleSet',
    ],
  },
  {
    ruleId: 'MRAA-ECS-1',
    build: (stack, weakened) =>
      new EcsService(stack, 'service', {
        name: 'orders',
        taskDefinition: 'orders:1',
        launchType: 'FARGATE',
        networkConfiguration: { subnets: ['subnet-a'], securityGroups: ['sg-0service'], assignPublicIp: weakened },
      }),
    problems: ['test/service: network_configuration.assign_public_ip is true'],
  },
  {
    ruleId: 'MRAA-ECS-2',
    build: (stack, weakened) => taskDefinition(stack, weakened, { container: { readonlyRootFilesystem: false } }),
    problems: ['test/task: container orders: readonlyRootFilesystem is not true'],
  },
  {
    ruleId: 'MRAA-ECS-3',
    build: (stack, weakened) => taskDefinition(stack, weakened, { task: { taskRoleArn: `${ROLE}orders-execution` } }),
    problems: ['test/task: task_role_arn and execution_role_arn are the same role'],
  },
  {
    ruleId: 'MRAA-ECS-4',
    build: (stack, weakened) =>
      taskDefinition(stack, weakened, {
        container: {
          environment: [
            ...CONTAINER.environment,
            { name: 'DATABASE_PASSWORD', value: 'hunter2' },
            { name: 'stripe_api_key', value: 'sk_live' },
          ],
        },
      }),
    problems: [
      'test/task: container orders: environment variable DATABASE_PASSWORD looks like a secret in plain text',
      'test/task: container orders: environment variable stripe_api_key looks like a secret in plain text',
    ],
  },
  {
    ruleId: 'MRAA-ECS-5',
    build: (stack, weakened) =>
      new EcsCluster(stack, 'cluster', {
        name: 'orders',
        setting: [{ name: 'containerInsights', value: weakened ? 'disabled' : 'enhanced' }],
      }),
    problems: ['test/cluster: setting containerInsights is not enabled'],
  },
  {
    ruleId: 'MRAA-IAM-1',
    build: (stack, weakened) => {
      const grant = weakened ? { action: '*', resource: '*' } : ORDERS_READ;
      const document = new DataAwsIamPolicyDocument(stack, 'document', {
        statement: [
          { actions: ['*'], resources: ['*'], effect: 'Deny' },
          { actions: [grant.action], resources: [grant.resource] },
        ],
      });
      const role = new IamRole(stack, 'role', {
        name: 'orders-task',
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ecs-tasks.amazonaws.com' } }],
        }),
        inlinePolicy: [{ name: 'inline', policy: policyJson(grant.action, grant.resource) }],
      });
      new IamRolePolicy(stack, 'role-policy', { role: role.id, policy: document.json });
      new IamPolicy(stack, 'policy', { name: 'orders', policy: policyJson(grant.action, ORDERS_READ.resource) });
      new IamRolePolicy(stack, 'literal-role-policy', {
        role: role.id,
        policy: policyJson(ORDERS_READ.action, grant.resource),
      });
      new IamRolePolicy(stack, 'admin-role-policy', {
        role: role.id,
        policy: policyJson(grant.action, grant.resource),
      });
    },
    problems: [
      'test/document: statement 2 allows action "*" on resource "*"',
      'test/role: inline_policy 1: statement 1 allows action "*" on resource "*"',
      'test/admin-role-policy: statement 1 allows action "*" on resource "*"',
    ],
  },
];

describe('policy rules', () => {
  it('every rule of the pack has a case, and every case names a rule of the pack', () => {
    expect(CASES.map((ruleCase) => ruleCase.ruleId).sort()).toEqual(POLICY_RULES.map((rule) => rule.id).sort());
  });

  it('rule ids are unique and every rule says why, how to fix and where it applies', () => {
    expect(new Set(POLICY_RULES.map((rule) => rule.id)).size).toBe(POLICY_RULES.length);
    for (const rule of POLICY_RULES) {
      expect(rule.id, rule.id).toMatch(/^MRAA-[A-Z]+-\d+$/);
      expect(rule.rationale.length, rule.id).toBeGreaterThan(20);
      expect(rule.fix.length, rule.id).toBeGreaterThan(10);
      expect(rule.appliesTo.length, rule.id).toBeGreaterThan(0);
      for (const id of rule.checkovIds) expect(id, rule.id).toMatch(/^CKV2?_AWS_\d+$/);
    }
  });

  describe.each(CASES)('$ruleId', ({ ruleId, build, problems }) => {
    it('finds nothing in compliant constructs', () => {
      const { findings, errors } = checkStack((stack) => build(stack, false));
      expect(findings.map(describeFinding)).toEqual([]);
      expect(errors).toEqual([]);
    });

    it('reports every weakening, and only under this rule', () => {
      const { findings, errors } = checkStack((stack) => build(stack, true));
      expect(findings.map(describeFinding)).toEqual(problems.map((problem) => problem.replace(': ', `: ${ruleId} `)));
      expect(errors).toHaveLength(problems.length);
    });
  });
});
