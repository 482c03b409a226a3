import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { regionAlias, type DeploymentConfig } from '../config/index.js';
import type { RegionPlacement } from '../modules/regions.js';

/**
 * Where local state lives, relative to the directory Terraform runs in
 * (`cdktf.out/stacks/<stack>/`). Every stack directory sits at the same depth, so the same path
 * reaches the same file from a stack and from the `terraform_remote_state` of its consumers.
 */
export const LOCAL_STATE_ROOT = '../../../.terraform-state';

/**
 * A stack with its own Terraform state and one aliased AWS provider per region it uses, so that
 * every resource names its region (`provider = aws.us_east_1`).
 */
export class DeploymentStack extends TerraformStack {
  private readonly providers = new Map<string, AwsProvider>();

  constructor(
    scope: Construct,
    readonly stackName: string,
    readonly config: DeploymentConfig,
  ) {
    super(scope, stackName);
    configureBackend(this, stackName, config);
    // A fully qualified source makes Terraform and OpenTofu resolve the same provider.
    this.addOverride('terraform.required_providers.aws.source', 'hashicorp/aws');
  }

  /** The stack's provider for `region`, created on first use and shared by every construct. */
  providerFor(region: string): AwsProvider {
    const existing = this.providers.get(region);
    if (existing) return existing;
    const alias = regionAlias(region);
    const provider = new AwsProvider(this, `aws_${alias}`, {
      alias,
      region,
      defaultTags: [
        {
          tags: {
            project: this.config.project,
            environment: this.config.environment,
            region,
            'managed-by': 'cdktf',
            stack: this.stackName,
          },
        },
      ],
    });
    this.providers.set(region, provider);
    return provider;
  }

  /**
   * Every configured region with this stack's provider for it, in configuration order, for the
   * multi-region modules. The primary's provider is created first whatever its position, as the
   * stacks always have, so the providers' order in the synthesized JSON stays as it was.
   */
  regionPlacements(): RegionPlacement[] {
    this.providerFor(this.config.primaryRegion);
    return this.config.regions.map(({ region }) => ({ region, provider: this.providerFor(region) }));
  }
}

/**
 * S3 state (key `<environment>/<stack>.tfstate`, encrypted, S3-native locking) when the
 * environment names a bucket; otherwise a local file at a relative path, so the synthesized JSON
 * is the same on every machine.
 */
function configureBackend(stack: TerraformStack, stackName: string, config: DeploymentConfig): void {
  const { bucket, bucketRegion } = config.state;
  if (bucket === undefined) {
    new LocalBackend(stack, { path: `${LOCAL_STATE_ROOT}/${config.environment}/${stackName}.tfstate` });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket,
    key: `${config.environment}/${stackName}.tfstate`,
    region: bucketRegion ?? config.primaryRegion,
    encrypt: true,
  });
  backend.addOverride('use_lockfile', true);
}
