import type { App } from 'cdktf';
import { AppStack } from './app-stack.js';
import { CertificateStack } from './certificate-stack.js';
import type { DeploymentConfig } from '../config/index.js';
import { DataStack } from './data-stack.js';
import { DnsStack } from './dns-stack.js';
import { NetworkStack } from './network-stack.js';
import { applyPolicyPack } from '../policy/index.js';
import { RegistryStack } from './registry-stack.js';
import { ZoneStack } from './zone-stack.js';

/** Every stack of a deployment, in deploy order. */
export interface Deployment {
  readonly networks: readonly NetworkStack[];
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
  const data = new DataStack(app, config, networks);
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
  return { networks, data, zone, registry, certificates, apps, dns };
}
