import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config/index.js';
import { isAllowed, readAllowList } from '../../scripts/review/allow.js';
import { deployOrder, readSynthOutput } from '../../scripts/review/diff.js';
import { planChanges, type PlanJson } from '../../scripts/review/plan.js';
import {
  COMMENT_LIMIT,
  renderJson,
  renderMarkdown,
  type EnvironmentReview,
  type Review,
} from '../../scripts/review/report.js';
import { describeForceNew, readForceNewTable, reviewEnvironment } from '../../scripts/review/review.js';
import { DEFAULT_SETTINGS } from '../../config/index.js';
import { synthesizeConfig } from '../../stacks/synthesize.js';

const table = readForceNewTable();

/** A whole-app synth of `overrides` (validated like an environment file) into a temp folder. */
function synthApp(overrides: object): string {
  const outdir = join(mkdtempSync(join(tmpdir(), 'mraa-review-')), 'cdktf.out');
  synthesizeConfig(resolveConfig(overrides, 'test', 'the review test'), outdir);
  return outdir;
}

function review(environments: EnvironmentReview[]): Review {
  return { base: 'base', head: 'head', forceNew: describeForceNew(table), environments };
}

function lines(environment: EnvironmentReview): string[] {
  return renderMarkdown(review([environment]))
    .join('\n')
    .split('\n');
}

interface SmallAppOptions {
  readonly tableKey: string;
  readonly logGroupId: string;
  readonly shortLogs: boolean;
  readonly secret: string;
}

/**
 * A small real cdktf app (one stack): a table, a log group whose construct id can change (a
 * rename), a secret value, a sensitive variable and output. Synthesized like the project's stacks.
 */
function synthSmallApp(options: SmallAppOptions): string {
  const outdir = join(mkdtempSync(join(tmpdir(), 'mraa-review-small-')), 'cdktf.out');
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, 'data');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  new DynamodbTable(stack, 'orders', {
    name: 'Orders',
    billingMode: 'PAY_PER_REQUEST',
    hashKey: options.tableKey,
    attribute: [{ name: options.tableKey, type: 'S' }],
    pointInTimeRecovery: { enabled: true },
    deletionProtectionEnabled: true,
  });
  new CloudwatchLogGroup(stack, options.logGroupId, { name: '/orders/app', retentionInDays: 365 });
  if (options.shortLogs) new CloudwatchLogGroup(stack, 'short-logs', { name: '/orders/short', retentionInDays: 30 });
  const secret = new SecretsmanagerSecret(stack, 'secret', { name: 'orders-token' });
  new SecretsmanagerSecretVersion(stack, 'secret-value', { secretId: secret.id, secretString: options.secret });
  // Container definitions are a JSON document in a string: diffed as JSON, secret-named entries hidden.
  new EcsTaskDefinition(stack, 'task', {
    family: 'orders',
    containerDefinitions: JSON.stringify([
      {
        name: 'service',
        image: `orders:${options.tableKey === 'id' ? '1.0' : '1.1'}`,
        environment: [
          { name: 'TABLE_KEY', value: options.tableKey },
          { name: 'DB_PASSWORD', value: options.secret },
        ],
      },
    ]),
  });
  const variable = new TerraformVariable(stack, 'api_key', {
    type: 'string',
    sensitive: true,
    default: options.secret,
  });
  new TerraformOutput(stack, 'api_key_out', { value: variable.stringValue, sensitive: true });
  app.synth();
  return outdir;
}

/** A plan document as `terraform show -json` writes it (hand-written: no AWS provider binary here to capture one). */
const plan: PlanJson = {
  resource_changes: [
    {
      address: 'aws_vpc.network_vpc_4E8F0223',
      type: 'aws_vpc',
      mode: 'managed',
      change: {
        actions: ['delete', 'create'],
        before: { cidr_block: '10.0.0.0/16', id: 'vpc-1' },
        after: { cidr_block: '10.9.0.0/16' },
        after_unknown: { id: true },
        replace_paths: [['cidr_block']],
      },
    },
    {
      address: 'aws_secretsmanager_secret_version.v',
      type: 'aws_secretsmanager_secret_version',
      mode: 'managed',
      change: {
        actions: ['update'],
        before: { secret_string: 'old-value', version_stages: ['AWSCURRENT'] },
        after: { secret_string: 'new-value', version_stages: ['AWSCURRENT'] },
        before_sensitive: { secret_string: true },
        after_sensitive: { secret_string: true },
      },
    },
  ],
  resource_drift: [
    {
      address: 'aws_cloudwatch_log_group.g',
      type: 'aws_cloudwatch_log_group',
      mode: 'managed',
      change: { actions: ['update'], before: { retention_in_days: 365 }, after: { retention_in_days: 30 } },
    },
  ],
};

describe('review of real synths', () => {
  type Name = 'cidr' | 'regions' | 'unchanged' | 'small';
  let reviews: Record<Name, EnvironmentReview> | undefined;
  let withPlan: EnvironmentReview | undefined;
  // Three whole-app synths and two small apps, once for the file.
  beforeAll(() => {
    const base = synthApp({});
    const cidrAndThreshold = synthApp({
      regions: [{ region: 'us-east-1', vpcCidr: '10.9.0.0/16' }, { region: 'eu-west-1' }],
      alarms: { alb5xxThreshold: 75 },
    });
    const regionSwap = synthApp({ regions: [{ region: 'us-east-1' }, { region: 'ap-southeast-2' }] });
    const small = (options: Partial<SmallAppOptions>): string =>
      synthSmallApp({ tableKey: 'id', logGroupId: 'logs', shortLogs: false, secret: 'hunter2-base', ...options });
    const environment = (name: string, headOutdir: string, baseOutdir = base): EnvironmentReview =>
      reviewEnvironment({ environment: name, baseOutdir, headOutdir, table });
    withPlan = reviewEnvironment({
      environment: 'planned',
      baseOutdir: base,
      headOutdir: cidrAndThreshold,
      table,
      plans: new Map([['network-us-east-1', plan]]),
    });
    reviews = {
      cidr: environment('cidr', cidrAndThreshold),
      regions: environment('regions', regionSwap),
      unchanged: environment('unchanged', base),
      small: environment(
        'small',
        small({ tableKey: 'orderId', logGroupId: 'app-logs', shortLogs: true, secret: 'hunter2-head' }),
        small({}),
      ),
    };
  });

  const get = (name: Name): EnvironmentReview => {
    if (reviews === undefined) throw new Error('the synths in beforeAll failed');
    return reviews[name];
  };

  it('the force-new table is generated from the provider source and covers the types the project uses', () => {
    expect(table?.version).toBe('6.47.1');
    expect(table?.resources.aws_vpc).toContain('cidr_block');
    expect(table?.resources.aws_dynamodb_table).toContain('hash_key');
    expect(table?.resources.aws_cloudwatch_metric_alarm).not.toContain('threshold');
  });

  it('an unchanged configuration reports no changes', () => {
    const report = lines(get('unchanged'));
    expect(report).toContain('No stack changes.');
    expect(report.join('\n')).not.toContain('Destroyed or replaced');
  });

  it('a changed VPC CIDR predicts the VPC, its subnets and the peer routes replaced, destructive lines first', () => {
    const report = lines(get('cidr'));
    expect(report).toContain(
      '- **replace** `network-us-east-1` `aws_vpc.network_vpc_4E8F0223` (prediction): `cidr_block` "10.0.0.0/16" → "10.9.0.0/16"',
    );
    expect(report).toContain(
      '- **replace** `network-us-east-1` `aws_subnet.network_private-us-east-1a_E1039AEF` (prediction): `cidr_block` "10.0.0.0/24" → "10.9.0.0/24"',
    );
    expect(report).toContain(
      '- **replace** `peering` `aws_route.mesh_route-eu-west-1-to-us-east-1-private-0_A13D57F7` (prediction): `destination_cidr_block` "10.0.0.0/16" → "10.9.0.0/16"',
    );
    expect(report).toContain('**Destroyed or replaced (14)**');
    expect(report).toContain('| `network-us-east-1` | changed | 0 | 0 | 0 | 10 | 0 | 0 | 12 | 0 |');
    // Deploy order: network before peering before the apps; the destructive section before any details.
    const text = report.join('\n');
    expect(text.indexOf('| `network-us-east-1`')).toBeLessThan(text.indexOf('| `peering`'));
    expect(text.indexOf('| `peering`')).toBeLessThan(text.indexOf('| `app-eu-west-1`'));
    expect(text.indexOf('**Destroyed or replaced')).toBeLessThan(text.indexOf('<details>'));
  });

  it('the replaced VPC changes cross-stack outputs, and their readers are named to apply after it', () => {
    const report = lines(get('cidr'));
    expect(report).toContain(
      '- `network-us-east-1` output `cross-stack-output-aws_vpcnetwork_vpc_4E8F0223id` changes (aws_vpc.network_vpc_4E8F0223 is replaced); read by `peering`, `app-us-east-1`: apply after `network-us-east-1`',
    );
    // The data stack changes nothing itself but reads the replaced database subnets.
    expect(report).toContain('| `data` | inputs change | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 3 |');
  });

  it('a changed alarm threshold is an in-place update, not a replacement', () => {
    const report = lines(get('cidr'));
    expect(report).toContain('| `app-us-east-1` | changed | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 7 |');
    expect(report).toContain('- `~` update `aws_cloudwatch_metric_alarm.alerts_alarm-alb-5xx_44049993`');
    expect(report).toContain('  - `threshold`: 50 → 75');
  });

  it('an added and a removed region: new stacks created, the removed stacks destroyed, stateful resources named', () => {
    const environment = get('regions');
    const report = lines(environment);
    expect(report).toContain('| `network-ap-southeast-2` | added | 54 | 0 | 0 | 0 | 0 | 4 | 19 | 0 |');
    expect(report).toContain(
      '  - **destroy** `app-eu-west-1` `aws_cloudwatch_log_group.service_logs_log-group_0279F993` — **stateful: log group** (prediction)',
    );
    expect(report).toContain(
      '- **destroy** `data` `aws_rds_cluster.database_eu-west-1_cluster_13930886` — **stateful: Aurora cluster** (prediction)',
    );
    // A removed stack is one line, counted by type, plus a line per stateful resource.
    expect(report).toContain(
      '- **destroy** `network-eu-west-1`: the stack is removed, all 54 resources (prediction): 1 aws_cloudwatch_log_group, 1 aws_default_security_group, 3 aws_eip, 1 aws_flow_log, 1 aws_iam_role, 1 aws_iam_role_policy, 1 aws_internet_gateway, 1 aws_kms_alias, 1 aws_kms_key, 3 aws_nat_gateway, 4 aws_route, 5 aws_route_table, 9 aws_route_table_association, 3 aws_security_group, 9 aws_subnet, 1 aws_vpc, 2 aws_vpc_endpoint, 3 aws_vpc_security_group_egress_rule, 4 aws_vpc_security_group_ingress_rule',
    );
    expect(report).toContain(
      '  - **destroy** `network-eu-west-1` `aws_kms_key.network_flow-log-key_5BE82881` — **stateful: KMS key** (prediction)',
    );
    expect(report).toContain('| `network-eu-west-1` | removed | 0 | 0 | 54 | 0 | 0 | 4 | 19 | 0 |');
    const removed = environment.stacks.find((stack) => stack.stack === 'network-eu-west-1');
    expect(removed?.resources.every((change) => change.action === 'delete')).toBe(true);
  });

  it('a changed table key predicts a stateful replacement', () => {
    expect(lines(get('small'))).toContain(
      '- **replace** `data` `aws_dynamodb_table.orders` — **stateful: DynamoDB table** (prediction): `hash_key` "id" → "orderId"',
    );
  });

  it('a renamed construct is shown as a likely rename with the moveTo / moved fix', () => {
    expect(lines(get('small'))).toContain(
      "- **likely rename** `data` `aws_cloudwatch_log_group.logs` → `aws_cloudwatch_log_group.app-logs` — **stateful: log group** (prediction): destroyed and created unless moved. Fix: a `moved` block from `aws_cloudwatch_log_group.logs` to `aws_cloudwatch_log_group.app-logs` (cdktf: `moveTo`, or `addOverride('moved', …)` on the stack)",
    );
  });

  it('a JSON document kept in a string is diffed as JSON, and its secret-named entries stay hidden', () => {
    const report = lines(get('small'));
    expect(report).toContain(
      '  - `container_definitions⟨json⟩[0].image`: "orders:1.0" → "orders:1.1" **forces replacement**',
    );
    expect(report).toContain(
      '  - `container_definitions⟨json⟩[0].environment[0].value`: "id" → "orderId" **forces replacement**',
    );
    expect(report).toContain(
      '  - `container_definitions⟨json⟩[0].environment[1].value`: (sensitive) → (sensitive) **forces replacement**',
    );
  });

  it('a stack with a plan reports the plan: facts instead of predictions, drift marked', () => {
    if (withPlan === undefined) throw new Error('the synths in beforeAll failed');
    const report = lines(withPlan);
    expect(report).toContain('| `network-us-east-1` | changed (plan) | 0 | 2 | 0 | 1 | 0 | 0 | 12 | 0 |');
    expect(report).toContain(
      '- **replace** `network-us-east-1` `aws_vpc.network_vpc_4E8F0223` (plan): `cidr_block` "10.0.0.0/16" → "10.9.0.0/16"',
    );
    expect(report).toContain('- `~` update `aws_cloudwatch_log_group.g` (stateful: log group, drifted)');
    // Other stacks keep their predictions.
    expect(report).toContain(
      '- **replace** `peering` `aws_route.mesh_route-eu-west-1-to-us-east-1-private-0_A13D57F7` (prediction): `destination_cidr_block` "10.0.0.0/16" → "10.9.0.0/16"',
    );
  });

  it('new policy findings are listed', () => {
    expect(lines(get('small'))).toContain(
      '- new: MRAA-LOG-2 `data` `aws_cloudwatch_log_group.short-logs`: retention_in_days is 30, less than 365',
    );
  });

  it('sensitive values are never printed, in Markdown or JSON', () => {
    const environment = get('small');
    const markdown = renderMarkdown(review([environment])).join('\n');
    const json = renderJson(review([environment]));
    for (const text of [markdown, json]) {
      expect(text).not.toContain('hunter2');
    }
    expect(markdown).toContain('  - `secret_string`: (sensitive) → (sensitive)');
    expect(markdown).toContain('- `~` `var.api_key`: (sensitive) → (sensitive)');
    expect((JSON.parse(json) as { destructive: unknown[] }).destructive).toContainEqual({
      environment: 'small',
      stack: 'data',
      address: 'aws_dynamodb_table.orders',
      action: 'replace',
      stateful: 'DynamoDB table',
      source: 'prediction',
    });
  });

  it('a report far over 65,536 characters keeps the summary and every destructive line in its first part', () => {
    // Twelve environments' worth of the real CIDR/threshold diff, with the region swap: far over the limit.
    const environments = [
      ...Array.from({ length: 12 }, (_, index) => ({ ...get('cidr'), environment: `cidr-${index}` })),
      get('regions'),
    ];
    const whole = review(environments);
    const parts = renderMarkdown(whole);
    const total = parts.reduce((sum, part) => sum + part.length, 0);
    expect(total).toBeGreaterThan(3 * COMMENT_LIMIT);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    const first = parts[0] ?? '';
    const single = environments.map((environment) => lines(environment));
    for (const [index, report] of single.entries()) {
      const essential = report.filter((line) => /^(\| `|- \*\*| {2}- \*\*)/.test(line));
      expect(essential.length).toBeGreaterThan(0);
      for (const line of essential) expect(first, `environment ${index}`).toContain(line);
    }
    expect(first).toContain('the report continues in part 2');
    // Nothing is dropped: every detail line of every environment is in some part.
    const all = parts.join('\n');
    for (const line of single.flat()) {
      if (line.startsWith('  - `')) expect(all).toContain(line);
    }
  });
});

describe('real plans and the allow-list', () => {
  it('a plan gives facts: replace paths, known-after-apply values, drift, sensitive values hidden', () => {
    const { resources } = planChanges(plan);
    expect(resources.map((change) => [change.address, change.action, change.source, change.drift ?? false])).toEqual([
      ['aws_vpc.network_vpc_4E8F0223', 'replace', 'plan', false],
      ['aws_secretsmanager_secret_version.v', 'update', 'plan', false],
      ['aws_cloudwatch_log_group.g', 'update', 'plan', true],
    ]);
    expect(resources[0]?.changes).toEqual([
      { path: 'cidr_block', before: '"10.0.0.0/16"', after: '"10.9.0.0/16"', forcesReplacement: true },
      { path: 'id', before: '"vpc-1"', after: '(known after apply)', forcesReplacement: false },
    ]);
    expect(JSON.stringify(resources)).not.toContain('-value');
  });

  it('destroys pass only with an allow-list entry that has a reason', () => {
    const folder = mkdtempSync(join(tmpdir(), 'mraa-review-allow-'));
    const good = join(folder, 'allow.json');
    writeFileSync(
      good,
      JSON.stringify([{ stack: 'network-us-east-1', address: 'aws_vpc.v', reason: 'new CIDR plan, region drained' }]),
    );
    const allow = readAllowList(good);
    expect(isAllowed(allow, 'production', 'network-us-east-1', 'aws_vpc.v')?.reason).toBe(
      'new CIDR plan, region drained',
    );
    expect(isAllowed(allow, 'production', 'network-us-east-1', 'aws_vpc.w')).toBeUndefined();
    const bad = join(folder, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ stack: 'data', address: 'aws_dynamodb_table.t', reason: ' ' }]));
    expect(() => readAllowList(bad)).toThrow('entry 0 (data aws_dynamodb_table.t) has no reason');
  });
});

describe('the cost change in a review', () => {
  const usage = { usage: DEFAULT_SETTINGS.usage };
  let base = '';
  let singleNat = '';
  let newRegion = '';
  beforeAll(() => {
    base = synthApp({});
    singleNat = synthApp({ network: { natGateways: 'single' } });
    newRegion = synthApp({ regions: [{ region: 'us-east-1' }, { region: 'eu-west-1' }, { region: 'eu-central-1' }] });
  });

  it('shows the monthly cost of both sides and each component and region that changed', () => {
    const environment = reviewEnvironment({
      environment: 'nat',
      baseOutdir: base,
      headOutdir: singleNat,
      table,
      usage: { base: usage, head: usage },
    });
    const cost = environment.cost;
    if (cost === undefined || 'unavailable' in cost) throw new Error(`not priced: ${JSON.stringify(cost)}`);
    // One NAT gateway (and Elastic IP) per region instead of three; the region's NAT traffic is the same.
    // us-east-1: 3 × 730 h × $0.045 = 98.55 → 32.85, and IPs 3 × 730 × $0.005 = 10.95 → 3.65: −73.00.
    // eu-west-1: 3 × 730 × $0.048 = 105.12 → 35.04, IPs 10.95 → 3.65: −77.38.
    expect(cost.changed).toEqual([
      { component: 'network', region: 'eu-west-1', base: 10512 + 1095 + 96, head: 3504 + 365 + 96 },
      { component: 'network', region: 'us-east-1', base: 9855 + 1095 + 90, head: 3285 + 365 + 90 },
    ]);
    expect(cost.baseCents - cost.headCents).toBe(7300 + 7738);
    const report = lines(environment).join('\n');
    expect(report).toContain('| network | us-east-1 | 110.40 | 37.40 | -73.00 |');
    expect(report).toMatch(/\*\*Monthly cost\*\* \(USD, docs\/cost\.md\): [\d,.]+ → [\d,.]+ \(-150\.38\)/);
  });

  it('says why when a side cannot be priced', () => {
    const missingRegion = reviewEnvironment({
      environment: 'region',
      baseOutdir: base,
      headOutdir: newRegion,
      table,
      usage: { base: usage, head: usage },
    });
    expect(lines(missingRegion).join('\n')).toMatch(
      /\*\*Monthly cost\*\*: not estimated: the head cannot be priced: No price for .*\n? *- eu-central-1: /,
    );
    const badFile = reviewEnvironment({
      environment: 'file',
      baseOutdir: base,
      headOutdir: base,
      table,
      usage: { base: { error: 'usage.requestsPerSecond: must be greater than 0' }, head: usage },
    });
    expect(lines(badFile)).toContain(
      "**Monthly cost**: not estimated: the base's configuration does not load with the head's schema: usage.requestsPerSecond: must be greater than 0",
    );
  });
});

describe('deploy order (docs/deploy.md), which the review and the rehearsal follow', () => {
  it('a created zone comes first, so its delegation propagates before certificates validate; the rest by dependency', () => {
    const output = readSynthOutput(synthApp({ dns: { createHostedZone: true } }));
    const order = deployOrder(output, output);
    expect(order).toEqual([
      'zone',
      'network-eu-west-1',
      'network-us-east-1',
      'peering',
      'data',
      'registry',
      'certificates',
      'app-eu-west-1',
      'app-us-east-1',
      'dns',
    ]);
  });
});
