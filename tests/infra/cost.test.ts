import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  estimateCost,
  toCents,
  unclassifiedTypes,
  UnclassifiedTypesError,
  type Estimate,
} from '../../cost/estimate.js';
import { inventory, type SynthesizedStack } from '../../cost/inventory.js';
import { MissingPricesError, PriceBook } from '../../cost/prices.js';
import type { Usage } from '../../cost/usage.js';
import { DEFAULT_SETTINGS, loadDeploymentConfig, resolveConfig, type DeploymentConfig } from '../../config/index.js';
import { applySetting, configWithSettings, estimateConfig } from '../../scripts/cost/index.js';
import { ENVIRONMENTS_DIRECTORY } from '../../stacks/synthesize.js';

const usage = (overrides: Partial<Usage> = {}): Usage => ({ ...DEFAULT_SETTINGS.usage, ...overrides });

/** A price table folder holding `tables` (region → key → price), each price with a stated source. */
function priceFolder(tables: Record<string, Record<string, number>>): string {
  const folder = mkdtempSync(join(tmpdir(), 'mraa-cost-prices-'));
  for (const [region, prices] of Object.entries(tables)) {
    const entries = Object.fromEntries(
      Object.entries(prices).map(([key, price]) => [
        key,
        {
          price,
          unit: 'unit',
          source: 'https://example.com/test',
          read: '2026-12-01',
          status: 'carried',
          evidence: 'test figure',
        },
      ]),
    );
    writeFileSync(join(folder, `${region}.json`), JSON.stringify({ region, currency: 'USD', prices: entries }));
  }
  return folder;
}

/** A hand-written synthesized stack in one region (the shape `cdk.tf.json` has). */
function stackIn(region: string, resource: Record<string, Record<string, object>>): Map<string, SynthesizedStack> {
  const alias = region.replaceAll('-', '_');
  const withProvider = Object.fromEntries(
    Object.entries(resource).map(([type, blocks]) => [
      type,
      Object.fromEntries(Object.entries(blocks).map(([id, body]) => [id, { provider: `aws.${alias}`, ...body }])),
    ]),
  );
  return new Map([[`network-${region}`, { provider: { aws: [{ alias, region }] }, resource: withProvider }]]);
}

const FIXTURE = {
  aws_vpc: { vpc: { cidr_block: '10.0.0.0/16' } },
  aws_nat_gateway: { 'nat-a': {}, 'nat-b': {} },
  aws_eip: { 'ip-a': { domain: 'vpc' }, 'ip-b': { domain: 'vpc' } },
  aws_lb: { alb: { load_balancer_type: 'application', internal: false, idle_timeout: 60, subnets: ['a', 'b'] } },
  aws_kms_key: { key: {} },
  aws_secretsmanager_secret: { secret: { name: 's', replica: [{ region: 'eu-west-1' }] } },
};

const FIXTURE_PRICES = {
  'us-east-1': {
    'nat.hour': 0.05,
    'nat.gb': 0.04,
    'publicIpv4.hour': 0.005,
    'alb.hour': 0.02,
    'alb.lcuHour': 0.01,
    'transfer.internetGB': 0.1,
    'kms.keyMonth': 1,
    'secretsmanager.secretMonth': 0.4,
  },
  'eu-west-1': { 'secretsmanager.secretMonth': 0.5 },
};

const FIXTURE_USAGE = usage({
  requestsPerSecond: 10,
  requestsPerConnection: 1,
  transferKBPerRequest: 1,
  natGBPerMonth: 30,
});

function cents(estimate: Estimate, item: string, region = 'us-east-1'): number | undefined {
  return estimate.lines.find((line) => line.item === item && line.region === region)?.cents;
}

describe('the cost model on a hand-written fixture', () => {
  const estimate = estimateCost({
    environment: 'fixture',
    stacks: stackIn('us-east-1', FIXTURE),
    usage: FIXTURE_USAGE,
    prices: new PriceBook(priceFolder(FIXTURE_PRICES)),
  });

  it('prices every line as computed by hand', () => {
    // NAT: 2 gateways × 730 h × $0.05 = $73.00; 30 GB processed × $0.04 = $1.20.
    expect(cents(estimate, 'NAT gateway hours')).toBe(7300);
    expect(cents(estimate, 'NAT gateway data processed')).toBe(120);
    // Elastic IPs of the NAT gateways: 2 × 730 h × $0.005 = $7.30.
    expect(cents(estimate, 'public IPv4 addresses (NAT)')).toBe(730);
    // ALB: 730 h × $0.02 = $14.60; one public IPv4 per subnet: 2 × 730 × $0.005 = $7.30.
    expect(cents(estimate, 'Application Load Balancer hours')).toBe(1460);
    expect(cents(estimate, 'public IPv4 addresses of the load balancer')).toBe(730);
    // LCUs: 10 requests/s over 1 request per connection = 10 new connections/s → 10/25 = 0.4 LCU;
    // active: 10/s × 60 s idle timeout = 600 → 600/3000 = 0.2; bytes: 10 × 1 KB × 3600 s = 36,000 KB
    // = 0.0343 GB/h → 0.0343. The largest, 0.4, × 730 h = 292 LCU-h × $0.01 = $2.92.
    expect(cents(estimate, 'load balancer capacity unit (LCU) hours')).toBe(292);
    // Out to the internet: 10/s × 1 KB × 2,628,000 s = 26,280,000 KB ÷ 1,048,576 = 25.0626 GB × $0.10 = $2.51.
    expect(cents(estimate, 'responses out to the internet')).toBe(251);
    // One key: $1; the secret $0.40 in us-east-1 and its replica at eu-west-1's $0.50.
    expect(cents(estimate, 'customer managed keys')).toBe(100);
    expect(cents(estimate, 'secrets')).toBe(40);
    expect(cents(estimate, 'secret replicas', 'eu-west-1')).toBe(50);
    // 73.00 + 1.20 + 7.30 + 14.60 + 7.30 + 2.92 + 2.51 + 1.00 + 0.40 + 0.50 = $110.73.
    expect(estimate.totalCents).toBe(11073);
  });

  it('lists the free types with their reasons', () => {
    expect(estimate.notPriced).toEqual([expect.objectContaining({ type: 'aws_vpc', decision: 'free', count: 1 })]);
  });

  it('a resource type without a decision stops the estimate, naming it', () => {
    const stacks = stackIn('us-east-1', { ...FIXTURE, aws_made_up_thing: { x: {} } });
    expect(() =>
      estimateCost({
        environment: 'fixture',
        stacks,
        usage: FIXTURE_USAGE,
        prices: new PriceBook(priceFolder(FIXTURE_PRICES)),
      }),
    ).toThrow(UnclassifiedTypesError);
    expect(unclassifiedTypes(inventory(stacks))).toEqual(['aws_made_up_thing']);
  });

  it('a region without prices is an error naming the region and every missing key; a fallback prices it and says so', () => {
    const stacks = stackIn('eu-central-1', {
      aws_nat_gateway: FIXTURE.aws_nat_gateway,
      aws_kms_key: FIXTURE.aws_kms_key,
    });
    const folder = priceFolder(FIXTURE_PRICES);
    const attempt = (): Estimate =>
      estimateCost({ environment: 'fixture', stacks, usage: FIXTURE_USAGE, prices: new PriceBook(folder) });
    expect(attempt).toThrow(MissingPricesError);
    expect(attempt).toThrow(/eu-central-1: kms\.keyMonth, nat\.gb, nat\.hour/);
    const borrowed = estimateCost({
      environment: 'fixture',
      stacks,
      usage: FIXTURE_USAGE,
      prices: new PriceBook(folder, 'us-east-1'),
    });
    expect(borrowed.lines.map((line) => [line.region, line.pricedFrom])).toContainEqual(['eu-central-1', 'us-east-1']);
    // 2 × 730 × $0.05 + 30 GB × $0.04 + $1 = 73.00 + 1.20 + 1.00.
    expect(borrowed.totalCents).toBe(7520);
  });

  it('a price table entry without its source page is refused, naming the file and key', () => {
    const folder = priceFolder({ 'us-east-1': { 'nat.hour': 0.05 } });
    const file = join(folder, 'us-east-1.json');
    const table = JSON.parse(readFileSync(file, 'utf8')) as { prices: Record<string, { source: string }> };
    (table.prices['nat.hour'] as { source: string }).source = '';
    writeFileSync(file, JSON.stringify(table));
    expect(() => new PriceBook(folder)).toThrow(
      'cost/prices/us-east-1.json nat.hour: source must be the https address',
    );
  });

  it('--set overrides a setting for one estimate and is validated like the file', () => {
    expect(applySetting({ usage: { a: 1 } }, 'usage.requestsPerSecond=200')).toEqual({
      usage: { a: 1, requestsPerSecond: 200 },
    });
    expect(applySetting({}, 'network.natGateways=single')).toEqual({ network: { natGateways: 'single' } });
    expect(
      configWithSettings('staging', ENVIRONMENTS_DIRECTORY, ['usage.requestsPerSecond=200']).usage.requestsPerSecond,
    ).toBe(200);
    expect(() => configWithSettings('default', ENVIRONMENTS_DIRECTORY, ['usage.requestsPerSecond=-1'])).toThrow(
      /usage\.requestsPerSecond/,
    );
  });
});

/** Synthesizes `config` into a temp folder and prices it with the committed tables, as `npm run cost` does. */
function estimateOf(config: DeploymentConfig): Estimate {
  return estimateConfig(config, new PriceBook());
}

function committed(environment: string): DeploymentConfig {
  return loadDeploymentConfig({ environment, directory: ENVIRONMENTS_DIRECTORY });
}

function price(region: string, key: string): number {
  const found = new PriceBook().find(region, key);
  if (found === undefined) throw new Error(`no ${key} in ${region}`);
  return found.price;
}

function byComponent(estimate: Estimate): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of estimate.lines) totals.set(line.component, (totals.get(line.component) ?? 0) + line.cents);
  return totals;
}

describe('the committed environments', () => {
  const estimates = new Map<string, Estimate>();
  beforeAll(() => {
    for (const environment of ['default', 'staging', 'production'])
      estimates.set(environment, estimateOf(committed(environment)));
  });

  it('every resource type they create has a decision, and every price they need is in the tables', () => {
    // estimateCost throws UnclassifiedTypesError or MissingPricesError otherwise (beforeAll would fail).
    for (const [environment, estimate] of estimates) {
      expect(estimate.totalCents, environment).toBeGreaterThan(0);
      expect(estimate.regions, environment).toContain('global');
    }
  });

  it('production costs more than staging, and only production has an ap-southeast-1 column', () => {
    const staging = estimates.get('staging') as Estimate;
    const production = estimates.get('production') as Estimate;
    expect(production.totalCents).toBeGreaterThan(staging.totalCents);
    expect(staging.regions).not.toContain('ap-southeast-1');
    expect(production.regions).toContain('ap-southeast-1');
  });

  it('with the same regions, production costs more than staging by exactly what their settings change, component by component', () => {
    const file = (name: string): Record<string, unknown> =>
      JSON.parse(readFileSync(join(ENVIRONMENTS_DIRECTORY, `${name}.json`), 'utf8')) as Record<string, unknown>;
    const productionFile = file('production');
    const stagingFile = file('staging');
    const production = committed('production');
    const staging = resolveConfig(
      { ...stagingFile, regions: productionFile.regions },
      'staging',
      'staging with production regions',
    );
    const difference = new Map<string, number>();
    const add = (component: string, prodDollars: number, stagingDollars: number): void => {
      difference.set(component, (difference.get(component) ?? 0) + toCents(prodDollars) - toCents(stagingDollars));
    };
    const hours = 730;
    const zones = (config: DeploymentConfig, region: string): number =>
      config.network.natGateways === 'single'
        ? 1
        : (config.regions.find((r) => r.region === region)?.availabilityZones.length ?? 0);
    for (const { region } of production.regions) {
      // NAT gateways (per-az: one per zone; single: one) and their Elastic IPs.
      add(
        'network',
        zones(production, region) * hours * price(region, 'nat.hour'),
        zones(staging, region) * hours * price(region, 'nat.hour'),
      );
      add(
        'network',
        zones(production, region) * hours * price(region, 'publicIpv4.hour'),
        zones(staging, region) * hours * price(region, 'publicIpv4.hour'),
      );
      // Fargate: minTasks × cpu/1024 vCPU and × memory/1024 GB, 730 hours.
      const vcpuHours = (config: DeploymentConfig): number =>
        config.service.minTasks * (config.service.cpu / 1024) * hours;
      const gbHours = (config: DeploymentConfig): number =>
        config.service.minTasks * (config.service.memoryMiB / 1024) * hours;
      add(
        'compute',
        vcpuHours(production) * price(region, 'fargate.vcpuHour'),
        vcpuHours(staging) * price(region, 'fargate.vcpuHour'),
      );
      add(
        'compute',
        gbHours(production) * price(region, 'fargate.gbHour'),
        gbHours(staging) * price(region, 'fargate.gbHour'),
      );
      // Aurora instances of the region's class.
      const instanceHours = (config: DeploymentConfig): number =>
        (config.regions.find((r) => r.region === region)?.aurora.instanceCount ?? 0) * hours;
      const instancePrice = price(region, `aurora.instanceHour.${production.aurora.instanceClass}`);
      add('aurora', instanceHours(production) * instancePrice, instanceHours(staging) * instancePrice);
      // Flow logs kept 365 days instead of 90: stored GB = monthly GB × days × 12/365.
      const stored = (config: DeploymentConfig): number =>
        config.usage.flowLogGBPerMonth *
        config.network.flowLogRetentionDays *
        (12 / 365) *
        price(region, 'logs.storageGBMonth');
      add('logs', stored(production), stored(staging));
    }
    // Production owns the registry's replication (staging sets manageReplication false): each pushed
    // GB goes from the primary to every other region.
    const replicated = production.usage.imagePushGBPerMonth * (production.regions.length - 1);
    add('data transfer', replicated * price(production.primaryRegion, 'transfer.interRegionGB'), 0);

    const actual = byComponent(estimateOf(production));
    const base = byComponent(estimateOf(staging));
    const measured = new Map(
      [...new Set([...actual.keys(), ...base.keys()])]
        .map((component) => [component, (actual.get(component) ?? 0) - (base.get(component) ?? 0)] as const)
        .filter(([, cents]) => cents !== 0),
    );
    expect(Object.fromEntries(measured)).toEqual(
      Object.fromEntries([...difference].filter(([, cents]) => cents !== 0)),
    );
  });
});

describe('provisioned DynamoDB capacity', () => {
  it('auto scaling holds the needed units at its target utilization, within its minimum and maximum', () => {
    const config = resolveConfig({ dynamodb: { billingMode: 'PROVISIONED' } }, 'provisioned', 'the cost test');
    const estimate = estimateOf(config);
    const line = (item: string): { quantity: number; cents: number } | undefined => {
      const found = estimate.lines.find(
        (l) => l.region === 'us-east-1' && l.component === 'dynamodb' && l.item === item,
      );
      return found && { quantity: found.quantity, cents: found.cents };
    };
    // Writes: 5/s × ⌈1 KB⌉ = 5 units; at the 70 % target ⌈5 ÷ 0.7⌉ = 8 (min 5, max 100); 8 × 730 h = 5,840
    // replicated WCU-hours × $0.00065 = $3.80, and as many for the index.
    expect(line('replicated write capacity unit hours')).toEqual({ quantity: 5840, cents: 380 });
    expect(line('index write capacity unit hours')).toEqual({ quantity: 5840, cents: 380 });
    // Reads: 20/s over 2 regions = 10/s × ⌈1 KB ÷ 4 KB⌉ = 10 units; ⌈10 ÷ 0.7⌉ = 15; 15 × 730 = 10,950
    // RCU-hours × $0.00013 = $1.4235 → $1.42. The index has no modelled reads: its minimum, 5 × 730 = 3,650 → $0.47.
    expect(line('read capacity unit hours')).toEqual({ quantity: 10950, cents: 142 });
    expect(line('index read capacity unit hours')).toEqual({ quantity: 3650, cents: 47 });
    expect(line('replicated write request units')).toBeUndefined();
  });
});
