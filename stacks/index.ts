import type { App } from 'cdktf';
import type { DeploymentConfig } from './config/index.js';
import { DataStack } from './data-stack.js';
import { NetworkStack } from './network-stack.js';

/** Every stack of a deployment, in deploy order. */
export interface Deployment {
  readonly networks: readonly NetworkStack[];
  readonly data: DataStack;
}

/** Composes the stacks of one environment into `app`. */
export function buildDeployment(app: App, config: DeploymentConfig): Deployment {
  const networks = config.regions.map((regionConfig) => new NetworkStack(app, config, regionConfig));
  const data = new DataStack(app, config, networks);
  return { networks, data };
}
