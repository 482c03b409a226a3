import type { App } from 'cdktf';
import { AppStack } from './app-stack.js';
import { CertificateStack } from './certificate-stack.js';
import type { DeploymentConfig } from '../config/index.js';
import { DataStack } from './data-stack.js';
import { DnsStack } from './dns-stack.js';
import { NetworkStack } from './network-stack.js';
import { PeeringStack } from './peering-stack.js';
import { applyPolicyPack } from '../policy/index.js';
import { RegistryStack } from './registry-stack.js';
import { ZoneStack } from './zone-stack.js';

/** Every stack of a deployment, in deploy order. */
export interface Deployment {
  readonly networks: readonly NetworkStack[];
  /** The VPC peering mesh: every region's service reaches the Aurora writer in any region. */
  readonly peering: PeeringStack;
  readonly data: DataStack;
  /** Only with `dns.createHostedZone`. */
  readonly zone?: ZoneStack;
  readonly registry: RegistryStack;
  readonly certificates: CertificateStack;
  readonly apps: readonly AppStack[];
  readonly dns: DnsStack;
}

/** Composes the stacks of one environment into `app`. */
export function buildDeployment(app: App, config: DeploymentConfig): Deployment {
  const networks = config.regions.map((regionConfig) => new NetworkStack(app, config, regionConfig));
  const peering = new PeeringStack(app, config, networks);
  const data = new DataStack(app, config, networks);
  // The write path exists before anything that writes: data, then the apps, come after peering
  // (`cdktf deploy '*'` follows these dependencies; destroy runs them in reverse).
  data.addDependency(peering);
  const zone = config.dns.createHostedZone ? new ZoneStack(app, config) : undefined;
  const registry = new RegistryStack(app, config);
  const certificates = new CertificateStack(app, config, zone);
  const apps = networks.map(
    (network) =>
      new AppStack(app, config, network.regionConfig, {
        network,
        data,
        registry,
        certificates,
      }),
  );
  const dns = new DnsStack(app, config, apps, zone);
  // Keep last: the policy pack is added to the stacks that exist when it runs.
  applyPolicyPack(app, { environment: config.environment });
  return { networks, peering, data, zone, registry, certificates, apps, dns };
}
