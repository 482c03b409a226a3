import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { regionAlias } from '../../config/index.js';
import { only, present, synthesizeBeforeAll } from './fixtures.js';
import { producingStacks, resolveReference } from './references.js';
import { FIVE_REGIONS, resourcesOfType, stackOf, synthesizeOverrides, type Synthesized } from './synth.js';

/** The production environment's three regions. */
const THREE_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1'];
const MYSQL = 3306;

type Block = Record<string, unknown> & { id: string };

const tagName = (block: Record<string, unknown>): string => String((block.tags as Record<string, string>).Name);

/** The one network stack a peering-stack value reads from, as its region. */
function producingRegion(deployment: Synthesized, value: unknown): string {
  const [producer, ...others] = producingStacks(deployment.stacks, 'peering', String(value));
  expect(others, String(value)).toEqual([]);
  expect(producer).toMatch(/^network-/);
  return present(producer, `the producer of ${String(value)}`).replace(/^network-/, '');
}

/** What a peering-stack value stands for in its network stack (`aws_route_table.x.id`, …). */
const resolved = (deployment: Synthesized, value: unknown): string =>
  resolveReference(deployment.stacks, 'peering', String(value));

/** The network stack's own `<type>.<id>.id` of each block of `type` that `where` accepts. */
function networkIds(deployment: Synthesized, region: string, type: string, where: (block: Block) => boolean): string[] {
  return resourcesOfType(stackOf(deployment.stacks, `network-${region}`), type)
    .filter(where)
    .map((block) => `\${${type}.${block.id}.id}`)
    .sort();
}

function subnetCidrs(deployment: Synthesized, region: string, tier: string): string[] {
  return resourcesOfType(stackOf(deployment.stacks, `network-${region}`), 'aws_subnet')
    .filter((subnet) => (subnet.tags as Record<string, string>).tier === tier)
    .map((subnet) => String(subnet.cidr_block))
    .sort();
}

function vpcCidr(deployment: Synthesized, region: string): string {
  return present(
    deployment.config.regions.find((entry) => entry.region === region),
    `${region} in the configuration`,
  ).vpcCidr;
}

const pairKey = (a: string, b: string): string => [a, b].sort().join(' + ');

/** Per unordered pair of regions: the connection and its accepter, checked to be on the right providers. */
function connectionsByPair(deployment: Synthesized): Map<string, { connection: Block; accepter: Block }> {
  const peering = stackOf(deployment.stacks, 'peering');
  const accepters = resourcesOfType(peering, 'aws_vpc_peering_connection_accepter');
  return new Map(
    resourcesOfType(peering, 'aws_vpc_peering_connection').map((connection) => {
      const requester = producingRegion(deployment, connection.vpc_id);
      const accepterRegion = producingRegion(deployment, connection.peer_vpc_id);
      const accepter = only(
        accepters.filter(
          (candidate) => candidate.vpc_peering_connection_id === `\${aws_vpc_peering_connection.${connection.id}.id}`,
        ),
        `accepters of ${requester} + ${accepterRegion}`,
      );
      return [pairKey(requester, accepterRegion), { connection, accepter }] as const;
    }),
  );
}

/** The references that name a pair's connection (the requester's id, or the accepter's, which is the same connection). */
function connectionReferences(pair: { connection: Block; accepter: Block }): string[] {
  return [
    `\${aws_vpc_peering_connection.${pair.connection.id}.id}`,
    `\${aws_vpc_peering_connection_accepter.${pair.accepter.id}.id}`,
  ];
}

describe.each([
  ['2 regions (the seed)', undefined],
  ['3 regions (production)', THREE_REGIONS],
  ['5 regions', FIVE_REGIONS],
])('the cross-region write path, %s', (_, regions) => {
  const deployment = synthesizeBeforeAll(() =>
    synthesizeOverrides(regions === undefined ? {} : { regions: regions.map((region) => ({ region })) }),
  );
  const regionNames = () => deployment().config.regions.map(({ region }) => region);
  const peersOf = (region: string) => regionNames().filter((other) => other !== region);

  it("peers every pair of regions once, n(n-1)/2 connections, each requested on one region's provider and accepted on the other's", () => {
    const synthesized = deployment();
    const names = regionNames();
    const peering = stackOf(synthesized.stacks, 'peering');
    const connections = resourcesOfType(peering, 'aws_vpc_peering_connection');
    expect(connections).toHaveLength((names.length * (names.length - 1)) / 2);
    const pairs = connectionsByPair(synthesized);
    const expectedPairs = names.flatMap((a, index) => names.slice(index + 1).map((b) => pairKey(a, b)));
    expect([...pairs.keys()].sort()).toEqual(expectedPairs.sort());
    for (const { connection, accepter } of pairs.values()) {
      const requester = producingRegion(synthesized, connection.vpc_id);
      const accepterRegion = producingRegion(synthesized, connection.peer_vpc_id);
      expect(requester).not.toBe(accepterRegion);
      expect(resolved(synthesized, connection.vpc_id)).toMatch(/^\$\{aws_vpc\..+\.id\}$/);
      expect(resolved(synthesized, connection.peer_vpc_id)).toMatch(/^\$\{aws_vpc\..+\.id\}$/);
      // Inter-region: the request names the peer region and cannot accept itself (the provider refuses auto_accept there).
      expect(connection).toMatchObject({ provider: `aws.${regionAlias(requester)}`, peer_region: accepterRegion });
      expect(connection.auto_accept).toBeUndefined();
      expect(accepter).toMatchObject({ provider: `aws.${regionAlias(accepterRegion)}`, auto_accept: true });
    }
    expect(resourcesOfType(peering, 'aws_vpc_peering_connection_accepter')).toHaveLength(connections.length);
  });

  it('lets each side resolve the other side’s public DNS names to private addresses once the connection is active', () => {
    const synthesized = deployment();
    const options = resourcesOfType(stackOf(synthesized.stacks, 'peering'), 'aws_vpc_peering_connection_options');
    const pairs = connectionsByPair(synthesized);
    expect(options).toHaveLength(2 * pairs.size);
    for (const { connection, accepter } of pairs.values()) {
      const requester = producingRegion(synthesized, connection.vpc_id);
      const accepterRegion = producingRegion(synthesized, connection.peer_vpc_id);
      // Options need an active connection: they read the accepter's id, so they wait for the accept.
      const mine = options.filter(
        (option) => option.vpc_peering_connection_id === `\${aws_vpc_peering_connection_accepter.${accepter.id}.id}`,
      );
      expect(mine).toHaveLength(2);
      // Each side's options are set from that side's region.
      expect(mine).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            provider: `aws.${regionAlias(requester)}`,
            requester: { allow_remote_vpc_dns_resolution: true },
          }),
          expect.objectContaining({
            provider: `aws.${regionAlias(accepterRegion)}`,
            accepter: { allow_remote_vpc_dns_resolution: true },
          }),
        ]),
      );
      for (const option of mine) expect(Object.keys(option)).not.toContain(option.requester ? 'accepter' : 'requester');
    }
  });

  it("routes every peer VPC's block through the pair's connection from every private and database route table, on the region's provider", () => {
    const synthesized = deployment();
    const routes = resourcesOfType(stackOf(synthesized.stacks, 'peering'), 'aws_route');
    const pairs = connectionsByPair(synthesized);
    let expectedRoutes = 0;
    for (const region of regionNames()) {
      const tables = networkIds(synthesized, region, 'aws_route_table', (table) => !tagName(table).endsWith('-public'));
      const databaseTables = networkIds(synthesized, region, 'aws_route_table', (table) =>
        tagName(table).endsWith('-database'),
      );
      expect(databaseTables).toHaveLength(1);
      expect(tables).toHaveLength(
        present(
          synthesized.config.regions.find((r) => r.region === region),
          region,
        ).availabilityZones.length + 1,
      );
      const regionRoutes = routes.filter((route) => producingRegion(synthesized, route.route_table_id) === region);
      for (const route of regionRoutes) expect(route.provider).toBe(`aws.${regionAlias(region)}`);
      for (const peer of peersOf(region)) {
        const pair = present(pairs.get(pairKey(region, peer)), `the connection of ${region} + ${peer}`);
        const toPeer = regionRoutes.filter((route) => route.destination_cidr_block === vpcCidr(synthesized, peer));
        expect(
          toPeer.map((route) => resolved(synthesized, route.route_table_id)).sort(),
          `${region} → ${peer}`,
        ).toEqual(tables);
        for (const route of toPeer) expect(connectionReferences(pair)).toContain(route.vpc_peering_connection_id);
        expectedRoutes += tables.length;
      }
    }
    // Nothing else: no route in a public table, none to the internet through a peer.
    expect(routes).toHaveLength(expectedRoutes);
  });

  it("admits MySQL into every region's database group from every other region's private (service) subnets, and nothing wider", () => {
    const synthesized = deployment();
    const peering = stackOf(synthesized.stacks, 'peering');
    const ingress = resourcesOfType(peering, 'aws_vpc_security_group_ingress_rule');
    let expectedRules = 0;
    for (const region of regionNames()) {
      const [databaseGroup] = networkIds(synthesized, region, 'aws_security_group', (group) =>
        tagName(group).endsWith('-database'),
      );
      const rules = ingress.filter((rule) => producingRegion(synthesized, rule.security_group_id) === region);
      for (const rule of rules) {
        expect(resolved(synthesized, rule.security_group_id)).toBe(databaseGroup);
        expect(rule).toMatchObject({
          provider: `aws.${regionAlias(region)}`,
          ip_protocol: 'tcp',
          from_port: MYSQL,
          to_port: MYSQL,
        });
        expect(rule.description).toEqual(expect.stringMatching(/\S/));
        expect(rule.referenced_security_group_id).toBeUndefined();
        expect(rule.cidr_ipv6).toBeUndefined();
      }
      const expected = peersOf(region).flatMap((peer) => subnetCidrs(synthesized, peer, 'private'));
      expect(rules.map((rule) => rule.cidr_ipv4).sort(), region).toEqual([...expected].sort());
      for (const cidr of rules.map((rule) => String(rule.cidr_ipv4))) {
        expect(cidr).toMatch(/\/24$/);
        expect(regionNames().map((name) => vpcCidr(synthesized, name))).not.toContain(cidr);
      }
      expectedRules += expected.length;
    }
    expect(ingress).toHaveLength(expectedRules);
  });

  it("lets every region's service tasks reach MySQL in every other region's database subnets only", () => {
    const synthesized = deployment();
    const egress = resourcesOfType(stackOf(synthesized.stacks, 'peering'), 'aws_vpc_security_group_egress_rule');
    let expectedRules = 0;
    for (const region of regionNames()) {
      const [serviceGroup] = networkIds(synthesized, region, 'aws_security_group', (group) =>
        tagName(group).endsWith('-service'),
      );
      const rules = egress.filter((rule) => producingRegion(synthesized, rule.security_group_id) === region);
      for (const rule of rules) {
        expect(resolved(synthesized, rule.security_group_id)).toBe(serviceGroup);
        expect(rule).toMatchObject({
          provider: `aws.${regionAlias(region)}`,
          ip_protocol: 'tcp',
          from_port: MYSQL,
          to_port: MYSQL,
        });
        expect(rule.description).toEqual(expect.stringMatching(/\S/));
      }
      const expected = peersOf(region).flatMap((peer) => subnetCidrs(synthesized, peer, 'database'));
      expect(rules.map((rule) => rule.cidr_ipv4).sort(), region).toEqual([...expected].sort());
      expectedRules += expected.length;
    }
    expect(egress).toHaveLength(expectedRules);
  });

  it('is applied after the networks and before the data and app stacks, and destroyed in the reverse order', () => {
    const synthesized = deployment();
    const manifest = JSON.parse(readFileSync(join(synthesized.outdir, 'manifest.json'), 'utf8')) as {
      stacks: Record<string, { dependencies: string[] }>;
    };
    const dependencies = (stack: string) => present(manifest.stacks[stack], `${stack} in the manifest`).dependencies;
    expect([...dependencies('peering')].sort()).toEqual(
      regionNames()
        .map((region) => `network-${region}`)
        .sort(),
    );
    expect(dependencies('data')).toContain('peering');
    for (const region of regionNames()) expect(dependencies(`app-${region}`)).toContain('data');
    const peering = stackOf(synthesized.stacks, 'peering');
    expect(peering.provider?.aws?.map((provider) => provider.region)).toEqual(expect.arrayContaining(regionNames()));
  });
});
