import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_REGIONS,
  KNOWN_REGIONS,
  loadDeploymentConfig,
  resolveConfig,
  type Problem,
} from '../../config/index.js';
import { ENVIRONMENTS_DIRECTORY } from '../../stacks/synthesize.js';

/** The problems `overrides` produce, as `field: message` lines. */
function problemsOf(overrides: unknown): string[] {
  try {
    resolveConfig(overrides, 'test', 'the test');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem: Problem) => `${problem.field}: ${problem.message}`);
  }
  return [];
}

const TWO_REGIONS = [{ region: 'us-east-1' }, { region: 'eu-west-1' }];

describe('defaults', () => {
  it('equal the seed document', () => {
    const config = resolveConfig({}, 'default', 'defaults');
    expect(config.primaryRegion).toBe('us-east-1');
    expect(config.regions.map((entry) => [entry.region, entry.vpcCidr, entry.availabilityZones])).toEqual([
      ['us-east-1', '10.0.0.0/16', ['us-east-1a', 'us-east-1b', 'us-east-1c']],
      ['eu-west-1', '10.1.0.0/16', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']],
    ]);
    expect(config.dynamodb).toMatchObject({ tableName: 'Orders', billingMode: 'PAY_PER_REQUEST' });
    expect(config.aurora).toMatchObject({
      globalClusterIdentifier: 'my-global-db',
      engine: 'aurora-mysql',
      deletionProtection: true,
    });
    expect(config.dns).toMatchObject({
      domainName: 'api.example.com',
      healthCheckIntervalSeconds: 10,
      healthCheckFailureThreshold: 2,
    });
    expect(config.alarms).toMatchObject({ alb5xxThreshold: 50, periodSeconds: 60, evaluationPeriods: 2 });
    expect(config.service.containerPort).toBe(3000);
  });

  it('give every region a non-overlapping /16 by position and zones a, b and c', () => {
    const config = resolveConfig(
      { regions: [{ region: 'us-east-1' }, { region: 'eu-west-1' }, { region: 'ap-southeast-2' }] },
      'test',
      'test',
    );
    expect(config.regions.map((entry) => entry.vpcCidr)).toEqual(['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16']);
    expect(config.regions[2]?.availabilityZones).toEqual(['ap-southeast-2a', 'ap-southeast-2b', 'ap-southeast-2c']);
  });

  it("take a region's Aurora sizing from the aurora section unless the region sets its own", () => {
    const config = resolveConfig(
      {
        aurora: { instanceClass: 'db.r7g.xlarge', instancesPerRegion: 2 },
        regions: [{ region: 'us-east-1' }, { region: 'eu-west-1', aurora: { instanceCount: 1 } }],
      },
      'test',
      'test',
    );
    expect(config.regions.map((entry) => entry.aurora)).toEqual([
      { instanceClass: 'db.r7g.xlarge', instanceCount: 2 },
      { instanceClass: 'db.r7g.xlarge', instanceCount: 1 },
    ]);
  });
});

describe('validation', () => {
  it.each([
    [
      'unknown field',
      { network: { natGateway: 'single' } },
      'network.natGateway: unknown field; allowed: namePrefix, natGateways, flowLogRetentionDays',
    ],
    ['wrong type', { service: { cpu: '512' } }, 'service.cpu: must be a number, got "512"'],
    ['not a list', { regions: 'us-east-1' }, 'regions: must be a list, got "us-east-1"'],
    [
      'fewer than two regions',
      { regions: [{ region: 'us-east-1' }] },
      'regions: active-active needs at least 2 regions, got 1',
    ],
    [
      'duplicate region',
      { regions: [...TWO_REGIONS, { region: 'us-east-1' }] },
      'regions[2].region: "us-east-1" is listed more than once; each region may appear once',
    ],
    [
      'unknown region',
      { regions: [{ region: 'us-east-1' }, { region: 'eu-west-9' }] },
      `regions[1].region: "eu-west-9" is not a known AWS region; allowed: ${KNOWN_REGIONS.join(', ')}`,
    ],
    [
      'missing region name',
      { regions: [{ region: 'us-east-1' }, { vpcCidr: '10.1.0.0/16' }] },
      'regions[1].region: is required (an AWS region name such as us-east-1)',
    ],
    [
      'primary not configured',
      { primaryRegion: 'us-west-2' },
      'primaryRegion: "us-west-2" is not one of the configured regions (us-east-1, eu-west-1)',
    ],
    [
      'invalid CIDR',
      { regions: [{ region: 'us-east-1', vpcCidr: '10.0.0/16' }, TWO_REGIONS[1]] },
      'regions[0].vpcCidr: "10.0.0/16" is not an IPv4 CIDR block such as 10.0.0.0/16',
    ],
    [
      'CIDR with host bits',
      { regions: [{ region: 'us-east-1', vpcCidr: '10.0.1.0/16' }, TWO_REGIONS[1]] },
      'regions[0].vpcCidr: "10.0.1.0/16" has host bits set; the block must start at its network address',
    ],
    [
      'VPC larger than AWS allows',
      {
        regions: [
          { region: 'us-east-1', vpcCidr: '10.0.0.0/8' },
          { region: 'eu-west-1', vpcCidr: '172.16.0.0/16' },
        ],
      },
      'regions[0].vpcCidr: "10.0.0.0/8" is larger than AWS allows for a VPC; use a prefix from /16 to /19',
    ],
    [
      'VPC too small for its tiers',
      { regions: [{ region: 'us-east-1', vpcCidr: '10.0.0.0/22' }, TWO_REGIONS[1]] },
      'regions[0].vpcCidr: "10.0.0.0/22" is too small for its subnet tiers: each tier takes /30 subnets and a load balancer\'s subnet must be a /27 or larger; use a prefix from /16 to /19',
    ],
    [
      'overlapping CIDRs',
      {
        regions: [
          { region: 'us-east-1', vpcCidr: '10.0.0.0/16' },
          { region: 'eu-west-1', vpcCidr: '10.0.32.0/19' },
        ],
      },
      'regions[1].vpcCidr: "10.0.32.0/19" overlaps us-east-1\'s 10.0.0.0/16; regional VPCs must not overlap so they can be peered',
    ],
    [
      'zone of another region',
      { regions: [{ region: 'us-east-1', availabilityZones: ['us-east-1a', 'eu-west-1b'] }, TWO_REGIONS[1]] },
      'regions[0].availabilityZones[1]: "eu-west-1b" is not a zone of us-east-1; zone names are the region followed by one letter, such as us-east-1a',
    ],
    [
      'too few zones',
      { regions: [{ region: 'us-east-1', availabilityZones: ['us-east-1a'] }, TWO_REGIONS[1]] },
      'regions[0].availabilityZones: needs 2 to 6 zones (the ALB and Aurora need two), got 1',
    ],
    [
      'duplicate zone',
      { regions: [{ region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1a'] }, TWO_REGIONS[1]] },
      'regions[0].availabilityZones[1]: "us-east-1a" is listed more than once',
    ],
    [
      'NAT mode',
      { network: { natGateways: 'none' } },
      'network.natGateways: "none" is not allowed; allowed: per-az, single',
    ],
    [
      'log retention',
      { network: { flowLogRetentionDays: 10 } },
      'network.flowLogRetentionDays: 10 is not allowed; allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
    ],
    [
      'VPC name prefix',
      { network: { namePrefix: 'Main_' } },
      'network.namePrefix: "Main_" must be 1-20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen',
    ],
    [
      'project name',
      { project: 'Orders!' },
      'project: "Orders!" must be 1-20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen',
    ],
    [
      'table name',
      { dynamodb: { tableName: 'Or' } },
      'dynamodb.tableName: "Or" is not a valid DynamoDB table name (3-255 letters, digits, underscores, hyphens and dots)',
    ],
    [
      'cluster identifier',
      { aurora: { globalClusterIdentifier: 'my--global-db-' } },
      'aurora.globalClusterIdentifier: "my--global-db-" is not a valid cluster identifier (1-63 lowercase letters, digits and hyphens, starting with a letter, no two hyphens in a row, not ending with a hyphen)',
    ],
    [
      'database name',
      { aurora: { databaseName: '1orders' } },
      'aurora.databaseName: "1orders" is not a valid MySQL database name (1-64 letters, digits and underscores, starting with a letter)',
    ],
    [
      'instance class',
      { aurora: { instanceClass: 'db.t3.medium' } },
      'aurora.instanceClass: "db.t3.medium" is not a memory-optimized class an Aurora global database accepts (db.r5, db.r6g, db.r6i, db.r7g, db.r7i, db.r8g or db.x2g, such as db.r6g.large)',
    ],
    [
      'state bucket',
      { state: { bucket: 'My_Bucket' } },
      'state.bucket: "My_Bucket" is not a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)',
    ],
    [
      'state region without bucket',
      { state: { bucketRegion: 'us-east-1' } },
      'state.bucketRegion: is set but state.bucket is not; set both or neither',
    ],
    [
      'domain name',
      { dns: { domainName: 'API_example' } },
      'dns.domainName: "API_example" is not a valid lowercase DNS name with at least two labels, such as api.example.com',
    ],
    [
      'health-check interval',
      { dns: { healthCheckIntervalSeconds: 15 } },
      'dns.healthCheckIntervalSeconds: 15 is not allowed; allowed: 10, 30',
    ],
    [
      'Fargate memory for CPU',
      { service: { cpu: 256, memoryMiB: 4096 } },
      'service.memoryMiB: 4096 is not allowed for 256 CPU units; allowed: 512, 1024, 2048',
    ],
    [
      'container port',
      { service: { containerPort: 70000 } },
      'service.containerPort: 70000 is not a port number (1-65535)',
    ],
  ])('reports %s with the field and what is allowed', (_name, overrides, expected) => {
    expect(problemsOf(overrides)).toContain(expected);
  });

  it('reports every problem at once, not just the first', () => {
    const problems = problemsOf({
      primaryRegion: 'us-west-2',
      regions: [{ region: 'us-east-1', vpcCidr: '10.0.0.0/24' }, { region: 'eu-west-9' }],
      dns: { healthCheckIntervalSeconds: 15 },
      bogus: true,
    });
    expect(problems.map((line) => line.split(':')[0]).sort()).toEqual([
      'bogus',
      'dns.healthCheckIntervalSeconds',
      'primaryRegion',
      'regions[0].vpcCidr',
      'regions[1].region',
    ]);
  });

  it('accepts every known region in a five-region deployment', () => {
    const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2', 'sa-east-1'].map((region) => ({
      region,
    }));
    expect(problemsOf({ regions })).toEqual([]);
  });
});

describe('environment files', () => {
  it('every committed environment is valid', () => {
    for (const environment of ['staging', 'production']) {
      const config = loadDeploymentConfig({ environment, directory: ENVIRONMENTS_DIRECTORY });
      expect(config.environment).toBe(environment);
    }
  });

  it('the default environment needs no file and uses the seed regions', () => {
    const config = loadDeploymentConfig({ environment: 'default', directory: mkdtempSync(join(tmpdir(), 'envs-')) });
    expect(config.regions.map((entry) => entry.region)).toEqual(DEFAULT_REGIONS);
  });

  it('names the available environments when the file is missing', () => {
    const directory = mkdtempSync(join(tmpdir(), 'envs-'));
    writeFileSync(join(directory, 'qa.json'), '{}');
    expect(() => loadDeploymentConfig({ environment: 'prod', directory })).toThrow(
      'environment: "prod" has no environment file; available: default, qa',
    );
  });

  it('reports a file that is not JSON, naming the file', () => {
    const directory = mkdtempSync(join(tmpdir(), 'envs-'));
    writeFileSync(join(directory, 'qa.json'), '{ "project": ');
    expect(() => loadDeploymentConfig({ environment: 'qa', directory })).toThrow(
      `Invalid deployment configuration in ${join(directory, 'qa.json')} (1 problem):\n  - (file): is not valid JSON`,
    );
  });

  it("lets the build pipeline's image tag win over the file", () => {
    const config = loadDeploymentConfig({
      environment: 'staging',
      directory: ENVIRONMENTS_DIRECTORY,
      imageTag: 'git-3f2a9c1',
    });
    expect(config.service.imageTag).toBe('git-3f2a9c1');
  });
});

describe('the pipeline image tag (IMAGE_TAG)', () => {
  it('gets the same check as the file’s tag, named as it was given', () => {
    expect(() => resolveConfig({}, 'test', 'the test', 'bad tag!')).toThrow(
      'IMAGE_TAG: "bad tag!" is not a valid image tag (1-128 letters, digits, underscores, dots and hyphens)',
    );
    expect(resolveConfig({}, 'test', 'the test', 'git-3f2a9c1').service.imageTag).toBe('git-3f2a9c1');
  });
});
