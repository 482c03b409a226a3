import { describe, expect, it } from 'vitest';
import { only, present, synthesizeBeforeAll } from './fixtures.js';
import { regionalName } from '../../modules/latency-routing/index.js';
import { regionAlias, serviceNamePrefix } from '../../config/index.js';
import { HEALTH_CHECK_METRICS_REGION } from '../../stacks/dns-stack.js';
import { hostedZoneName } from '../../stacks/zone-stack.js';
import { HEALTH_PATHS } from '../../service/src/contract.js';
import { onlyResourceId, producingStacks, resolveReference } from './references.js';
import { resourcesOfType, synthesizeOverrides, type StackJson, type Synthesized, stackOf } from './synth.js';
import { evaluateExpression, terraformCliOrSkip } from './terraform-cli.js';

type Block = Record<string, unknown>;

/** Three regions, none of them us-east-1, where Route 53's metrics still are. */
const THREE_REGIONS = {
  primaryRegion: 'eu-west-1',
  regions: [{ region: 'eu-west-1' }, { region: 'eu-central-1' }, { region: 'ap-northeast-1' }],
  dns: {
    domainName: 'orders.example.org',
    healthCheckIntervalSeconds: 30,
    healthCheckFailureThreshold: 3,
  },
};

const GLOBAL_PROVIDER = `aws.${regionAlias(HEALTH_CHECK_METRICS_REGION)}`;

function byName(stack: StackJson, type: string): Map<string, Block & { id: string }> {
  return new Map(resourcesOfType(stack, type).map((block) => [String(block.name ?? block.alarm_name), block]));
}

/** The zone id every record of `stack` must use: the `zone` stack's zone, or the stack's own lookup by name. */
function expectedZoneId(deployment: Synthesized, stackName: string): string {
  const { config, stacks } = deployment;
  if (config.dns.createHostedZone) {
    return `\${${onlyResourceId(stackOf(stacks, 'zone'), 'aws_route53_zone', (zone) => zone.name === hostedZoneName(config))}.zone_id}`;
  }
  const lookups = Object.entries(stackOf(stacks, stackName).data?.aws_route53_zone ?? {});
  expect(lookups.map(([, lookup]) => [lookup.name, lookup.private_zone])).toEqual([[hostedZoneName(config), false]]);
  const [lookupId] = only(lookups, 'zone lookups');
  return `\${data.aws_route53_zone.${lookupId}.zone_id}`;
}

function expectRouting(deployment: Synthesized): void {
  const { config, stacks } = deployment;
  const dns = stackOf(stacks, 'dns');
  const resolve = (value: unknown) => resolveReference(stacks, 'dns', String(value));
  const zoneId = expectedZoneId(deployment, 'dns');
  const provider = (dns.provider?.aws ?? []).find((entry) => entry.alias === regionAlias(HEALTH_CHECK_METRICS_REGION));
  expect(provider?.region).toBe(HEALTH_CHECK_METRICS_REGION);

  const healthChecks = resourcesOfType(dns, 'aws_route53_health_check');
  expect(healthChecks.map((check) => check.fqdn).sort()).toEqual(
    config.regions.map(({ region }) => regionalName(region, config.dns.domainName)).sort(),
  );
  const latency = resourcesOfType(dns, 'aws_route53_record').filter((record) => record.name === config.dns.domainName);
  expect(latency.map((record) => record.set_identifier).sort()).toEqual(
    config.regions.map((entry) => entry.region).sort(),
  );

  for (const { region } of config.regions) {
    const app = `app-${region}`;
    const loadBalancer = onlyResourceId(stackOf(stacks, app), 'aws_lb', () => true);
    const healthCheck = healthChecks.find((check) => check.fqdn === regionalName(region, config.dns.domainName))!;
    expect(healthCheck).toMatchObject({
      provider: GLOBAL_PROVIDER,
      type: 'HTTPS',
      port: 443,
      enable_sni: true,
      resource_path: HEALTH_PATHS.deep,
      request_interval: config.dns.healthCheckIntervalSeconds,
      failure_threshold: config.dns.healthCheckFailureThreshold,
    });

    const record = latency.find((entry) => entry.set_identifier === region)!;
    expect(record).toMatchObject({
      provider: GLOBAL_PROVIDER,
      type: 'A',
      latency_routing_policy: { region },
      health_check_id: `\${aws_route53_health_check.${healthCheck.id}.id}`,
      alias: { evaluate_target_health: true },
    });
    expect(resolve(record.zone_id)).toBe(zoneId);
    const alias = record.alias as Block;
    expect(resolve(alias.name)).toBe(`\${${loadBalancer}.dns_name}`);
    expect(producingStacks(stacks, 'dns', `${String(alias.name)} ${String(alias.zone_id)}`)).toEqual([app]);
    expect(resolve(alias.zone_id)).toBe(`\${${loadBalancer}.zone_id}`);

    const direct = only(
      resourcesOfType(dns, 'aws_route53_record').filter(
        (entry) => entry.name === regionalName(region, config.dns.domainName),
      ),
    );
    expect(direct.type).toBe('A');
    expect(resolve(direct.zone_id)).toBe(zoneId);
    expect(direct.set_identifier).toBeUndefined();
    expect(resolve((direct.alias as Block).name)).toBe(`\${${loadBalancer}.dns_name}`);
    expect(producingStacks(stacks, 'dns', String((direct.alias as Block).name))).toEqual([app]);
  }
}

function expectHealthCheckAlarms(deployment: Synthesized): void {
  const { config, stacks } = deployment;
  const dns = stackOf(stacks, 'dns');
  const prefix = `${serviceNamePrefix(config)}-health-check-alerts`;
  const topic = byName(dns, 'aws_sns_topic').get(prefix);
  expect(topic).toMatchObject({ provider: GLOBAL_PROVIDER });
  expect(topic?.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
  const alarms = byName(dns, 'aws_cloudwatch_metric_alarm');
  expect(alarms.size).toBe(config.regions.length);
  const healthChecks = resourcesOfType(dns, 'aws_route53_health_check');
  for (const { region } of config.regions) {
    const healthCheck = healthChecks.find((check) => check.fqdn === regionalName(region, config.dns.domainName))!;
    expect(alarms.get(`${prefix}-health-check-${region}`)).toMatchObject({
      provider: GLOBAL_PROVIDER,
      namespace: 'AWS/Route53',
      metric_name: 'HealthCheckStatus',
      dimensions: { HealthCheckId: `\${aws_route53_health_check.${healthCheck.id}.id}` },
      statistic: 'Minimum',
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      // Not 'breaching', which fired on every apply that created a check: a new check stays in
      // INSUFFICIENT_DATA until it reports, and one that stops reporting notifies on the way there.
      treat_missing_data: 'missing',
      alarm_actions: [`\${aws_sns_topic.${topic!.id}.arn}`],
      insufficient_data_actions: [`\${aws_sns_topic.${topic!.id}.arn}`],
    });
  }
}

function expectCertificates(deployment: Synthesized): void {
  const { config, stacks } = deployment;
  const certificates = stackOf(stacks, 'certificates');
  const zoneId = expectedZoneId(deployment, 'certificates');
  const domain = config.dns.domainName;
  const issued = resourcesOfType(certificates, 'aws_acm_certificate');
  expect(issued.map((certificate) => certificate.provider).sort()).toEqual(
    config.regions.map(({ region }) => `aws.${regionAlias(region)}`).sort(),
  );
  const records = resourcesOfType(certificates, 'aws_route53_record');
  // One record per distinct name: the shared name once, however many regions ask for it.
  expect(records).toHaveLength(config.regions.length + 1);
  for (const record of records) expect(resolveReference(stacks, 'certificates', String(record.zone_id))).toBe(zoneId);
  for (const { region } of config.regions) {
    const certificate = issued.find((entry) => entry.provider === `aws.${regionAlias(region)}`)!;
    expect(certificate).toMatchObject({
      domain_name: domain,
      subject_alternative_names: [regionalName(region, domain)],
      validation_method: 'DNS',
    });
    const validation = only(
      resourcesOfType(certificates, 'aws_acm_certificate_validation').filter(
        (entry) => entry.provider === `aws.${regionAlias(region)}`,
      ),
    );
    expect(validation.certificate_arn).toBe(`\${aws_acm_certificate.${certificate.id}.arn}`);
    const fqdnOf = (name: string) => {
      const record = only(records.filter((entry) => String(entry.name).includes(`val.domain_name == "${name}"`)));
      return `\${aws_route53_record.${record.id}.fqdn}`;
    };
    expect(validation.validation_record_fqdns).toEqual([fqdnOf(domain), fqdnOf(regionalName(region, domain))]);
  }
}

function describeDeployment(title: string, synthesize: () => Synthesized): void {
  describe(title, () => {
    const synthesized = synthesizeBeforeAll(synthesize);

    it("routes the shared name by latency to every region's load balancer, each with a deep HTTPS health check", () => {
      expectRouting(synthesized());
    });

    it("alarms on every region's health check in us-east-1", () => expectHealthCheckAlarms(synthesized()));

    it('validates one certificate per region through the zone, writing each validation record once', () =>
      expectCertificates(synthesized()));

    it('shows every region side by side on one dashboard', () => {
      const dashboard = only(resourcesOfType(stackOf(synthesized().stacks, 'dns'), 'aws_cloudwatch_dashboard'));
      const widgets = (
        JSON.parse(String(dashboard.dashboard_body)) as {
          widgets: Array<{ x: number; y: number; width: number; properties: { region: string; title: string } }>;
        }
      ).widgets;
      const rows = [...new Set(widgets.map((widget) => widget.y))];
      for (const row of rows) {
        const cells = widgets.filter((widget) => widget.y === row).sort((a, b) => a.x - b.x);
        expect(cells.map((cell) => cell.properties.title.split(':')[0])).toEqual(
          synthesized().config.regions.map((entry) => entry.region),
        );
        const { width } = present(cells[0], 'the first cell of a row');
        expect(cells.map((cell) => cell.x)).toEqual(cells.map((_, index) => index * width));
      }
      const healthRow = widgets.filter((widget) => widget.properties.title.includes('Route 53'));
      expect(healthRow.map((widget) => widget.properties.region)).toEqual(
        synthesized().config.regions.map(() => HEALTH_CHECK_METRICS_REGION),
      );
    });
  });
}

describeDeployment('two regions (the seed): existing zone looked up by name', () => synthesizeOverrides());
describeDeployment('three regions without us-east-1', () => synthesizeOverrides(THREE_REGIONS));
describeDeployment('created zone for a parent domain', () =>
  synthesizeOverrides({ dns: { createHostedZone: true, hostedZoneName: 'example.com' } }),
);

describe('hosted zone placement', () => {
  it('creates the zone in its own stack only when configured, so certificates and dns never look it up', () => {
    const created = synthesizeOverrides({ dns: { createHostedZone: true } });
    expect(resourcesOfType(stackOf(created.stacks, 'zone'), 'aws_route53_zone').map((zone) => zone.name)).toEqual([
      created.config.dns.domainName,
    ]);
    expect(stackOf(created.stacks, 'certificates').data?.aws_route53_zone).toBeUndefined();
    expect(stackOf(created.stacks, 'dns').data?.aws_route53_zone).toBeUndefined();
    const lookedUp = synthesizeOverrides();
    expect(lookedUp.stacks.zone).toBeUndefined();
  });
});

describe('certificate validation record expression', () => {
  it("picks each name's record out of the certificate's validation options, as Terraform evaluates it", () => {
    const cli = terraformCliOrSkip();
    if (!cli) {
      console.warn('no tofu/terraform CLI found: validation record expression not evaluated');
      return;
    }
    const { config, stacks } = synthesizeOverrides();
    const domain = config.dns.domainName;
    const names = [domain, ...config.regions.map(({ region }) => regionalName(region, domain))];
    const options = (certificate: string) =>
      names.map((name) => ({
        domain_name: name,
        resource_record_name: `_${certificate}.${name}.`,
        resource_record_type: 'CNAME',
        resource_record_value: `_${certificate}.validation.`,
      }));
    const literal = (value: unknown): string => JSON.stringify(value).replace(/"([a-z_]+)":/g, '$1 = ');
    for (const record of resourcesOfType(stackOf(stacks, 'certificates'), 'aws_route53_record')) {
      const expression = String(record.name);
      const certificate = present(
        /aws_acm_certificate\.([A-Za-z0-9_-]+)\.domain_validation_options/.exec(expression)?.[1],
        `the certificate in ${expression}`,
      );
      const name = present(/val\.domain_name == "([^"]+)"/.exec(expression)?.[1], `the name in ${expression}`);
      const evaluated = evaluateExpression(
        cli,
        expression
          .slice(2, -1)
          .replace(`aws_acm_certificate.${certificate}.domain_validation_options`, literal(options(certificate))),
      );
      expect(evaluated).toBe(`_${certificate}.${name}.`);
    }
  });
});
