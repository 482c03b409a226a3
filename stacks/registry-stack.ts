import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { ContainerRegistry } from '../modules/container-registry/index.js';
import { serviceNamePrefix, type DeploymentConfig } from '../config/index.js';
import { DeploymentStack } from './deployment-stack.js';

/**
 * `registry`: the service's image repository in the primary region, replicated to a managed
 * repository in every other region. Deployed before the app stacks; push the image (tag
 * `service.imageTag` / `IMAGE_TAG`) to the primary repository before applying them.
 */
export class RegistryStack extends DeploymentStack {
  readonly registry: ContainerRegistry;

  constructor(scope: Construct, config: DeploymentConfig) {
    super(scope, 'registry', config);
    const others = config.regions.filter((entry) => entry.region !== config.primaryRegion);
    this.registry = new ContainerRegistry(this, 'registry', {
      primaryProvider: this.providerFor(config.primaryRegion),
      replicaProviders: others.map((entry) => this.providerFor(entry.region)),
      repositoryName: `${serviceNamePrefix(config)}/service`,
    });
    new TerraformOutput(this, 'push_repository_url', {
      description: 'Push images here; the registry replicates them to every other region',
      value: this.registry.repositoryUrls[config.primaryRegion],
    });
  }

  /** `<repository-url>:<tag>` of the configured image in `region`'s own repository. */
  imageFor(region: string): string {
    return `${this.repositoryUrlOf(region)}:${this.config.service.imageTag}`;
  }

  repositoryArnFor(region: string): string {
    const arn = this.registry.repositoryArns[region];
    if (arn === undefined) throw new Error(`RegistryStack: no repository in ${region}`);
    return arn;
  }

  private repositoryUrlOf(region: string): string {
    const url = this.registry.repositoryUrls[region];
    if (url === undefined) throw new Error(`RegistryStack: no repository in ${region}`);
    return url;
  }
}
