import { beforeAll, describe, expect, it } from 'vitest';
import { cidrSubnet } from '../../modules/regional-network/cidr.js';
import { SUBNET_NEWBITS, SUBNET_TIERS, type SubnetTier } from '../../modules/regional-network/index.js';
import { regionAlias } from '../../config/index.js';
import { only } from './fixtures.js';
import {
  FIVE_REGIONS,
  resourcesOfType,
  synthesizeOverrides,
  type StackJson,
  type Synthesized,
  stackOf,
} from './synth.js';
import { evaluateExpression, terraformCliOrSkip } from './terraform-cli.js';

const TIERS = Object.keys(SUBNET_TIERS) as SubnetTier[];

function subnetsByTierAndZone(stack: StackJson): Map<string, string> {
  return new Map(
    resourcesOfType(stack, 'aws_subnet').map((subnet) => {
      const tags = subnet.tags as Record<string, string>;
      return [`${tags.tier}/${subnet.availability_zone as string}`, subnet.cidr_block as string];
    }),
  );
}

describe('regional network', () => {
  let seed: Synthesized;
  let five: Synthesized;
  beforeAll(() => {
    seed = synthesizeOverrides();
    five = synthesizeOverrides({ regions: FIVE_REGIONS.map((region) => ({ region })) });
  });

  it('puts the private subnets at cidrsubnet(vpc, 8, i) and the other tiers at their offsets, as Terraform computes them', () => {
    const cli = terraformCliOrSkip();
    for (const deployment of [seed, five]) {
      const expected: string[] = [];
      const expressions: string[] = [];
      const actual: string[] = [];
      for (const regionConfig of deployment.config.regions) {
        const subnets = subnetsByTierAndZone(stackOf(deployment.stacks, `network-${regionConfig.region}`));
        regionConfig.availabilityZones.forEach((zone, index) => {
          for (const tier of TIERS) {
            const netnum = SUBNET_TIERS[tier] + index;
            actual.push(subnets.get(`${tier}/${zone}`) ?? `missing ${tier} subnet in ${zone}`);
            expected.push(cidrSubnet(regionConfig.vpcCidr, SUBNET_NEWBITS, netnum));
            expressions.push(`cidrsubnet("${regionConfig.vpcCidr}", ${SUBNET_NEWBITS}, ${netnum})`);
          }
        });
      }
      expect(actual).toEqual(expected);
      if (cli) expect(evaluateExpression(cli, `[${expressions.join(', ')}]`)).toEqual(actual);
    }
    if (!cli) console.warn('no tofu/terraform CLI found: subnet CIDRs checked against cidrSubnet() only');
  });

  it('lays the seed VPC out as documented', () => {
    const subnets = subnetsByTierAndZone(stackOf(seed.stacks, 'network-us-east-1'));
    expect([...subnets.entries()].sort()).toEqual([
      ['database/us-east-1a', '10.0.200.0/24'],
      ['database/us-east-1b', '10.0.201.0/24'],
      ['database/us-east-1c', '10.0.202.0/24'],
      ['private/us-east-1a', '10.0.0.0/24'],
      ['private/us-east-1b', '10.0.1.0/24'],
      ['private/us-east-1c', '10.0.2.0/24'],
      ['public/us-east-1a', '10.0.100.0/24'],
      ['public/us-east-1b', '10.0.101.0/24'],
      ['public/us-east-1c', '10.0.102.0/24'],
    ]);
  });

  it("creates every resource and data source of a network stack on its region's aliased provider", () => {
    for (const deployment of [seed, five]) {
      for (const { region } of deployment.config.regions) {
        const stack = stackOf(deployment.stacks, `network-${region}`);
        expect(stack.provider?.aws).toEqual([expect.objectContaining({ alias: regionAlias(region), region })]);
        const blocks = Object.values({ ...stack.resource, ...stack.data }).flatMap((byId) => Object.values(byId));
        expect(blocks.length).toBeGreaterThan(30);
        for (const block of blocks) expect(block.provider).toBe(`aws.${regionAlias(region)}`);
      }
    }
  });

  it('names the VPC <prefix>-<region> and tags every provider with project, environment, region and managed-by', () => {
    for (const { region } of seed.config.regions) {
      const stack = stackOf(seed.stacks, `network-${region}`);
      expect(only(resourcesOfType(stack, 'aws_vpc'), 'VPCs').tags).toEqual({ Name: `main-${region}` });
      const provider = only(stack.provider?.aws ?? [], 'aws providers');
      const defaultTags = only(provider.default_tags as Array<{ tags: Record<string, string> }>, 'default tags');
      expect(defaultTags.tags).toMatchObject({ project: 'orders', environment: 'test', region, 'managed-by': 'cdktf' });
    }
  });

  it('builds one NAT gateway per zone, or one in all with natGateways=single', () => {
    const single = synthesizeOverrides({ network: { natGateways: 'single' } });
    for (const { region, availabilityZones } of seed.config.regions) {
      expect(resourcesOfType(stackOf(seed.stacks, `network-${region}`), 'aws_nat_gateway')).toHaveLength(
        availabilityZones.length,
      );
      const singleStack = stackOf(single.stacks, `network-${region}`);
      const nat = only(resourcesOfType(singleStack, 'aws_nat_gateway'), 'NAT gateways');
      const routes = resourcesOfType(singleStack, 'aws_route').filter((route) => route.nat_gateway_id);
      expect(routes).toHaveLength(availabilityZones.length);
      for (const route of routes) expect(route.nat_gateway_id).toBe(`\${aws_nat_gateway.${nat.id}.id}`);
    }
  });

  it('closes the default security group and lets each tier in only from the tier in front of it', () => {
    const stack = stackOf(seed.stacks, 'network-us-east-1');
    const defaultGroup = only(resourcesOfType(stack, 'aws_default_security_group'), 'default security groups');
    expect(defaultGroup.ingress).toBeUndefined();
    expect(defaultGroup.egress).toBeUndefined();
    const groupId = (name: string) => {
      const group = resourcesOfType(stack, 'aws_security_group').find(
        (candidate) => (candidate.tags as Record<string, string> | undefined)?.Name === name,
      );
      return `\${aws_security_group.${group?.id}.id}`;
    };
    const ingress = resourcesOfType(stack, 'aws_vpc_security_group_ingress_rule');
    const openToWorld = ingress.filter((rule) => rule.cidr_ipv4 === '0.0.0.0/0' || rule.cidr_ipv6 === '::/0');
    expect(openToWorld.map((rule) => [rule.security_group_id, rule.from_port]).sort()).toEqual(
      [
        [groupId('main-us-east-1-alb'), 443],
        [groupId('main-us-east-1-alb'), 80],
      ].sort(),
    );
    const intoDatabase = ingress.filter((rule) => rule.security_group_id === groupId('main-us-east-1-database'));
    expect(intoDatabase).toEqual([
      expect.objectContaining({
        from_port: 3306,
        to_port: 3306,
        referenced_security_group_id: groupId('main-us-east-1-service'),
      }),
    ]);
    const intoService = ingress.filter((rule) => rule.security_group_id === groupId('main-us-east-1-service'));
    expect(intoService).toEqual([
      expect.objectContaining({
        from_port: seed.config.service.containerPort,
        referenced_security_group_id: groupId('main-us-east-1-alb'),
      }),
    ]);
    for (const rule of [...ingress, ...resourcesOfType(stack, 'aws_vpc_security_group_egress_rule')]) {
      expect(rule.description).toEqual(expect.any(String));
    }
  });

  it('sends flow logs to a KMS-encrypted log group with the configured retention', () => {
    const stack = stackOf(seed.stacks, 'network-eu-west-1');
    const logGroup = only(resourcesOfType(stack, 'aws_cloudwatch_log_group'), 'log groups');
    expect(logGroup.retention_in_days).toBe(seed.config.network.flowLogRetentionDays);
    expect(logGroup.kms_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
    const flowLog = only(resourcesOfType(stack, 'aws_flow_log'), 'flow logs');
    expect(flowLog).toMatchObject({
      traffic_type: 'ALL',
      log_destination: `\${aws_cloudwatch_log_group.${logGroup.id}.arn}`,
    });
    expect(only(resourcesOfType(stack, 'aws_kms_key'), 'keys').enable_key_rotation).toBe(true);
  });

  it('routes DynamoDB and S3 (ECR image layers) traffic from every private route table through gateway endpoints, not NAT', () => {
    for (const deployment of [seed, five]) {
      for (const { region } of deployment.config.regions) {
        const stack = stackOf(deployment.stacks, `network-${region}`);
        const privateTables = resourcesOfType(stack, 'aws_route_table')
          .filter((table) => String((table.tags as Record<string, string>).Name).includes('-private-'))
          .map((table) => `\${aws_route_table.${table.id}.id}`)
          .sort();
        const endpoints = resourcesOfType(stack, 'aws_vpc_endpoint');
        expect(endpoints.map((endpoint) => endpoint.service_name).sort()).toEqual([
          `com.amazonaws.${region}.dynamodb`,
          `com.amazonaws.${region}.s3`,
        ]);
        for (const endpoint of endpoints) {
          expect(endpoint.vpc_endpoint_type).toBe('Gateway');
          expect([...(endpoint.route_table_ids as string[])].sort()).toEqual(privateTables);
        }
      }
    }
  });

  it('gives the tier security groups generated names, so a create-before-destroy replacement does not collide', () => {
    for (const { region } of seed.config.regions) {
      const groups = resourcesOfType(stackOf(seed.stacks, `network-${region}`), 'aws_security_group');
      expect(groups.map((group) => (group.tags as Record<string, string>).Name).sort()).toEqual([
        `main-${region}-alb`,
        `main-${region}-database`,
        `main-${region}-service`,
      ]);
      for (const group of groups) {
        // A fixed name is unique in the VPC: the replacement created first would fail on the old one's name.
        expect(group.name, String(group.name_prefix)).toBeUndefined();
        expect(group.name_prefix).toBe(`${(group.tags as Record<string, string>).Name}-`);
        expect(group.lifecycle).toEqual({ create_before_destroy: true });
      }
    }
  });
});
