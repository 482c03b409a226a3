// Props a consumer knows only at plan or apply (cdktf tokens: Terraform variables, references)
// are accepted by every module: a known bad value still fails synth naming the prop, a token
// synthesizes, and its rule becomes a precondition that Terraform evaluates exactly as synth
// judges a known value (checked with the real tofu/terraform console where one is installed).
// Props that decide what a construct creates refuse a token, naming the prop.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { AlertTopic } from '../../modules/alert-topic/index.js';
import { AuroraGlobalDatabase, type AuroraGlobalDatabaseProps } from '../../modules/aurora-global-database/index.js';
import { ContainerRegistry } from '../../modules/container-registry/index.js';
import { ServiceDashboard } from '../../modules/dashboard/index.js';
import { DatabaseSecret } from '../../modules/database-secret/index.js';
import { DnsValidatedCertificates } from '../../modules/dns-validated-certificates/index.js';
import { DynamoDbGlobalTable, type DynamoDbGlobalTableProps } from '../../modules/dynamodb-global-table/index.js';
import { EncryptionKey } from '../../modules/encryption-key/index.js';
import { FargateService, type FargateServiceProps } from '../../modules/fargate-service/index.js';
import { GeneratedSecret } from '../../modules/generated-secret/index.js';
import { HostedZone } from '../../modules/hosted-zone/index.js';
import { LatencyRouting, type LatencyRoutingProps } from '../../modules/latency-routing/index.js';
import { LoadBalancer, type LoadBalancerProps } from '../../modules/load-balancer/index.js';
import { RegionalAlarms, type AlarmThresholds } from '../../modules/regional-alarms/index.js';
import { RegionalNetwork, type RegionalNetworkProps } from '../../modules/regional-network/index.js';
import { matching, PropChecks, wholeNumber } from '../../modules/validation.js';
import { VpcPeeringMesh } from '../../modules/vpc-peering/index.js';
import { terraformCliOrSkip } from './terraform-cli.js';

type Value = string | number | readonly string[];
type VariableType = 'string' | 'number' | 'list(string)';

/** A stack with a provider per region, as a consumer's stack would have. */
function consumerStack() {
  const stack = new TerraformStack(Testing.app(), 'consumer');
  const providers = new Map(
    ['us-east-1', 'eu-west-1'].map((region) => [
      region,
      new AwsProvider(stack, region, { region, alias: region.replace(/-/g, '_') }),
    ]),
  );
  const at = (region: string) => ({ region, provider: providers.get(region)! });
  return { stack, at, provider: at('us-east-1').provider };
}
type Consumer = ReturnType<typeof consumerStack>;

/** A value of `type` known only at plan: the variable `v`. */
function token(stack: TerraformStack, type: VariableType): Value {
  const variable = new TerraformVariable(stack, 'v', { type });
  return type === 'number' ? variable.numberValue : type === 'string' ? variable.stringValue : variable.listValue;
}

const network = (c: Consumer, props: Partial<RegionalNetworkProps>) =>
  new RegionalNetwork(c.stack, 'network', {
    provider: c.provider,
    name: 'main',
    cidr: '10.0.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    servicePort: 8080,
    ...props,
  });
const table = (c: Consumer, props: Partial<DynamoDbGlobalTableProps>) =>
  new DynamoDbGlobalTable(c.stack, 'table', {
    name: 'Orders',
    primaryRegion: 'us-east-1',
    regions: [c.at('us-east-1'), c.at('eu-west-1')],
    hashKey: { name: 'id', type: 'S' },
    keyAlias: 'orders/table',
    ...props,
  });
const databaseRegion = (c: Consumer, region: string, subnetIds: readonly string[] = ['subnet-a', 'subnet-b']) => ({
  ...c.at(region),
  subnetIds: subnetIds as string[],
  securityGroupIds: ['sg-1'],
  instanceClass: 'db.r6g.large',
  instanceCount: 1,
});
const database = (c: Consumer, props: Partial<AuroraGlobalDatabaseProps>) =>
  new AuroraGlobalDatabase(c.stack, 'database', {
    globalClusterIdentifier: 'orders',
    engineVersion: '8.0.mysql_aurora.3.10.0',
    databaseName: 'orders',
    masterUsername: 'admin',
    masterPassword: 'unused-in-synth',
    primaryRegion: 'us-east-1',
    regions: [databaseRegion(c, 'us-east-1'), databaseRegion(c, 'eu-west-1')],
    creationId: 'a1b2c3',
    ...props,
  });
const target = { targetGroupArn: 'tg', loadBalancerArnSuffix: 'app/lb/1', targetGroupArnSuffix: 'tg/1', listeners: [] };
const service = (c: Consumer, props: Partial<FargateServiceProps>) =>
  new FargateService(c.stack, 'service', {
    provider: c.provider,
    name: 'orders',
    image: 'registry/orders:1',
    repositoryArn: 'arn:aws:ecr:us-east-1:123456789012:repository/orders',
    containerPort: 8080,
    cpu: 256,
    memoryMiB: 512,
    environment: {},
    secrets: [],
    taskPermissions: [],
    subnetIds: ['subnet-a'],
    securityGroupIds: ['sg-1'],
    target: { ...target, deregistrationDelaySeconds: 15 },
    scaling: { minTasks: 1, maxTasks: 2 },
    logRetentionDays: 30,
    ...props,
  });
const loadBalancer = (c: Consumer, props: Partial<LoadBalancerProps>) =>
  new LoadBalancer(c.stack, 'load-balancer', {
    provider: c.provider,
    name: 'orders',
    vpcId: 'vpc-1',
    subnetIds: ['subnet-a', 'subnet-b'],
    securityGroupId: 'sg-1',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/1',
    targetPort: 8080,
    ...props,
  });
const routing = (c: Consumer, props: Partial<LatencyRoutingProps>) =>
  new LatencyRouting(c.stack, 'routing', {
    provider: c.provider,
    zoneId: 'Z1',
    domainName: 'api.example.com',
    regions: [{ region: 'us-east-1', loadBalancerDnsName: 'lb.example.com', loadBalancerZoneId: 'Z2' }],
    healthCheckPath: '/health',
    healthCheckIntervalSeconds: 30,
    healthCheckFailureThreshold: 3,
    ...props,
  });
const thresholds: AlarmThresholds = {
  loadBalancer5xx: 10,
  target5xx: 10,
  cpuPercent: 80,
  memoryPercent: 80,
  tableReplicationLatencyMs: 1000,
  databaseReplicationLagMs: 1000,
  periodSeconds: 60,
  evaluationPeriods: 3,
};
const alarms = (c: Consumer, changed: Partial<AlarmThresholds>) =>
  new RegionalAlarms(c.stack, 'alarms', {
    topic: new AlertTopic(c.stack, 'topic', { provider: c.provider, name: 'orders-alerts' }),
    loadBalancerArnSuffix: 'app/lb/1',
    targetGroupArnSuffix: 'tg/1',
    clusterName: 'orders',
    serviceName: 'orders',
    tableName: 'Orders',
    otherRegions: ['eu-west-1'],
    databaseClusterIdentifier: 'orders-us-east-1',
    databaseIsSecondary: false,
    provider: c.provider,
    serviceLogGroupName: '/ecs/orders',
    writerUnreachableLog: { event: 'writer-unreachable' },
    writerUnreachableMetric: { namespace: 'Orders', metricName: 'WriterUnreachable' },
    thresholds: { ...thresholds, ...changed },
  });

/** A prop with a rule: how to build its construct with a value, and values synth accepts and refuses. */
interface RuleCase {
  readonly prop: string;
  readonly type: VariableType;
  readonly build: (c: Consumer, value: Value) => unknown;
  readonly good: readonly Value[];
  readonly bad: readonly Value[];
}

const RULES: readonly RuleCase[] = [
  {
    prop: 'cidr',
    type: 'string',
    build: (c, cidr) => network(c, { cidr: cidr as string }),
    good: ['10.0.0.0/16', '10.1.0.0/19', '172.16.32.0/19'],
    // A /20 gives /28 tier subnets, too small for a load balancer.
    bad: ['10.0.0.1/16', '10.0.0.0/8', '10.0.0.0/20', '10.0.0.0/24', 'ten.0.0.0/16'],
  },
  {
    prop: 'pointInTimeRecoveryDays',
    type: 'number',
    build: (c, days) => table(c, { pointInTimeRecoveryDays: days as number }),
    good: [1, 35],
    bad: [0, 36, 7.5],
  },
  {
    prop: 'provisioned.read',
    type: 'number',
    build: (c, min) => table(c, { provisioned: { read: { min: min as number, max: 10 }, write: { min: 1, max: 10 } } }),
    good: [1, 10],
    bad: [0, 11, 1.5],
  },
  {
    prop: 'engineVersion',
    type: 'string',
    build: (c, version) => database(c, { engineVersion: version as string }),
    good: ['8.0.mysql_aurora.3.10.0'],
    bad: ['8.0.mysql_aurora.3.04', '5.7.mysql_aurora.2.11.2'],
  },
  {
    prop: 'globalClusterIdentifier',
    type: 'string',
    build: (c, identifier) => database(c, { globalClusterIdentifier: identifier as string }),
    // The backup vault, `<identifier>-<6 hex digits>`, allows 50 characters: 43 for the identifier.
    good: ['orders', 'orders-2', 'o'.repeat(43)],
    bad: ['Orders', 'orders--2', 'orders-', '2orders', 'o'.repeat(44)],
  },
  {
    prop: 'creationId',
    type: 'string',
    build: (c, creationId) => database(c, { creationId: creationId as string }),
    good: ['a1b2c3'],
    bad: ['A1B2C3', 'a1b2c', 'a1b2c3d'],
  },
  {
    prop: 'performanceInsightsRetentionDays',
    type: 'number',
    build: (c, days) => database(c, { performanceInsightsRetentionDays: days as number }),
    good: [7, 31, 713, 731],
    bad: [8, 62.5, 744, 762],
  },
  {
    prop: 'monitoringIntervalSeconds',
    type: 'number',
    build: (c, seconds) => database(c, { monitoringIntervalSeconds: seconds as number }),
    good: [1, 60],
    bad: [2],
  },
  {
    prop: 'regions[us-east-1].subnetIds',
    type: 'list(string)',
    build: (c, subnetIds) =>
      database(c, {
        regions: [databaseRegion(c, 'us-east-1', subnetIds as string[]), databaseRegion(c, 'eu-west-1')],
      }),
    good: [['subnet-a', 'subnet-b']],
    bad: [['subnet-a']],
  },
  {
    prop: 'passwordLength',
    type: 'number',
    build: (c, passwordLength) =>
      new DatabaseSecret(c.stack, 'secret', {
        name: 'orders/master',
        primaryRegion: 'us-east-1',
        regions: [c.at('us-east-1'), c.at('eu-west-1')],
        username: 'admin',
        randomProvider: new RandomProvider(c.stack, 'random'),
        keyAlias: 'orders/secret',
        passwordLength: passwordLength as number,
      }),
    good: [16, 41],
    bad: [15, 42],
  },
  {
    prop: 'deletionWindowInDays',
    type: 'number',
    build: (c, days) =>
      new EncryptionKey(c.stack, 'key', {
        provider: c.provider,
        alias: 'orders/key',
        description: 'test',
        deletionWindowInDays: days as number,
      }),
    good: [7, 30],
    bad: [6, 31],
  },
  {
    prop: 'recoveryWindowInDays',
    type: 'number',
    build: (c, days) =>
      new GeneratedSecret(c.stack, 'token', {
        provider: c.provider,
        randomProvider: new RandomProvider(c.stack, 'random'),
        name: 'orders/token',
        description: 'test',
        recoveryWindowInDays: days as number,
      }),
    good: [0, 7, 30],
    bad: [3, 31],
  },
  {
    prop: 'name',
    type: 'string',
    build: (c, name) => new HostedZone(c.stack, 'zone', { provider: c.provider, name: name as string, create: true }),
    good: ['example.com', 'api.example.com'],
    bad: ['Example.com', 'localhost', 'api..example.com'],
  },
  {
    prop: 'name',
    type: 'string',
    build: (c, name) => service(c, { name: name as string }),
    // The execution role `<name>-execution` must fit IAM's 64 characters.
    good: ['orders', 'Orders_1', 'o'.repeat(54)],
    bad: ['-orders', 'orders service', 'o'.repeat(55)],
  },
  {
    prop: 'stopTimeoutSeconds',
    type: 'number',
    build: (c, seconds) => service(c, { stopTimeoutSeconds: seconds as number }),
    good: [16, 120],
    bad: [15, 121, 1],
  },
  {
    prop: 'user',
    type: 'string',
    build: (c, user) => service(c, { user: user as string }),
    good: ['1000', 'node', '1000:0'],
    bad: ['0', 'root', '0:0'],
  },
  {
    prop: 'scaling.maxTasks',
    type: 'number',
    build: (c, maxTasks) => service(c, { scaling: { minTasks: 2, maxTasks: maxTasks as number } }),
    good: [2, 10],
    bad: [1, 2.5],
  },
  {
    prop: 'name',
    type: 'string',
    build: (c, name) => loadBalancer(c, { name: name as string }),
    good: ['orders', 'orders-production-us-east-1'],
    // The access-log bucket takes the name, and S3 bucket names are lower case.
    bad: ['internal-orders', '-orders', 'orders-', 'o'.repeat(30), 'Orders'],
  },
  {
    prop: 'subnetIds',
    type: 'list(string)',
    build: (c, subnetIds) => loadBalancer(c, { subnetIds: subnetIds as string[] }),
    good: [['subnet-a', 'subnet-b']],
    bad: [['subnet-a']],
  },
  {
    prop: 'healthCheckIntervalSeconds',
    type: 'number',
    build: (c, seconds) => routing(c, { healthCheckIntervalSeconds: seconds as number }),
    good: [10, 30],
    bad: [15],
  },
  {
    prop: 'healthCheckPath',
    type: 'string',
    build: (c, path) => routing(c, { healthCheckPath: path as string }),
    good: ['/health'],
    bad: ['health'],
  },
  {
    prop: 'emailEndpoints[0]',
    type: 'string',
    build: (c, email) =>
      new AlertTopic(c.stack, 'topic', { provider: c.provider, name: 'alerts', emailEndpoints: [email as string] }),
    good: ['ops@example.com'],
    bad: ['ops', 'ops@example'],
  },
  {
    prop: 'thresholds.cpuPercent',
    type: 'number',
    build: (c, cpuPercent) => alarms(c, { cpuPercent: cpuPercent as number }),
    // Every alarm fires above its threshold, so 0 is a threshold too.
    good: [80, 0.5, 0],
    bad: [-1],
  },
  {
    prop: 'thresholds.periodSeconds',
    type: 'number',
    build: (c, periodSeconds) => alarms(c, { periodSeconds: periodSeconds as number }),
    good: [10, 20, 30, 60, 300],
    bad: [0, 45, 90, -60, 60.5],
  },
  {
    prop: 'thresholds.evaluationPeriods',
    type: 'number',
    build: (c, evaluationPeriods) => alarms(c, { evaluationPeriods: evaluationPeriods as number }),
    good: [1, 3],
    bad: [0, 1.5],
  },
  {
    prop: 'name',
    type: 'string',
    build: (c, name) =>
      new ServiceDashboard(c.stack, 'dashboard', {
        provider: c.provider,
        name: name as string,
        regions: [
          {
            region: 'us-east-1',
            loadBalancerArnSuffix: 'app/lb/1',
            targetGroupArnSuffix: 'tg/1',
            clusterName: 'orders',
            serviceName: 'orders',
            tableName: 'Orders',
            databaseClusterIdentifier: 'orders-us-east-1',
            healthCheckId: 'hc-1',
            otherRegions: ['eu-west-1'],
            writerUnreachableMetric: { namespace: 'Orders', metricName: 'WriterUnreachable' },
          },
        ],
      }),
    good: ['orders', 'orders_production-1'],
    bad: ['orders dashboard', ''],
  },
  {
    prop: 'repositoryName',
    type: 'string',
    build: (c, repositoryName) =>
      new ContainerRegistry(c.stack, 'registry', {
        primaryRegion: 'us-east-1',
        regions: [c.at('us-east-1'), c.at('eu-west-1')],
        repositoryName: repositoryName as string,
      }),
    good: ['orders/service', 'orders', 'ab'],
    bad: ['Orders', 'orders//service', 'orders/', 'o'],
  },
];

/** The preconditions whose messages name `prop`, in the synthesized stack. */
function preconditionsOf(stack: TerraformStack, prop: string): Array<{ condition: string; error_message: string }> {
  const json = JSON.parse(Testing.synth(stack)) as {
    resource?: Record<
      string,
      Record<string, { lifecycle?: { precondition?: Array<{ condition: string; error_message: string }> } }>
    >;
  };
  const found = Object.values(json.resource ?? {})
    .flatMap((byName) => Object.values(byName))
    .flatMap((resource) => resource.lifecycle?.precondition ?? [])
    .filter((precondition) => precondition.error_message.includes(`: ${prop} must be `));
  expect(found, `preconditions for ${prop}`).not.toHaveLength(0);
  return found;
}

/** An HCL literal of `value`: JSON's strings, numbers and lists are HCL's once `${` and `%{` are escaped. */
const hcl = (value: Value) => JSON.stringify(value).replace(/([$%])\{/g, '$1$1{');

/** Evaluates Terraform expressions in one console session; returns their values in order. */
function evaluateAll(cli: string, expressions: readonly string[]): unknown[] {
  const result = spawnSync(cli, ['console'], {
    cwd: mkdtempSync(join(tmpdir(), 'tf-console-')),
    input: `jsonencode([${expressions.join(', ')}])\n`,
    encoding: 'utf8',
    env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
  });
  if (result.status !== 0 || result.stdout.trim() === '') throw new Error(`${cli} console failed: ${result.stderr}`);
  return JSON.parse(JSON.parse(result.stdout.trim()) as string) as unknown[];
}

describe('a prop with a rule', () => {
  it.each(RULES.map((rule) => [`${rule.prop} (${rule.bad.map(hcl).join(', ')})`, rule] as const))(
    'known bad values fail synth naming the prop, good ones pass: %s',
    (_name, rule) => {
      for (const value of rule.bad) {
        expect(() => rule.build(consumerStack(), value), hcl(value)).toThrow(`  - ${prop(rule)}`);
      }
      for (const value of rule.good) expect(() => rule.build(consumerStack(), value), hcl(value)).not.toThrow();
    },
  );

  it.each(RULES.map((rule) => [rule.prop, rule] as const))(
    'as a token synthesizes into a precondition naming the prop: %s',
    (_name, rule) => {
      const c = consumerStack();
      rule.build(c, token(c.stack, rule.type));
      for (const precondition of preconditionsOf(c.stack, rule.prop)) {
        expect(precondition.condition).toMatch(/^\$\{.*var\.v.*\}$/);
        expect(precondition.error_message).toMatch(/^[A-Z].*\.$/);
      }
    },
  );

  const cli = terraformCliOrSkip();
  it.skipIf(!cli)('the precondition refuses at plan exactly the values synth refuses (terraform console)', () => {
    const expressions: string[] = [];
    const expected: Array<{ rule: string; value: Value; valid: boolean }> = [];
    for (const rule of RULES) {
      const c = consumerStack();
      rule.build(c, token(c.stack, rule.type));
      // Every precondition naming the prop must hold (a range and a relation, for one).
      const condition = preconditionsOf(c.stack, rule.prop)
        .map((precondition) => `(${precondition.condition.slice(2, -1)})`)
        .join(' && ');
      for (const [values, valid] of [
        [rule.good, true],
        [rule.bad, false],
      ] as const) {
        for (const value of values) {
          expressions.push(condition.replace(/\bvar\.v\b/g, hcl(value)));
          expected.push({ rule: rule.prop, value, valid });
        }
      }
    }
    const results = evaluateAll(cli!, expressions);
    expect(results.map((valid, index) => ({ ...expected[index]!, valid }))).toEqual(expected);
  });
});

describe('a pattern rule over a token', () => {
  // Backslashes, a double quote and `%{` each mean something else in the HCL string that cdktf
  // writes the pattern into; the precondition must still judge as the pattern does in JavaScript.
  const pattern = /^a\.b\\"%\{c\d$/;
  const accepted = ['a.b\\"%{c7'];
  const refused = ['aXb\\"%{c7', 'a.b\\"%{cd', 'a.b"%{c7'];
  const rule = matching(pattern, 'the test pattern', () => 'does not match');

  it('JavaScript accepts and refuses the chosen values', () => {
    expect(accepted.map((value) => pattern.test(value))).toEqual(accepted.map(() => true));
    expect(refused.map((value) => pattern.test(value))).toEqual(refused.map(() => false));
  });

  const cli = terraformCliOrSkip();
  it.skipIf(!cli)('tofu evaluates the synthesized precondition to the same answers', () => {
    const c = consumerStack();
    const owner = new Construct(c.stack, 'owner');
    new PropChecks(owner, 'Owner consumer/owner')
      .check('value', token(c.stack, 'string') as string, rule)
      .checkAtPlanOn(new SnsTopic(owner, 'topic', { provider: c.provider, name: 'topic' }));
    const [precondition] = preconditionsOf(c.stack, 'value');
    const condition = precondition!.condition.slice(2, -1);
    const values = [...accepted, ...refused];
    const results = evaluateAll(
      cli!,
      values.map((value) => condition.replace(/\bvar\.v\b/g, hcl(value))),
    );
    expect(results).toEqual(values.map((value) => pattern.test(value)));
  });
});

/** The prop as the synth message names it. */
function prop(rule: RuleCase): string {
  const perRegion = /^regions\[(.+)\]\.(.+)$/.exec(rule.prop);
  return perRegion ? `${perRegion[1]}: ${perRegion[2]}` : `${rule.prop}:`;
}

describe('a prop that decides what a construct creates refuses a token, naming it', () => {
  const cases: ReadonlyArray<readonly [string, (c: Consumer) => unknown]> = [
    ['availabilityZones', (c) => network(c, { availabilityZones: token(c.stack, 'list(string)') as string[] })],
    ['natGateways', (c) => network(c, { natGateways: token(c.stack, 'string') as 'single' })],
    ['primaryRegion', (c) => table(c, { primaryRegion: token(c.stack, 'string') as string })],
    [
      'regions[us-east-1].instanceCount',
      (c) =>
        database(c, {
          regions: [
            { ...databaseRegion(c, 'us-east-1'), instanceCount: token(c.stack, 'number') as number },
            databaseRegion(c, 'eu-west-1'),
          ],
        }),
    ],
    [
      'domainName',
      (c) =>
        new DnsValidatedCertificates(c.stack, 'certificates', {
          zoneId: 'Z1',
          dnsProvider: c.provider,
          domainName: token(c.stack, 'string') as string,
          regions: [c.at('us-east-1')],
        }),
    ],
    [
      'networks[eu-west-1].privateRouteTableIds',
      (c) => {
        const peered = (region: string, routeTables: string[]) => ({
          ...c.at(region),
          vpcId: `vpc-${region}`,
          vpcCidr: region === 'us-east-1' ? '10.0.0.0/16' : '10.1.0.0/16',
          privateRouteTableIds: routeTables,
          databaseRouteTableIds: ['rtb-d'],
          serviceSecurityGroupId: 'sg-s',
          databaseSecurityGroupId: 'sg-d',
          privateSubnetCidrs: ['10.0.0.0/24'],
          databaseSubnetCidrs: ['10.0.200.0/24'],
        });
        return new VpcPeeringMesh(c.stack, 'peering', {
          name: 'main',
          networks: [peered('us-east-1', ['rtb-p']), peered('eu-west-1', token(c.stack, 'list(string)') as string[])],
        });
      },
    ],
  ];
  it.each(cases)('%s', (name, build) => {
    expect(() => build(consumerStack())).toThrow(`  - ${name}: must be known at synth, not a token`);
  });
});

describe('values built from token props stay Terraform expressions', () => {
  it('a token VPC block gives subnet blocks from cidrsubnet()', () => {
    const c = consumerStack();
    network(c, { cidr: token(c.stack, 'string') as string });
    const json = JSON.parse(Testing.synth(c.stack)) as {
      resource: { aws_subnet: Record<string, { cidr_block: string; tags: { tier: string } }> };
    };
    const privateBlocks = Object.values(json.resource.aws_subnet)
      .filter((subnet) => subnet.tags.tier === 'private')
      .map((subnet) => subnet.cidr_block);
    expect(privateBlocks).toEqual(['${cidrsubnet(var.v, 8, 0)}', '${cidrsubnet(var.v, 8, 1)}']);
  });

  it('a token container port is a number in the container definitions', () => {
    const c = consumerStack();
    service(c, { containerPort: token(c.stack, 'number') as number });
    const json = JSON.parse(Testing.synth(c.stack)) as {
      resource: { aws_ecs_task_definition: Record<string, { container_definitions: string }> };
    };
    const [definitions] = Object.values(json.resource.aws_ecs_task_definition);
    expect(definitions!.container_definitions).toContain('"containerPort":${var.v},"hostPort":${var.v}');
  });

  it("a token load balancer name gives the target group's name prefix from substr()", () => {
    const c = consumerStack();
    loadBalancer(c, { name: token(c.stack, 'string') as string });
    const json = JSON.parse(Testing.synth(c.stack)) as {
      resource: { aws_lb_target_group: Record<string, { name_prefix: string }> };
    };
    expect(Object.values(json.resource.aws_lb_target_group).map((group) => group.name_prefix)).toEqual([
      '${substr(var.v, 0, 6)}',
    ]);
  });

  it('a whole stack of token props synthesizes in a real app', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'module-tokens-')) });
    const stack = new TerraformStack(app, 'consumer');
    const provider = new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const variable = (id: string, type: VariableType) => new TerraformVariable(stack, id, { type });
    new LoadBalancer(stack, 'load-balancer', {
      provider,
      name: variable('name', 'string').stringValue,
      vpcId: variable('vpc_id', 'string').stringValue,
      subnetIds: variable('subnet_ids', 'list(string)').listValue,
      securityGroupId: variable('security_group_id', 'string').stringValue,
      certificateArn: variable('certificate_arn', 'string').stringValue,
      targetPort: variable('target_port', 'number').numberValue,
      idleTimeoutSeconds: variable('idle_timeout', 'number').numberValue,
      deregistrationDelaySeconds: variable('deregistration_delay', 'number').numberValue,
      healthCheckPath: variable('health_check_path', 'string').stringValue,
    });
    expect(() => app.synth()).not.toThrow();
  });
});

it('synth fails when a construct never places the checks of its token props (a bug of the construct)', () => {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'module-tokens-')) });
  const stack = new TerraformStack(app, 'consumer');
  const forgetful = new Construct(stack, 'forgetful');
  new PropChecks(forgetful, 'Forgetful consumer/forgetful').check(
    'days',
    token(stack, 'number') as number,
    wholeNumber(1, 7),
  );
  expect(() => app.synth()).toThrow(
    'Forgetful consumer/forgetful: the checks of token props were never attached to a resource',
  );
});

// The Fargate service's container environment and secrets from values known only at plan or
// apply: token values and secret ARNs, and a whole token environment map (a Terraform map of
// strings, as the generated fargate-service module passes). The container definitions Terraform
// renders are evaluated with the real tofu console where one is installed.
interface Synthesized {
  resource: {
    aws_ecs_task_definition: Record<string, { container_definitions: string }>;
    aws_ecs_service: Record<
      string,
      { lifecycle?: { precondition?: Array<{ condition: string; error_message: string }> } }
    >;
  };
  data: { aws_iam_policy_document: Record<string, { statement?: Array<{ sid?: string; resources?: string[] }> }> };
}

/** The Fargate service (test defaults, then `props`) synthesized in a consumer stack. */
function synthesizeService(props: (stack: TerraformStack) => Partial<FargateServiceProps>): Synthesized {
  const c = consumerStack();
  service(c, props(c.stack));
  return JSON.parse(Testing.synth(c.stack)) as Synthesized;
}

const only = <T>(values: Record<string, T>): T => {
  const all = Object.values(values);
  expect(all).toHaveLength(1);
  return all[0]!;
};

const stringVariable = (stack: TerraformStack, id: string) => new TerraformVariable(stack, id, { type: 'string' });
const mapVariable = (stack: TerraformStack) =>
  new TerraformVariable(stack, 'v', { type: 'map(string)' }).value as Record<string, string>;

/** Evaluates one Terraform expression in a tofu console session and returns its JSON value. */
const evaluate = (cli: string, expression: string): unknown => evaluateAll(cli, [expression])[0];

/** The container definitions Terraform renders with `var.v` = `value` (an HCL expression), decoded. */
function renderedDefinitions(cli: string, template: string, value: string): unknown {
  // The template as an HCL string: JSON's quoting, with its interpolations left to Terraform; the
  // log group's name, a resource attribute the console cannot know, is a literal.
  const text = JSON.stringify(template.replace(/\$\{aws_[^}]+\}/g, 'logs'));
  return evaluate(cli, `jsondecode(${text.replace(/\bvar\.v\b/g, value)})`);
}

const fargateCli = terraformCliOrSkip();

describe('token environment values and secret ARNs', () => {
  const synthesized = synthesizeService((stack) => ({
    environment: { TABLE: stringVariable(stack, 'table').stringValue, MODE: 'strong' },
    secrets: [
      {
        name: 'DB',
        secretArn: stringVariable(stack, 'secret_arn').stringValue,
        keyArn: stringVariable(stack, 'key_arn').stringValue,
      },
    ],
  }));

  it('keep the container definitions JSON a policy can read, with the values as references', () => {
    const definitions = JSON.parse(only(synthesized.resource.aws_ecs_task_definition).container_definitions) as Array<{
      environment: unknown;
      secrets: unknown;
    }>;
    const reference = expect.stringMatching(/^\$\{local\.[^}]+\}$/) as unknown;
    expect(definitions[0]!.environment).toEqual([
      { name: 'MODE', value: 'strong' },
      { name: 'TABLE', value: reference },
    ]);
    expect(definitions[0]!.secrets).toEqual([{ name: 'DB', valueFrom: reference }]);
  });

  it('give the execution role the secret and its key by reference', () => {
    const statements = Object.values(synthesized.data.aws_iam_policy_document).flatMap((doc) => doc.statement ?? []);
    expect(statements.find((statement) => statement.sid === 'ReadSecrets')?.resources).toEqual(['${var.secret_arn}']);
    expect(statements.find((statement) => statement.sid === 'DecryptSecrets')?.resources).toEqual(['${var.key_arn}']);
  });
});

describe('a token environment map', () => {
  const synthesized = synthesizeService((stack) => ({
    environment: mapVariable(stack),
    secrets: [{ name: 'DB', secretArn: 'arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf', keyArn: 'k' }],
  }));
  const template = only(synthesized.resource.aws_ecs_task_definition).container_definitions;
  const [precondition] = (only(synthesized.resource.aws_ecs_service).lifecycle?.precondition ?? []).filter((check) =>
    check.error_message.includes(': environment must be '),
  );

  it('is built by Terraform with jsonencode, in the container definitions', () => {
    expect(template).toContain('"environment":${jsonencode([ for key, val in var.v: { name = key, value = val }])}');
    expect(precondition?.error_message).toBe(
      'FargateService consumer/service: environment must be a map whose names are upper-case variable names that no secret also sets, with no empty value.',
    );
  });

  it.skipIf(!fargateCli)(
    'renders valid JSON in name order for any value, quotes and backslashes included (tofu)',
    () => {
      const definitions = renderedDefinitions(
        fargateCli!,
        template,
        '{ "TABLE" = "orders", "A_JSON" = "{\\"a\\": \\"\\\\\\\\\\"}" }',
      );
      expect((definitions as Array<{ environment: unknown }>)[0]!.environment).toEqual([
        { name: 'A_JSON', value: '{"a": "\\\\"}' },
        { name: 'TABLE', value: 'orders' },
      ]);
    },
  );

  it.skipIf(!fargateCli)(
    'is refused at plan when a name is not an upper-case variable name or is also a secret, or a value is empty (tofu)',
    () => {
      const condition = precondition!.condition.slice(2, -1);
      const holds = (map: string) => evaluate(fargateCli!, condition.replace(/\bvar\.v\b/g, map));
      expect([holds('{ TABLE = "x", _MODE_2 = "y" }'), holds('{}')]).toEqual([true, true]);
      expect([holds('{ table = "x" }'), holds('{ "2X" = "x" }'), holds('{ DB = "x" }')]).toEqual([false, false, false]);
      // ECS drops an empty value, and Terraform would replace the task definition on every apply.
      expect(holds('{ TABLE = "" }')).toBe(false);
    },
  );
});

it('a known environment map with an empty value fails synth, naming the variable', () => {
  expect(() => service(consumerStack(), { environment: { TABLE: 'orders', MODE: '' } })).toThrow(
    /environment: MODE is empty; ECS drops empty variables/,
  );
  expect(() => service(consumerStack(), { environment: { TABLE: 'orders' } })).not.toThrow();
});
