/**
 * The app, edge and alarm defects of issue 13, each pinned on the synthesized output: what a
 * first apply, a replacement or a destroy in a real account needs, and alarms that can fire.
 */
import { describe, expect, it } from 'vitest';
import { only, present, synthesizeBeforeAll } from './fixtures.js';
import { regionAlias, resolveConfig, serviceNamePrefix } from '../../config/index.js';
import { WRITER_UNREACHABLE_LOG } from '../../service/src/contract.js';
import { onlyResourceId, resolveReference } from './references.js';
import { resourcesOfType, stackOf, synthesizeOverrides, type StackJson } from './synth.js';

type Block = Record<string, unknown>;

const THREE_REGIONS = {
  primaryRegion: 'us-west-2',
  regions: [{ region: 'us-west-2' }, { region: 'eu-west-1' }, { region: 'ap-southeast-2' }],
};

function alarmsOf(stack: StackJson, prefix: string): Map<string, Block & { id: string }> {
  return new Map(
    resourcesOfType(stack, 'aws_cloudwatch_metric_alarm').map((alarm) => [
      String(alarm.alarm_name).slice(prefix.length + 1),
      alarm,
    ]),
  );
}

describe('app, edge and alarm defects', () => {
  const synthesized = synthesizeBeforeAll(() => synthesizeOverrides(THREE_REGIONS));
  const regions = () => synthesized().config.regions.map((entry) => entry.region);
  const app = (region: string) => stackOf(synthesized().stacks, `app-${region}`);

  it('creates the ECS service after the HTTPS listener that forwards to its target group', () => {
    for (const region of regions()) {
      const stack = app(region);
      const https = onlyResourceId(stack, 'aws_lb_listener', (listener) => listener.port === 443);
      const service = only(resourcesOfType(stack, 'aws_ecs_service'), 'services');
      expect(service.depends_on).toEqual(expect.arrayContaining([https]));
    }
  });

  it('creates the load balancer after its access-log bucket policy, which ELB checks when logging is turned on', () => {
    for (const region of regions()) {
      const stack = app(region);
      const policy = `aws_s3_bucket_policy.${only(resourcesOfType(stack, 'aws_s3_bucket_policy'), 'bucket policies').id}`;
      const loadBalancer = only(resourcesOfType(stack, 'aws_lb'), 'load balancers');
      expect(loadBalancer.depends_on).toEqual(expect.arrayContaining([policy]));
    }
  });

  it('lets destroy delete the access-log bucket: force_destroy, on a bucket whose logs expire anyway', () => {
    for (const region of regions()) {
      const stack = app(region);
      const bucket = only(resourcesOfType(stack, 'aws_s3_bucket'), 'buckets');
      expect(bucket.force_destroy).toBe(true);
      const lifecycle = only(resourcesOfType(stack, 'aws_s3_bucket_lifecycle_configuration'), 'lifecycles');
      const [rule] = lifecycle.rule as Array<{ expiration: unknown[]; noncurrent_version_expiration: unknown[] }>;
      expect(present(rule, 'the expiry rule').expiration).toHaveLength(1);
      expect(present(rule, 'the expiry rule').noncurrent_version_expiration).toHaveLength(1);
    }
  });

  it('counts a period without throttles as 0 in the throttle alarm (FILL), so one kind alone still fires', () => {
    const { config } = synthesized();
    for (const region of regions()) {
      const alarms = alarmsOf(app(region), `${serviceNamePrefix(config)}-${region}-alerts`);
      const queries = present(alarms.get('table-throttles'), 'the throttle alarm').metric_query as Array<{
        id: string;
        expression?: string;
        metric?: { metric_name: string };
      }>;
      const inputs = queries.filter((query) => query.metric !== undefined).map((query) => query.id);
      expect(inputs.sort()).toEqual(['reads', 'writes']);
      const expression = present(
        queries.find((query) => query.expression !== undefined),
        'the expression',
      ).expression;
      for (const input of inputs) expect(expression).toContain(`FILL(${input}, 0)`);
      expect(expression).not.toMatch(/(^|[^(])\b(reads|writes)\b\s*\+/);
    }
  });

  it('alarms on Aurora replication lag in the secondary regions only, under the dimensions AWS publishes', () => {
    const { config, stacks } = synthesized();
    for (const region of regions()) {
      const alarms = alarmsOf(app(region), `${serviceNamePrefix(config)}-${region}-alerts`);
      const lag = alarms.get('database-replication-lag');
      if (region === config.primaryRegion) {
        expect(lag, 'the primary publishes no AuroraGlobalDBReplicationLag').toBeUndefined();
        continue;
      }
      const [query] = present(lag, `the lag alarm of ${region}`).metric_query as Array<{ expression: string }>;
      const expression = resolveReference(stacks, `app-${region}`, present(query, 'the lag query').expression);
      expect(expression).toContain('FROM SCHEMA("AWS/RDS", DBClusterIdentifier, SourceRegion)');
      expect(expression).toContain('MAX(AuroraGlobalDBReplicationLag)');
      expect(expression).toMatch(/WHERE DBClusterIdentifier = '\$\{aws_rds_cluster\.[^}]+\.cluster_identifier\}'$/);
    }
  });

  it("lets CloudWatch use the alert topic's key, with no condition an alarm's request lacks", () => {
    const stacks = [...regions().map(app), stackOf(synthesized().stacks, 'dns')];
    for (const stack of stacks) {
      const topic = only(resourcesOfType(stack, 'aws_sns_topic'), 'topics');
      const keyId = /^\$\{aws_kms_key\.([^.]+)\.arn\}$/.exec(String(topic.kms_master_key_id))?.[1];
      const key = present(stack.resource?.aws_kms_key?.[present(keyId, 'the topic key')], 'the key');
      const policy = JSON.parse(String(key.policy)) as {
        Statement: Array<{ Principal: { Service?: string | string[] }; Action: string | string[]; Condition?: Block }>;
      };
      const forCloudWatch = only(
        policy.Statement.filter((statement) =>
          [statement.Principal.Service ?? []].flat().includes('cloudwatch.amazonaws.com'),
        ),
        'CloudWatch statements',
      );
      expect([forCloudWatch.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
      const conditionKeys = Object.values(forCloudWatch.Condition ?? {}).flatMap((test) => Object.keys(test as Block));
      for (const conditionKey of conditionKeys) expect(['aws:SourceAccount', 'aws:SourceArn']).toContain(conditionKey);
    }
  });

  it('refuses alarm periods shorter than the one minute the alarmed metrics are published at', () => {
    for (const seconds of [10, 30, 90]) {
      expect(() => resolveConfig({ alarms: { periodSeconds: seconds } }, 'test', 'the test')).toThrow(
        `alarms.periodSeconds: ${seconds} must be a multiple of 60`,
      );
    }
    for (const seconds of [60, 300]) {
      expect(resolveConfig({ alarms: { periodSeconds: seconds } }, 'test', 'the test').alarms.periodSeconds).toBe(
        seconds,
      );
    }
  });

  it('does not page on a new health check, and still reports one that stops reporting', () => {
    const dns = stackOf(synthesized().stacks, 'dns');
    const topic = only(resourcesOfType(dns, 'aws_sns_topic'), 'topics');
    const alarms = resourcesOfType(dns, 'aws_cloudwatch_metric_alarm');
    expect(alarms).toHaveLength(regions().length);
    for (const alarm of alarms) {
      expect(alarm.treat_missing_data).toBe('missing');
      expect(alarm.insufficient_data_actions).toEqual([`\${aws_sns_topic.${topic.id}.arn}`]);
      // One unhealthy minute still alarms; one late data point alone does not leave OK.
      expect(alarm).toMatchObject({ period: 60, evaluation_periods: 3, datapoints_to_alarm: 1 });
    }
  });

  it('opens the IPv4-only load balancer to IPv4 only', () => {
    for (const region of regions()) {
      const network = stackOf(synthesized().stacks, `network-${region}`);
      const rules = resourcesOfType(network, 'aws_vpc_security_group_ingress_rule');
      expect(rules.filter((rule) => rule.cidr_ipv6 !== undefined)).toEqual([]);
      const loadBalancer = only(resourcesOfType(app(region), 'aws_lb'), 'load balancers');
      expect(loadBalancer.ip_address_type ?? 'ipv4').toBe('ipv4');
    }
  });

  it('replaces the target group without a name collision: a name prefix, created before the old is destroyed', () => {
    for (const region of regions()) {
      const targetGroup = only(resourcesOfType(app(region), 'aws_lb_target_group'), 'target groups');
      expect(targetGroup.name).toBeUndefined();
      expect(String(targetGroup.name_prefix).length).toBeGreaterThan(0);
      expect(String(targetGroup.name_prefix).length).toBeLessThanOrEqual(6);
      expect(targetGroup.lifecycle).toMatchObject({ create_before_destroy: true });
    }
  });

  it("refuses to plan an app stack until its image tag is in the region's repository", () => {
    const { config, stacks } = synthesized();
    for (const region of regions()) {
      const lookups = Object.values(app(region).data?.aws_ecr_images ?? {});
      const lookup = only(lookups, 'image lookups');
      expect(lookup.provider).toBe(`aws.${regionAlias(region)}`);
      const repository = onlyResourceId(
        stackOf(stacks, 'registry'),
        'aws_ecr_repository',
        (body) => body.provider === `aws.${regionAlias(region)}`,
      );
      expect(resolveReference(stacks, `app-${region}`, String(lookup.repository_name))).toBe(
        `\${element(split(":repository/", ${repository}.arn), 1)}`,
      );
      const [check] = (lookup.lifecycle as { postcondition: Array<{ condition: string; error_message: string }> })
        .postcondition;
      expect(present(check, 'the postcondition').condition).toBe(
        `\${contains(self.image_ids[*].image_tag, "${config.service.imageTag}")}`,
      );
      expect(present(check, 'the postcondition').error_message).toContain(`"${config.service.imageTag}"`);
      expect(present(check, 'the postcondition').error_message).toContain('docs/deploy.md');
    }
  });

  it('deletes the drill token at once on destroy, so a re-created stack can take its name again', () => {
    for (const region of regions()) {
      const secret = only(resourcesOfType(app(region), 'aws_secretsmanager_secret'), 'secrets');
      expect(secret.recovery_window_in_days).toBe(0);
    }
  });

  it('issues and validates a replacement certificate before the old one is deleted', () => {
    const certificates = stackOf(synthesized().stacks, 'certificates');
    for (const type of ['aws_acm_certificate', 'aws_acm_certificate_validation']) {
      const blocks = resourcesOfType(certificates, type);
      expect(blocks).toHaveLength(regions().length);
      for (const block of blocks) expect(block.lifecycle, type).toMatchObject({ create_before_destroy: true });
    }
  });

  it('counts failed writer connections from the service log and alarms on 2 of 3 minutes in every region', () => {
    const { config } = synthesized();
    for (const region of regions()) {
      const stack = app(region);
      const filter = only(resourcesOfType(stack, 'aws_cloudwatch_log_metric_filter'), 'metric filters');
      const logGroup = onlyResourceId(stack, 'aws_cloudwatch_log_group', (group) =>
        String(group.name).startsWith('/ecs/'),
      );
      expect(filter.log_group_name).toBe(`\${${logGroup}.name}`);
      expect(filter.pattern).toBe(`{ $.event = "${WRITER_UNREACHABLE_LOG.event}" }`);
      const transformation = filter.metric_transformation as Block;
      expect(transformation).toMatchObject({ value: '1' });
      expect(transformation.dimensions).toBeUndefined();
      const alarm = present(
        alarmsOf(stack, `${serviceNamePrefix(config)}-${region}-alerts`).get('writer-unreachable'),
        'the writer alarm',
      );
      const topic = only(resourcesOfType(stack, 'aws_sns_topic'), 'topics');
      expect(alarm).toMatchObject({
        namespace: transformation.namespace,
        metric_name: transformation.name,
        statistic: 'Sum',
        comparison_operator: 'GreaterThanThreshold',
        threshold: 0,
        period: 60,
        evaluation_periods: 3,
        datapoints_to_alarm: 2,
        treat_missing_data: 'notBreaching',
        alarm_actions: [`\${aws_sns_topic.${topic.id}.arn}`],
      });
      expect(alarm.dimensions).toBeUndefined();
    }
  });

  it('draws metrics that exist on the dashboard: replication latency per receiving region, lag by query, writer failures', () => {
    const dashboard = only(resourcesOfType(stackOf(synthesized().stacks, 'dns'), 'aws_cloudwatch_dashboard'));
    const widgets = (
      JSON.parse(String(dashboard.dashboard_body)) as {
        widgets: Array<{ properties: { title: string; metrics: unknown[][] } }>;
      }
    ).widgets;
    for (const region of regions()) {
      const cell = (title: string) =>
        only(
          widgets.filter((widget) => widget.properties.title === `${region}: ${title}`),
          `${region}: ${title}`,
        ).properties.metrics;
      const latency = cell('DynamoDB throttles and replication latency (ms)').filter((line) =>
        line.includes('ReplicationLatency'),
      );
      expect(latency.map((line) => line[line.indexOf('ReceivingRegion') + 1]).sort()).toEqual(
        regions()
          .filter((other) => other !== region)
          .sort(),
      );
      const [lag] = cell('Aurora global replication lag (ms)');
      expect(JSON.stringify(lag)).toContain('SourceRegion');
      const [failures] = cell('Failed connections to the Aurora writer');
      expect(present(failures, 'the writer failures line')).toContain('WriterUnreachable');
    }
  });
});
