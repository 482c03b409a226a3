import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { RegionalNetwork } from '../modules/regional-network/index.js';
import type { DeploymentConfig, RegionConfig } from '../config/index.js';
import { DeploymentStack } from './deployment-stack.js';

/** `network-<region>`: one region's VPC and tier security groups, in a state of its own. */
export class NetworkStack extends DeploymentStack {
  readonly network: RegionalNetwork;

  constructor(
    scope: Construct,
    config: DeploymentConfig,
    readonly regionConfig: RegionConfig,
  ) {
    super(scope, `network-${regionConfig.region}`, config);
    const { region } = regionConfig;
    this.network = new RegionalNetwork(this, 'network', {
      provider: this.providerFor(region),
      name: `${config.network.namePrefix}-${region}`,
      cidr: regionConfig.vpcCidr,
      availabilityZones: regionConfig.availabilityZones,
      servicePort: config.service.containerPort,
      natGateways: config.network.natGateways,
      flowLogRetentionDays: config.network.flowLogRetentionDays,
    });
    new TerraformOutput(this, 'vpc_id', { value: this.network.vpcId });
    new TerraformOutput(this, 'private_subnet_ids', { value: this.network.privateSubnetIds });
  }
}
