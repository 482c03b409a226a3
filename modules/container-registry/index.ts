import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrReplicationConfiguration } from '@cdktf/provider-aws/lib/ecr-replication-configuration';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { EncryptionKey } from '../encryption-key/index.js';

export interface ContainerRegistryProps {
  /** Provider of the region images are pushed to; its registry replicates them to the others. */
  readonly primaryProvider: AwsProvider;
  /** Providers of every other region that runs the image; each gets a local replica repository. */
  readonly replicaProviders: readonly AwsProvider[];
  /** Repository name, the same in every region, such as `orders/service`. */
  readonly repositoryName: string;
  /**
   * Images kept per repository; older ones expire (untagged ones after a day), so rollbacks can
   * reach back this many releases.
   * @default 100
   */
  readonly retainedImages?: number;
}

/**
 * One image repository per region under the same name: the primary region's receives pushes and
 * the registry replicates every push to the replicas, so each region pulls locally and keeps
 * running while another region's registry is down. The replicas are created here rather than
 * left to replication, so they carry the same settings: immutable tags, scan on push, a customer
 * KMS key of their own region, and a lifecycle policy.
 *
 * The replication configuration is registry-wide (one per account and region): it replaces any
 * other replication rules of the primary region's registry.
 */
export class ContainerRegistry extends Construct {
  /** Repository URL per region (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
  readonly repositoryUrls: Readonly<Record<string, string>>;
  /** Repository ARN per region. */
  readonly repositoryArns: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    const retainedImages = props.retainedImages ?? 100;
    validateProps(this.node.path, props, retainedImages);
    const providers = [props.primaryProvider, ...props.replicaProviders];
    const repositories = providers.map((provider) => this.repository(provider, props.repositoryName, retainedImages));
    this.repositoryUrls = Object.fromEntries(
      providers.map((provider, index) => [provider.region!, repositories[index].repositoryUrl]),
    );
    this.repositoryArns = Object.fromEntries(
      providers.map((provider, index) => [provider.region!, repositories[index].arn]),
    );

    const primaryProvider = props.primaryProvider;
    const account = new DataAwsCallerIdentity(this, 'account', { provider: primaryProvider }).accountId;
    new EcrReplicationConfiguration(this, 'replication', {
      provider: primaryProvider,
      replicationConfiguration: {
        rule: [
          {
            destination: props.replicaProviders.map((provider) => ({ region: provider.region!, registryId: account })),
            repositoryFilter: [{ filter: props.repositoryName, filterType: 'PREFIX_MATCH' }],
          },
        ],
      },
      // Replicas must exist first so that replication writes into the managed repositories.
      dependsOn: repositories.slice(1),
    });
  }

  private repository(provider: AwsProvider, name: string, retainedImages: number): EcrRepository {
    const region = provider.region!;
    const key = new EncryptionKey(this, `key-${region}`, {
      provider,
      alias: `${name}/${region}/ecr`,
      description: `Encrypts the ${name} images in ${region}`,
    });
    const repository = new EcrRepository(this, `repository-${region}`, {
      provider,
      name,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: key.keyArn }],
      // Destroy refuses while images remain: deleting them is a deliberate, separate step.
      forceDelete: false,
    });
    new EcrLifecyclePolicy(this, `lifecycle-${region}`, {
      provider,
      repository: repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: 'Expire untagged layers of interrupted pushes after a day',
            selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 },
            action: { type: 'expire' },
          },
          {
            rulePriority: 2,
            description: `Keep the ${retainedImages} most recent images for rollbacks`,
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: retainedImages },
            action: { type: 'expire' },
          },
        ],
      }),
    });
    return repository;
  }
}

function validateProps(path: string, props: ContainerRegistryProps, retainedImages: number): void {
  const problems: string[] = [];
  if (
    !/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(props.repositoryName) ||
    props.repositoryName.length > 256
  ) {
    problems.push(
      `repositoryName: "${props.repositoryName}" is not a valid ECR name (lowercase letters, digits, and . _ - / between them, at most 256)`,
    );
  }
  const regions = [props.primaryProvider, ...props.replicaProviders].map((provider) => provider.region);
  if (regions.some((region) => region === undefined)) problems.push('every provider must name its region');
  if (new Set(regions).size !== regions.length)
    problems.push(`providers: a region appears more than once (${regions.join(', ')})`);
  if (props.replicaProviders.length === 0)
    problems.push('replicaProviders: needs at least one other region to replicate to');
  if (!Number.isInteger(retainedImages) || retainedImages < 1)
    problems.push(`retainedImages: ${retainedImages} must be a whole number of at least 1`);
  if (problems.length > 0) throw new Error(`ContainerRegistry ${path}:\n  - ${problems.join('\n  - ')}`);
}
