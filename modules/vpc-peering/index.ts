import { Route } from '@cdktf/provider-aws/lib/route';
import { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
import { VpcPeeringConnectionAccepterA } from '@cdktf/provider-aws/lib/vpc-peering-connection-accepter';
import { VpcPeeringConnectionOptions } from '@cdktf/provider-aws/lib/vpc-peering-connection-options';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { placementProblems, RegionalValues, type RegionPlacement } from '../regions.js';
import { PropChecks } from '../validation.js';

/** One region's network, as the mesh needs it; every id belongs to that region's network stack. */
export interface PeeredNetwork extends RegionPlacement {
  readonly vpcId: string;
  /** The VPC's IPv4 block; blocks of the networks must not overlap. */
  readonly vpcCidr: string;
  /** Route tables of the callers' subnets (the service tasks): each gets a route to every peer VPC. */
  readonly privateRouteTableIds: readonly string[];
  /** Route tables of the database subnets: each gets a route back to every peer VPC. */
  readonly databaseRouteTableIds: readonly string[];
  /** The callers' security group: may reach the peers' database subnets on the database port. */
  readonly serviceSecurityGroupId: string;
  /** The database security group: admits the peers' private subnets on the database port. */
  readonly databaseSecurityGroupId: string;
  /** The callers' subnet blocks, which the peers' database groups admit. */
  readonly privateSubnetCidrs: readonly string[];
  /** The database subnet blocks, which the peers' callers may reach. */
  readonly databaseSubnetCidrs: readonly string[];
}

export interface VpcPeeringMeshProps {
  /** Prefix of every connection's `Name` tag, such as `main` (`main-us-east-1-eu-west-1`). */
  readonly name: string;
  /** Two or more networks, each in its own region; every pair is peered. */
  readonly networks: readonly PeeredNetwork[];
  /**
   * Port of the database tier, opened between regions.
   * @default 3306 — MySQL
   */
  readonly databasePort?: number;
}

/** One pair's connection, seen from one of its two regions. */
export interface PeerLink {
  readonly peerRegion: string;
  /** The connection id (the same id on both sides). */
  readonly connectionId: string;
}

/**
 * A full mesh of inter-region VPC peering connections, so that the service tasks of every region
 * reach the database subnets of every other region (whichever region holds the Aurora writer).
 *
 * For each pair, the region whose name sorts first requests the connection (with
 * `peer_region`) and the later one accepts it with its own provider; once accepted, each side lets
 * the other resolve its public DNS names to private addresses. Each region routes every peer VPC's
 * block through the pair's connection from its private and database route tables, lets its
 * service tasks reach each peer's database subnets on the database port, and admits each peer's
 * private subnets into its database group on that port. Security-group references do not cross
 * regions, so the rules name subnet blocks, never whole VPCs.
 */
export class VpcPeeringMesh extends Construct {
  /** Per region: its connections, one per peer. */
  readonly links: RegionalValues<readonly PeerLink[]>;
  /** Every connection once, keyed `<requester region>/<accepter region>`. */
  readonly connectionIds: ReadonlyMap<string, string>;

  constructor(scope: Construct, id: string, props: VpcPeeringMeshProps) {
    super(scope, id);
    validateProps(this, props);
    const port = props.databasePort ?? 3306;
    const links = new Map<string, PeerLink[]>(props.networks.map((network) => [network.region, []]));
    const connectionIds = new Map<string, string>();

    // Pairs by region name, not by the order given: reordering the regions in configuration must
    // not swap requester and accepter, which would replace the connection.
    const sorted = [...props.networks].sort((a, b) => a.region.localeCompare(b.region));
    sorted.forEach((requester, index) => {
      for (const accepter of sorted.slice(index + 1)) {
        const pair = `${requester.region}-${accepter.region}`;
        const tags = { Name: `${props.name}-${pair}` };
        const connection = new VpcPeeringConnection(this, `connection-${pair}`, {
          provider: requester.provider,
          vpcId: requester.vpcId,
          peerVpcId: accepter.vpcId,
          peerRegion: accepter.region,
          tags,
          // Inter-region requests pass through initiating-request before pending-acceptance; the
          // provider's 1-minute default is tight for that.
          timeouts: { create: '10m', delete: '10m' },
        });
        const accepted = new VpcPeeringConnectionAccepterA(this, `accepter-${pair}`, {
          provider: accepter.provider,
          vpcPeeringConnectionId: connection.id,
          autoAccept: true,
          tags,
          timeouts: { create: '10m' },
        });
        // Options can only be set on an active connection, and for an inter-region connection
        // each side's options only from that side's region: two resources, both after the accept.
        const requesterOptions = new VpcPeeringConnectionOptions(this, `dns-${pair}-requester`, {
          provider: requester.provider,
          vpcPeeringConnectionId: accepted.id,
          requester: { allowRemoteVpcDnsResolution: true },
        });
        new VpcPeeringConnectionOptions(this, `dns-${pair}-accepter`, {
          provider: accepter.provider,
          vpcPeeringConnectionId: accepted.id,
          accepter: { allowRemoteVpcDnsResolution: true },
          // One change to the connection's options at a time.
          dependsOn: [requesterOptions],
        });
        connectionIds.set(`${requester.region}/${accepter.region}`, accepted.id);
        links.get(requester.region)?.push({ peerRegion: accepter.region, connectionId: accepted.id });
        links.get(accepter.region)?.push({ peerRegion: requester.region, connectionId: accepted.id });
      }
    });

    const byRegion = new RegionalValues(
      'VpcPeeringMesh networks',
      props.networks.map((n) => [n.region, n] as const),
    );
    for (const network of props.networks) {
      for (const link of links.get(network.region) ?? []) {
        this.connect(network, byRegion.forRegion(link.peerRegion), link.connectionId, port);
      }
    }
    this.links = new RegionalValues('VpcPeeringMesh', links);
    this.connectionIds = connectionIds;
  }

  /** `local`'s half of its link to `peer`: routes to the peer VPC and the database-port openings. */
  private connect(local: PeeredNetwork, peer: PeeredNetwork, connectionId: string, port: number): void {
    const { provider } = local;
    const scope = `${local.region}-to-${peer.region}`;
    const tables = [
      ...local.privateRouteTableIds.map((tableId, index) => [`private-${index}`, tableId] as const),
      ...local.databaseRouteTableIds.map((tableId, index) => [`database-${index}`, tableId] as const),
    ];
    for (const [tier, routeTableId] of tables) {
      new Route(this, `route-${scope}-${tier}`, {
        provider,
        routeTableId,
        destinationCidrBlock: peer.vpcCidr,
        vpcPeeringConnectionId: connectionId,
      });
    }
    const rule = { provider, ipProtocol: 'tcp', fromPort: port, toPort: port };
    peer.databaseSubnetCidrs.forEach((cidr, index) => {
      new VpcSecurityGroupEgressRule(this, `service-out-${scope}-${index}`, {
        ...rule,
        securityGroupId: local.serviceSecurityGroupId,
        cidrIpv4: cidr,
        description: `Service tasks to Aurora MySQL in ${peer.region} database subnet ${cidr}, over VPC peering`,
      });
    });
    peer.privateSubnetCidrs.forEach((cidr, index) => {
      new VpcSecurityGroupIngressRule(this, `database-in-${local.region}-from-${peer.region}-${index}`, {
        ...rule,
        securityGroupId: local.databaseSecurityGroupId,
        cidrIpv4: cidr,
        description: `Aurora MySQL from the service tasks in ${peer.region} private subnet ${cidr}, over VPC peering`,
      });
    });
  }
}

/** The lists of a network the mesh creates one route or rule per item of. */
const PER_ITEM_LISTS = [
  'privateRouteTableIds',
  'databaseRouteTableIds',
  'privateSubnetCidrs',
  'databaseSubnetCidrs',
] as const satisfies ReadonlyArray<keyof PeeredNetwork>;

function validateProps(mesh: VpcPeeringMesh, props: VpcPeeringMeshProps): void {
  const checks = new PropChecks(mesh, `VpcPeeringMesh ${mesh.node.path}`).add(...placementProblems(props.networks));
  if (props.networks.length < 2) checks.add(`networks: a mesh needs two or more, got ${props.networks.length}`);
  for (const network of props.networks) {
    for (const list of PER_ITEM_LISTS) {
      checks.known(`networks[${network.region}].${list}`, network[list], 'each item gets its own route or rule');
    }
  }
  checks.throwIfAny();
}
