import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config/index.js';
import { RegionalValues } from '../modules/regions.js';
import { VpcPeeringMesh, type PeeredNetwork } from '../modules/vpc-peering/index.js';
import { DeploymentStack } from './deployment-stack.js';
import type { NetworkStack } from './network-stack.js';

/**
 * `peering`: the cross-region write path. Every region's service writes to the Aurora global
 * writer endpoint, which resolves to a private address in whichever region holds the writer, so
 * every pair of regional VPCs is peered (a full mesh, n(n-1)/2 connections), with one aliased
 * provider per region: routes to every peer VPC from the private and database subnets, and the
 * database port open from every peer's private subnets. Applied after the `network-*` stacks, whose
 * ids it reads, and before `data` and the app stacks.
 */
export class PeeringStack extends DeploymentStack {
  readonly mesh: VpcPeeringMesh;

  constructor(scope: Construct, config: DeploymentConfig, networks: readonly NetworkStack[]) {
    super(scope, 'peering', config);
    const networkOf = new RegionalValues(
      'PeeringStack networks',
      networks.map((stack) => [stack.regionConfig.region, stack.network] as const),
    );
    const peered = this.regionPlacements().map((placement): PeeredNetwork => {
      const network = networkOf.forRegion(placement.region);
      return {
        ...placement,
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        privateRouteTableIds: network.privateRouteTableIds,
        databaseRouteTableIds: network.databaseRouteTableIds,
        serviceSecurityGroupId: network.serviceSecurityGroupId,
        databaseSecurityGroupId: network.databaseSecurityGroupId,
        privateSubnetCidrs: network.privateSubnetCidrs,
        databaseSubnetCidrs: network.databaseSubnetCidrs,
      };
    });
    this.mesh = new VpcPeeringMesh(this, 'mesh', {
      name: config.network.namePrefix,
      networks: peered,
    });
    new TerraformOutput(this, 'peering_connection_ids', {
      description: 'Every VPC peering connection of the mesh, keyed <requester region>/<accepter region>',
      value: Object.fromEntries(this.mesh.connectionIds),
    });
  }
}
