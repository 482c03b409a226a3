import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { HostedZone } from '../modules/hosted-zone/index.js';
import type { DeploymentConfig } from '../config/index.js';
import { DeploymentStack } from './deployment-stack.js';

/** The public zone that holds the service's names: `dns.hostedZoneName`, else the domain itself. */
export function hostedZoneName(config: DeploymentConfig): string {
  return config.dns.hostedZoneName ?? config.dns.domainName;
}

/**
 * `zone` (only with `dns.createHostedZone`): the public hosted zone, in a state of its own and
 * deployed before `certificates` and `dns`, which both write records into it. Apply it first,
 * delegate its name servers (output `name_servers`) from the parent zone, then apply the rest:
 * certificate validation waits for the delegation.
 */
export class ZoneStack extends DeploymentStack {
  readonly zone: HostedZone;

  constructor(scope: Construct, config: DeploymentConfig) {
    super(scope, 'zone', config);
    this.zone = new HostedZone(this, 'hosted-zone', {
      provider: this.providerFor(config.primaryRegion),
      name: hostedZoneName(config),
      create: true,
    });
    new TerraformOutput(this, 'zone_id', { value: this.zone.zoneId });
    new TerraformOutput(this, 'name_servers', { value: this.zone.nameServers });
  }
}

/**
 * The zone id as `stack` sees it: a reference to the `zone` stack's zone when the deployment
 * creates one, else a lookup of the existing zone by name with `provider`.
 */
export function hostedZoneIdIn(
  stack: DeploymentStack,
  provider: AwsProvider,
  zoneStack: ZoneStack | undefined,
): string {
  if (zoneStack) return zoneStack.zone.zoneId;
  return new HostedZone(stack, 'hosted-zone', { provider, name: hostedZoneName(stack.config), create: false }).zoneId;
}
