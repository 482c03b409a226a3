import { Fn, Token } from 'cdktf';
import { ContainerRegistry } from '../../../modules/container-registry/index.js';
import type { ModuleSpec } from '../spec.js';

export const containerRegistry: ModuleSpec = {
  name: 'container-registry',
  summary:
    "One ECR repository per region under the same name: the primary region's receives pushes and the registry replicates every push to the secondary's, so each region pulls locally and keeps running while the other region's registry is down. Both repositories have immutable tags, scan on push, a customer-managed KMS key of their own region and a lifecycle policy. The module owns the primary region's registry-wide replication configuration (one per account and region) and marks it with the SSM parameter `/ecr/replication-configuration/owner`, so a second owner's apply fails instead of replacing its rules.",
  regions: {
    kind: 'aliases',
    aliases: ['primary', 'secondary'],
    why: "Each repository, its key and its lifecycle policy are created with its region's provider, and the replication configuration with `aws.primary`: one aliased provider per region, as the construct places them.",
  },
  inputs: {
    repository_name: {
      type: 'string',
      description: 'Repository name, the same in every region, such as `orders/service`.',
      validations: [
        {
          condition:
            'can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", var.repository_name)) && length(var.repository_name) >= 2 && length(var.repository_name) <= 256',
          message:
            'repository_name must be a valid ECR name (lowercase letters, digits, and . _ - / between them, 2-256 characters).',
          rejects: ['Orders', 'orders//service', '-orders', 'o'],
        },
      ],
    },
    retained_images: {
      type: 'number',
      description: 'Images kept per repository; older ones expire (untagged ones after a day).',
      default: 100,
      validations: [
        {
          condition: 'var.retained_images == floor(var.retained_images) && var.retained_images >= 1',
          message: 'retained_images must be a whole number of at least 1.',
          rejects: [0, 2.5],
        },
      ],
    },
    replication_prefix: {
      type: 'string',
      description:
        'The repository name prefix the replication rule matches, wide enough for every deployment that relies on this configuration; empty for `repository_name`.',
      default: '',
    },
    replication_owner: {
      type: 'string',
      description:
        "Who owns the replication configuration, written into the owner's mark; empty for `repository_name`.",
      default: '',
    },
  },
  example: { repository_name: 'orders/service' },
  build(scope, input) {
    const name = input.string('repository_name');
    // `coalesce` skips the empty string: the construct's default, the repository name.
    const orName = (value: string) => Token.asString(Fn.coalesce([value, name]));
    const registry = new ContainerRegistry(scope, 'registry', {
      primaryRegion: input.region('primary'),
      regions: ['primary', 'secondary'].map((alias) => ({
        region: input.region(alias),
        provider: input.provider(alias),
      })),
      repositoryName: name,
      retainedImages: input.number('retained_images'),
      replicationPrefix: orName(input.string('replication_prefix')),
      replicationOwner: orName(input.string('replication_owner')),
    });
    const primary = registry.forRegion(input.region('primary'));
    const secondary = registry.forRegion(input.region('secondary'));
    return {
      primary_repository_url: {
        value: primary.repositoryUrl,
        description: 'The repository pushes go to, `<account>.dkr.ecr.<region>.amazonaws.com/<name>`.',
      },
      primary_repository_arn: { value: primary.repositoryArn, description: "The primary region's repository." },
      secondary_repository_url: {
        value: secondary.repositoryUrl,
        description: "The secondary region's replica repository, to pull from there.",
      },
      secondary_repository_arn: {
        value: secondary.repositoryArn,
        description: "The secondary region's replica repository.",
      },
    };
  },
};
