import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrReplicationConfiguration } from '@cdktf/provider-aws/lib/ecr-replication-configuration';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { Fn, Op } from 'cdktf';
import { Construct } from 'constructs';
import { accountOf } from '../account.js';
import { EncryptionKey } from '../encryption-key/index.js';
import { placementProblems, primaryAndOthers, RegionalValues, type RegionPlacement } from '../regions.js';
import { jsonText, numberText } from '../tokens.js';
import { compare, matchesPattern, PropChecks, wholeNumber, type Rule } from '../validation.js';

export interface ContainerRegistryProps {
  /** The region images are pushed to; its registry replicates them to the others. */
  readonly primaryRegion: string;
  /** Every region that runs the image, the primary among them; each gets a repository. */
  readonly regions: readonly RegionPlacement[];
  /** Repository name, the same in every region, such as `orders/service`. */
  readonly repositoryName: string;
  /**
   * Images kept per repository; older ones expire (untagged ones after a day), so rollbacks can
   * reach back this many releases.
   * @default 100
   */
  readonly retainedImages?: number;
  /**
   * Own the primary region's replication configuration. It is one per account and region, and
   * `PutReplicationConfiguration` replaces it whole (Amazon ECR User Guide, "Private image
   * replication in Amazon ECR": https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html;
   * API Reference, "PutReplicationConfiguration"), so of several deployments sharing a registry
   * exactly one may own it; the others rely on its rule (`replicationPrefix`) reaching their
   * repositories.
   * @default true
   */
  readonly manageReplication?: boolean;
  /**
   * The repository name prefix the replication rule matches (`PREFIX_MATCH`), wide enough for the
   * repositories of every deployment that relies on this one's configuration. A prefix may end
   * with a separator such as `orders-` (Amazon ECR API Reference, "RepositoryFilter": 2-256
   * characters, whose pattern lets a prefix end in `.`, `_`, `-` or `/`).
   * @default repositoryName
   */
  readonly replicationPrefix?: string;
  /**
   * Who owns the replication configuration, written into the owner's mark
   * (`REPLICATION_OWNER_PARAMETER`), such as `orders/production`.
   * @default repositoryName
   */
  readonly replicationOwner?: string;
}

/**
 * The SSM parameter, one per account and region like the replication configuration, that marks its
 * owner. Parameter names are unique per account and region, so a second deployment that would own
 * the configuration fails to create it, instead of silently replacing the first one's rules.
 */
export const REPLICATION_OWNER_PARAMETER = '/ecr/replication-configuration/owner';

/** The repository of one region. */
export interface RegionalRepository {
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`. */
  readonly repositoryUrl: string;
  readonly repositoryArn: string;
}

/**
 * One image repository per region under the same name: the primary region's receives pushes and
 * the registry replicates every push to the replicas, so each region pulls locally and keeps
 * running while another region's registry is down. The replicas are created here rather than
 * left to replication, so they carry the same settings: immutable tags, scan on push, a customer
 * KMS key of their own region, and a lifecycle policy.
 *
 * The replication configuration is registry-wide (one per account and region): it replaces any
 * other replication rules of the primary region's registry, so only one deployment per account
 * and primary region owns it (`manageReplication`).
 */
export class ContainerRegistry extends Construct {
  private readonly regional: RegionalValues<RegionalRepository>;
  private readonly keyArns = new Map<string, string>();

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    const retainedImages = props.retainedImages ?? 100;
    const checks = validateProps(this, props, retainedImages);
    const { primary, others } = primaryAndOthers(props.primaryRegion, props.regions);
    const repository = (placement: RegionPlacement) =>
      [placement.region, this.repository(placement, props.repositoryName, retainedImages)] as const;
    const primaryRepository = repository(primary);
    checks.checkAtPlanOn(primaryRepository[1]);
    const repositories = [primaryRepository, ...others.map(repository)];
    this.regional = new RegionalValues(
      `ContainerRegistry ${this.node.path}`,
      repositories.map(([region, repository]) => [
        region,
        { repositoryUrl: repository.repositoryUrl, repositoryArn: repository.arn },
      ]),
    );

    if (props.manageReplication === false) return;
    const account = accountOf(this, primary.provider).accountId;
    // The owner's mark, as account- and region-wide as the configuration itself: a second owner's
    // apply fails creating it (ParameterAlreadyExists) before it could replace this one's rules.
    const owner = new SsmParameter(this, 'replication-owner', {
      provider: primary.provider,
      name: REPLICATION_OWNER_PARAMETER,
      description: `Owner of this registry's ECR replication configuration: set registry.manageReplication false in any other deployment of this account and region`,
      type: 'SecureString',
      keyId: this.primaryKeyArn(primary.region),
      value: props.replicationOwner ?? props.repositoryName,
    });
    new EcrReplicationConfiguration(this, 'replication', {
      provider: primary.provider,
      replicationConfiguration: {
        rule: [
          {
            destination: others.map(({ region }) => ({ region, registryId: account })),
            repositoryFilter: [{ filter: props.replicationPrefix ?? props.repositoryName, filterType: 'PREFIX_MATCH' }],
          },
        ],
      },
      // Replicas must exist first so that replication writes into the managed repositories.
      dependsOn: [owner, ...repositories.slice(1).map(([, repository]) => repository)],
    });
  }

  private primaryKeyArn(region: string): string {
    const keyArn = this.keyArns.get(region);
    if (keyArn === undefined) throw new Error(`ContainerRegistry ${this.node.path}: no key for ${region}`);
    return keyArn;
  }

  /** The repository of `region`: the primary's receives pushes, the others replicas of them. */
  forRegion(region: string): RegionalRepository {
    return this.regional.forRegion(region);
  }

  private repository({ region, provider }: RegionPlacement, name: string, retainedImages: number): EcrRepository {
    const key = new EncryptionKey(this, `key-${region}`, {
      provider,
      alias: `${name}/${region}/ecr`,
      description: `Encrypts the ${name} images in ${region}`,
    });
    this.keyArns.set(region, key.keyArn);
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
      policy: jsonText({
        rules: [
          {
            rulePriority: 1,
            description: 'Expire untagged layers of interrupted pushes after a day',
            selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 },
            action: { type: 'expire' },
          },
          {
            rulePriority: 2,
            description: `Keep the ${numberText(retainedImages)} most recent images for rollbacks`,
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: retainedImages },
            action: { type: 'expire' },
          },
        ],
      }),
    });
    return repository;
  }
}

const REPOSITORY_NAME_PATTERN = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
/** Repository names have 2-256 characters (Amazon ECR API Reference, CreateRepository, repositoryName). */
export const REPOSITORY_NAME_LENGTH = { min: 2, max: 256 } as const;
const REPOSITORY_NAME_ALLOWED = `a valid ECR name (lowercase letters, digits, and . _ - / between them, ${REPOSITORY_NAME_LENGTH.min}-${REPOSITORY_NAME_LENGTH.max} characters)`;
const REPOSITORY_NAME: Rule<string> = {
  allowed: REPOSITORY_NAME_ALLOWED,
  holds: (name) =>
    REPOSITORY_NAME_PATTERN.test(name) &&
    name.length >= REPOSITORY_NAME_LENGTH.min &&
    name.length <= REPOSITORY_NAME_LENGTH.max,
  problem: (name) => `"${name}" is not ${REPOSITORY_NAME_ALLOWED}`,
  condition: (name) =>
    Op.and(
      matchesPattern(REPOSITORY_NAME_PATTERN, name),
      Op.and(
        compare(Fn.lengthOf(name), 'gte', REPOSITORY_NAME_LENGTH.min),
        compare(Fn.lengthOf(name), 'lte', REPOSITORY_NAME_LENGTH.max),
      ),
    ),
};

function validateProps(registry: ContainerRegistry, props: ContainerRegistryProps, retainedImages: number): PropChecks {
  const checks = new PropChecks(registry, `ContainerRegistry ${registry.node.path}`)
    .check('repositoryName', props.repositoryName, REPOSITORY_NAME)
    .add(...placementProblems(props.regions, props.primaryRegion));
  if (props.regions.length < 2) checks.add('regions: needs at least one region besides the primary to replicate to');
  return checks
    .check('retainedImages', retainedImages, wholeNumber(1))
    .known('manageReplication', props.manageReplication, 'it decides whether the replication configuration is created')
    .throwIfAny();
}
