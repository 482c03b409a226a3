import { describe, expect, it } from 'vitest';
import { only, present, synthesizeBeforeAll } from './fixtures.js';
import { CONTAINER_NAME } from '../../modules/fargate-service/index.js';
import { TABLE_ACTIONS } from '../../service/src/contract.js';
import { regionAlias, serviceNamePrefix } from '../../config/index.js';
import { onlyResourceId, resolveReference } from './references.js';
import {
  regionalDataOutput,
  resourceAt,
  resourcesOfType,
  stackOf,
  synthesizeOverrides,
  type StackJson,
  type Synthesized,
} from './synth.js';

/** Three regions without us-east-1, another primary, and non-default service and alarm values. */
const THREE_REGIONS = {
  primaryRegion: 'us-west-2',
  regions: [{ region: 'us-west-2' }, { region: 'eu-west-1' }, { region: 'ap-southeast-2' }],
  service: { imageTag: 'v1.4.2', minTasks: 3, maxTasks: 12, scaleOnCpuPercent: 55, scaleOnRequestsPerTarget: 700 },
  alarms: { alb5xxThreshold: 25, periodSeconds: 300, evaluationPeriods: 3, cpuPercent: 75 },
};

interface Container {
  name: string;
  image: string;
  user: string;
  readonlyRootFilesystem: boolean;
  stopTimeout: number;
  environment: Array<{ name: string; value: string }>;
  secrets: Array<{ name: string; valueFrom: string }>;
  portMappings: Array<{ containerPort: number }>;
}

type Block = Record<string, unknown>;

function container(stack: StackJson): Container {
  const taskDefinition = only(resourcesOfType(stack, 'aws_ecs_task_definition'), 'task definitions');
  return only(JSON.parse(taskDefinition.container_definitions as string) as Container[], 'containers');
}

/** The data stack's own expression for one of `region`'s values in its `regions` output. */
function dataValue(deployment: Synthesized, region: string, key: string): string {
  return regionalDataOutput(deployment.stacks, region, key);
}

/** A policy document of the app stack by the construct path it was declared at. */
function policyDocument(
  stack: StackJson,
  pathEnd: string,
): { statement: Array<Block & { actions: string[]; resources: string[] }> } {
  const matches = Object.values(stack.data?.aws_iam_policy_document ?? {}).filter((body) =>
    String((body['//'] as { metadata: { path: string } }).metadata.path).endsWith(pathEnd),
  );
  return only(matches, `policy document ${pathEnd}`) as ReturnType<typeof policyDocument>;
}

function expectAppStack(deployment: Synthesized, region: string): void {
  const { config, stacks } = deployment;
  const name = `app-${region}`;
  const stack = stackOf(stacks, name);
  const resolve = (value: unknown) => resolveReference(stacks, name, String(value));
  const provider = `aws.${regionAlias(region)}`;

  const app = container(stack);
  const environment = Object.fromEntries(app.environment.map((variable) => [variable.name, variable.value]));
  expect(Object.keys(environment).sort()).toEqual([
    'AWS_REGION',
    'DB_NAME',
    'DB_PORT',
    'DB_READER_HOST',
    'DB_WRITER_HOST',
    'DYNAMO_CONSISTENCY',
    'DYNAMO_TABLE',
    'PORT',
  ]);
  expect(environment.PORT).toBe(String(config.service.containerPort));
  expect(environment.AWS_REGION).toBe(region);
  expect(environment.DYNAMO_CONSISTENCY).toBe(config.dynamodb.consistency);
  expect(environment.DB_NAME).toBe(config.aurora.databaseName);
  const regionalCluster = onlyResourceId(
    stackOf(stacks, 'data'),
    'aws_rds_cluster',
    (body) => body.provider === provider,
  );
  expect(environment.DB_PORT).toBe(String(resourceAt(stackOf(stacks, 'data'), regionalCluster).port));
  expect(resolve(environment.DB_READER_HOST)).toBe(dataValue(deployment, region, 'database_reader_endpoint'));
  expect(resolve(environment.DB_WRITER_HOST)).toBe(stackOf(stacks, 'data').output?.database_writer_endpoint?.value);
  expect(resolve(environment.DYNAMO_TABLE)).toBe(stackOf(stacks, 'data').output?.table_name?.value);

  const secrets = Object.fromEntries(app.secrets.map((secret) => [secret.name, secret.valueFrom]));
  expect(Object.keys(secrets).sort()).toEqual(['DB_CREDENTIALS', 'DRILL_TOKEN']);
  expect(resolve(secrets.DB_CREDENTIALS)).toBe(dataValue(deployment, region, 'database_secret_arn'));
  const drillSecret = onlyResourceId(stack, 'aws_secretsmanager_secret', () => true);
  expect(resolve(secrets.DRILL_TOKEN)).toBe(`\${${drillSecret}.arn}`);
  expect(resourceAt(stack, drillSecret).kms_key_id).toMatch(/^\$\{aws_kms_key\./);

  const repository = onlyResourceId(
    stackOf(stacks, 'registry'),
    'aws_ecr_repository',
    (body) => body.provider === provider,
  );
  expect(resolve(app.image)).toBe(`\${${repository}.repository_url}:${config.service.imageTag}`);
  expect(app.name).toBe(CONTAINER_NAME);
  expect(app.portMappings.map((mapping) => mapping.containerPort)).toEqual([config.service.containerPort]);
  expect(app.readonlyRootFilesystem).toBe(true);
  expect(['0', 'root']).not.toContain(app.user.split(':')[0]);

  // Task role: the service's item operations on this region's replica and its indexes, nothing else.
  const taskPolicy = policyDocument(stack, 'service/task-role-permissions');
  expect(taskPolicy.statement).toHaveLength(2);
  const tableStatement = present(taskPolicy.statement[0], 'the table statement');
  const keyStatement = present(taskPolicy.statement[1], 'the key statement');
  expect(tableStatement.actions).toEqual([...TABLE_ACTIONS]);
  const tableArn = dataValue(deployment, region, 'table_arn');
  expect(tableStatement.resources.map(resolve)).toEqual([tableArn, `${tableArn}/index/*`]);
  expect(keyStatement.resources.map(resolve)).toEqual([dataValue(deployment, region, 'table_key_arn')]);
  expect(keyStatement.condition).toEqual([
    { test: 'StringEquals', variable: 'kms:ViaService', values: [`dynamodb.${region}.amazonaws.com`] },
  ]);
  for (const other of config.regions.filter((entry) => entry.region !== region)) {
    expect(tableStatement.resources.map(resolve)).not.toContain(dataValue(deployment, other.region, 'table_arn'));
  }

  // Execution role: reads exactly the two secrets the container gets, through its region's Secrets Manager.
  const executionPolicy = policyDocument(stack, 'service/execution-role-permissions');
  const readSecrets = only(
    executionPolicy.statement.filter((statement) => statement.sid === 'ReadSecrets'),
    'ReadSecrets',
  );
  expect(readSecrets.resources.map(resolve).sort()).toEqual(
    [secrets.DB_CREDENTIALS, secrets.DRILL_TOKEN].map(resolve).sort(),
  );
  const decrypt = only(
    executionPolicy.statement.filter((statement) => statement.sid === 'DecryptSecrets'),
    'DecryptSecrets',
  );
  expect(decrypt.resources.map(resolve)).toContain(dataValue(deployment, region, 'database_secret_key_arn'));
  expect(decrypt.condition).toEqual([
    { test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.${region}.amazonaws.com`] },
  ]);
  const roles = resourcesOfType(stack, 'aws_iam_role');
  expect(new Set(roles.map((role) => role.name)).size).toBe(2);
}

function expectLoadBalancer(deployment: Synthesized, region: string): void {
  const { config, stacks } = deployment;
  const name = `app-${region}`;
  const stack = stackOf(stacks, name);
  const resolve = (value: unknown) => resolveReference(stacks, name, String(value));

  const loadBalancer = only(resourcesOfType(stack, 'aws_lb'), 'load balancers');
  expect(loadBalancer).toMatchObject({
    internal: false,
    drop_invalid_header_fields: true,
    enable_deletion_protection: config.service.deletionProtection,
    access_logs: { enabled: true },
  });
  // Below the service's 72 s keep-alive, so the load balancer closes idle connections first.
  expect(loadBalancer.idle_timeout as number).toBeLessThan(72);
  expect(resolve(loadBalancer.subnets)).toMatch(/^\$\{aws_subnet\.network_public-/);

  const listeners = resourcesOfType(stack, 'aws_lb_listener');
  expect(listeners.map((listener) => listener.port).sort()).toEqual([443, 80]);
  const https = only(
    listeners.filter((listener) => listener.port === 443),
    'HTTPS listener',
  );
  expect(https.protocol).toBe('HTTPS');
  expect(https.ssl_policy).toMatch(/^ELBSecurityPolicy-TLS13-1-2-/);
  const validation = onlyResourceId(
    stackOf(stacks, 'certificates'),
    'aws_acm_certificate_validation',
    (body) => body.provider === `aws.${regionAlias(region)}`,
  );
  expect(resolve(https.certificate_arn)).toBe(`\${${validation}.certificate_arn}`);
  const http = only(
    listeners.filter((listener) => listener.port === 80),
    'HTTP listener',
  );
  expect(http.default_action).toEqual([
    { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } },
  ]);

  const targetGroup = only(resourcesOfType(stack, 'aws_lb_target_group'), 'target groups');
  expect(targetGroup).toMatchObject({
    target_type: 'ip',
    port: config.service.containerPort,
    health_check: { path: '/health/live', matcher: '200' },
  });
  const app = container(stack);
  // stopTimeout > deregistration delay: a stopping task outlives the requests still routed to it.
  expect(app.stopTimeout).toBeGreaterThan(Number(targetGroup.deregistration_delay));
  expect(only(resourcesOfType(stack, 'aws_wafv2_web_acl_association'), 'WAF association').resource_arn).toMatch(
    /^\$\{aws_lb\./,
  );
  expectWebAclRules(stack);
}

interface WebAclRule {
  override_action: Block;
  statement: { managed_rule_group_statement: { vendor_name: string; name: string; rule_action_override?: Block[] } };
}

/**
 * The web ACL's rules are `rule` blocks (which scanners read, unlike `rule_json`) of AWS managed
 * groups, each enforcing its group's actions; only HostingProviderIPList, which matches API
 * clients that run in cloud providers, is overridden to count.
 */
function expectWebAclRules(stack: StackJson): void {
  const acl = only(resourcesOfType(stack, 'aws_wafv2_web_acl'), 'web ACLs');
  expect(acl.rule_json).toBeUndefined();
  const rules = acl.rule as WebAclRule[];
  const groups = rules.map((rule) => rule.statement.managed_rule_group_statement);
  expect(groups.map((group) => group.name)).toEqual(
    expect.arrayContaining([
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesAnonymousIpList',
      'AWSManagedRulesCommonRuleSet',
    ]),
  );
  for (const group of groups) expect(group.vendor_name).toBe('AWS');
  for (const rule of rules) expect(rule.override_action).toEqual({ none: {} });
  const overrides = groups.flatMap((group) =>
    (group.rule_action_override ?? []).map((override) => ({ group: group.name, ...override })),
  );
  expect(overrides).toEqual([
    { group: 'AWSManagedRulesAnonymousIpList', name: 'HostingProviderIPList', action_to_use: { count: {} } },
  ]);
}

function expectService(deployment: Synthesized, region: string): void {
  const { config, stacks } = deployment;
  const name = `app-${region}`;
  const stack = stackOf(stacks, name);
  const resolve = (value: unknown) => resolveReference(stacks, name, String(value));
  const service = only(resourcesOfType(stack, 'aws_ecs_service'), 'services');
  expect(service).toMatchObject({
    launch_type: 'FARGATE',
    desired_count: config.service.minTasks,
    deployment_circuit_breaker: { enable: true, rollback: true },
    network_configuration: { assign_public_ip: false },
  });
  expect(resolve((service.network_configuration as Block).subnets)).toMatch(/^\$\{aws_subnet\.network_private-/);
  expect(resolve((service.network_configuration as Block).security_groups)).toContain(
    'aws_security_group.network_service_',
  );
  expect(only(resourcesOfType(stack, 'aws_ecs_cluster'), 'clusters').setting).toEqual([
    { name: 'containerInsights', value: 'enabled' },
  ]);

  const scalable = resourcesOfType(stack, 'aws_appautoscaling_target');
  const policies = resourcesOfType(stack, 'aws_appautoscaling_policy');
  if (config.service.autoScaling) {
    expect(service.lifecycle).toEqual({ ignore_changes: ['desired_count'] });
    expect(only(scalable, 'scalable targets')).toMatchObject({
      min_capacity: config.service.minTasks,
      max_capacity: config.service.maxTasks,
    });
    const targets = Object.fromEntries(
      policies.map((policy): [string, unknown] => {
        const tracking = policy.target_tracking_scaling_policy_configuration as Block;
        const metric = (tracking.predefined_metric_specification as { predefined_metric_type: string })
          .predefined_metric_type;
        return [metric, tracking.target_value];
      }),
    );
    expect(targets).toEqual({
      ECSServiceAverageCPUUtilization: config.service.scaleOnCpuPercent,
      ALBRequestCountPerTarget: config.service.scaleOnRequestsPerTarget,
    });
  } else {
    expect(service.lifecycle).toBeUndefined();
    expect(scalable).toHaveLength(0);
    expect(policies).toHaveLength(0);
  }
}

function expectAlarms(deployment: Synthesized, region: string): void {
  const { config, stacks } = deployment;
  const stack = stackOf(stacks, `app-${region}`);
  const prefix = `${serviceNamePrefix(config)}-${region}-alerts`;
  const topic = only(resourcesOfType(stack, 'aws_sns_topic'), 'alert topics');
  expect(topic.name).toBe(prefix);
  expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
  const topicArn = `\${aws_sns_topic.${topic.id}.arn}`;
  const alarms = new Map(
    resourcesOfType(stack, 'aws_cloudwatch_metric_alarm').map((alarm) => [
      String(alarm.alarm_name).slice(prefix.length + 1),
      alarm,
    ]),
  );
  const others = config.regions.map((entry) => entry.region).filter((other) => other !== region);
  const secondary = region !== config.primaryRegion;
  expect([...alarms.keys()].sort()).toEqual(
    [
      'alb-5xx',
      // Only secondaries publish AuroraGlobalDBReplicationLag.
      ...(secondary ? ['database-replication-lag'] : []),
      'writer-unreachable',
      'service-cpu',
      'service-memory',
      'table-throttles',
      'target-5xx',
      'unhealthy-targets',
      ...others.map((other) => `table-replication-latency-${other}`),
    ].sort(),
  );
  for (const [name, alarm] of alarms) {
    expect(alarm.provider).toBe(`aws.${regionAlias(region)}`);
    expect(alarm.alarm_actions).toEqual([topicArn]);
    // The writer alarm has its own fixed window: 2 of 3 minutes.
    if (name !== 'writer-unreachable') expect(alarm.evaluation_periods).toBe(config.alarms.evaluationPeriods);
  }
  expect(alarms.get('alb-5xx')).toMatchObject({
    namespace: 'AWS/ApplicationELB',
    metric_name: 'HTTPCode_ELB_5XX_Count',
    statistic: 'Sum',
    comparison_operator: 'GreaterThanThreshold',
    threshold: config.alarms.alb5xxThreshold,
    period: config.alarms.periodSeconds,
  });
  expect(alarms.get('target-5xx')).toMatchObject({
    metric_name: 'HTTPCode_Target_5XX_Count',
    threshold: config.alarms.target5xxThreshold,
  });
  expect(alarms.get('service-cpu')).toMatchObject({
    namespace: 'AWS/ECS',
    metric_name: 'CPUUtilization',
    threshold: config.alarms.cpuPercent,
  });
  expect(alarms.get('service-memory')).toMatchObject({
    metric_name: 'MemoryUtilization',
    threshold: config.alarms.memoryPercent,
  });
  for (const other of others) {
    expect(alarms.get(`table-replication-latency-${other}`)).toMatchObject({
      namespace: 'AWS/DynamoDB',
      metric_name: 'ReplicationLatency',
      threshold: config.alarms.dynamodbReplicationLatencyMs,
      dimensions: { ReceivingRegion: other },
    });
  }
  if (secondary) {
    const lag = present(alarms.get('database-replication-lag'), 'the replication-lag alarm');
    expect(lag).toMatchObject({ threshold: config.alarms.auroraReplicationLagMs });
    const [query] = lag.metric_query as Array<{ expression: string }>;
    // Published under (DBClusterIdentifier, SourceRegion): the query names that schema and this cluster.
    expect(resolveReference(stacks, `app-${region}`, present(query, 'the lag query').expression)).toBe(
      `SELECT MAX(AuroraGlobalDBReplicationLag) FROM SCHEMA("AWS/RDS", DBClusterIdentifier, SourceRegion) WHERE DBClusterIdentifier = '${dataValue(deployment, region, 'database_cluster_identifier')}'`,
    );
  }
}

function describeDeployment(title: string, synthesize: () => Synthesized): void {
  describe(title, () => {
    const synthesized = synthesizeBeforeAll(synthesize);
    const eachRegion = (check: (deployment: Synthesized, region: string) => void) => {
      for (const { region } of synthesized().config.regions) check(synthesized(), region);
    };

    it('has one app stack per region, with the registry and certificates stacks before them', () => {
      const names = Object.keys(synthesized().stacks);
      expect(names.filter((name) => name.startsWith('app-')).sort()).toEqual(
        synthesized()
          .config.regions.map((entry) => `app-${entry.region}`)
          .sort(),
      );
      expect(names).toEqual(expect.arrayContaining(['registry', 'certificates', 'dns']));
    });

    it("gives each region's task its own table, database endpoints, secrets and image", () => {
      eachRegion(expectAppStack);
    });

    it('puts each region behind an HTTPS load balancer that redirects HTTP', () => {
      eachRegion(expectLoadBalancer);
    });

    it("runs each region's service privately with a rolling-back circuit breaker and auto scaling", () => {
      eachRegion(expectService);
    });

    it("alarms on each region's signals through that region's encrypted topic", () => {
      eachRegion(expectAlarms);
    });

    it('replicates the image repository from the primary region to every other region', () => {
      const registry = stackOf(synthesized().stacks, 'registry');
      const repositories = resourcesOfType(registry, 'aws_ecr_repository');
      expect(repositories.map((repository) => repository.provider).sort()).toEqual(
        synthesized()
          .config.regions.map((entry) => `aws.${regionAlias(entry.region)}`)
          .sort(),
      );
      for (const repository of repositories) {
        expect(repository).toMatchObject({
          image_tag_mutability: 'IMMUTABLE',
          image_scanning_configuration: { scan_on_push: true },
          force_delete: false,
        });
      }
      const replication = only(
        resourcesOfType(registry, 'aws_ecr_replication_configuration'),
        'replication configurations',
      );
      expect(replication.provider).toBe(`aws.${regionAlias(synthesized().config.primaryRegion)}`);
      const rule = only(
        (replication.replication_configuration as { rule: Array<{ destination: Array<{ region: string }> }> }).rule,
        'rules',
      );
      expect(rule.destination.map((destination) => destination.region).sort()).toEqual(
        synthesized()
          .config.regions.map((entry) => entry.region)
          .filter((region) => region !== synthesized().config.primaryRegion)
          .sort(),
      );
    });
  });
}

describeDeployment('two regions (the seed)', () => synthesizeOverrides());
describeDeployment('three regions, us-west-2 primary, custom service and alarms', () =>
  synthesizeOverrides(THREE_REGIONS),
);
describeDeployment('auto scaling off', () => synthesizeOverrides({ service: { autoScaling: false } }));
