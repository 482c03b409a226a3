import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { ContainerRegistry } from '../modules/container-registry/index.js';
import { serviceNamePrefix, type DeploymentConfig } from '../config/index.js';
import { DeploymentStack } from './deployment-stack.js';

/** What a region's service pulls. */
export interface RegionalImage {
  /** `<repository-url>:<tag>` of the configured image in the region's own repository. */
  readonly image: string;
  /** The region's repository, which the service's execution role may pull from. */
  readonly repositoryArn: string;
}

/**
 * `registry`: the service's image repository in the primary region, replicated to a managed
 * repository in every other region. Deployed before the app stacks; push the image (tag
 * `service.imageTag` / `IMAGE_TAG`) to the primary repository before applying them.
 */
export class RegistryStack extends DeploymentStack {
  readonly registry: ContainerRegistry;

  constructor(scope: Construct, config: DeploymentConfig) {
    super(scope, 'registry', config);
    this.registry = new ContainerRegistry(this, 'registry', {
      primaryRegion: config.primaryRegion,
      regions: this.regionPlacements(),
      repositoryName: `${serviceNamePrefix(config)}/service`,
      // One owner per account and primary region (the configuration is registry-wide); its rule
      // covers every environment's `<project>-<environment>/…` repositories.
      manageReplication: config.registry.manageReplication,
      replicationPrefix: `${config.project}-`,
      replicationOwner: `${config.project}/${config.environment}`,
    });
    new TerraformOutput(this, 'push_repository_url', {
      description: 'Push images here; the registry replicates them to every other region',
      value: this.registry.forRegion(config.primaryRegion).repositoryUrl,
    });
  }

  /** The image `region`'s service runs, from that region's own repository. */
  forRegion(region: string): RegionalImage {
    const { repositoryUrl, repositoryArn } = this.registry.forRegion(region);
    return { image: `${repositoryUrl}:${this.config.service.imageTag}`, repositoryArn };
  }
}
