import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { RegionalNetwork } from '../regional-network/index.js';
import { VpcPeeringMesh } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'networks');
    const networks = [
      { region: 'us-east-1', cidr: '10.0.0.0/16' },
      { region: 'eu-west-1', cidr: '10.1.0.0/16' },
    ].map(({ region, cidr }) => {
      const provider = new AwsProvider(this, `aws-${region}`, { region, alias: region.replace(/-/g, '_') });
      const network = new RegionalNetwork(this, `network-${region}`, {
        provider,
        name: `shop-${region}`,
        cidr,
        availabilityZones: [`${region}a`, `${region}b`],
        servicePort: 8080,
      });
      return {
        region,
        provider,
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
    new VpcPeeringMesh(this, 'peering', { name: 'shop', networks });
  }
}
