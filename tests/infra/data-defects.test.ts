/**
 * Defects of the data, registry and configuration layers found by reading the synthesized stacks
 * as a deployer would (issue 13, part 2): what a destroy leaves behind and whether it can be
 * restored, names that collide between environments of one account, and documentation that
 * disagreed with the code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  listEnvironments,
  loadDeploymentConfig,
  resolveConfig,
  type DeploymentConfig,
  type Problem,
} from '../../config/index.js';
import { DEFAULT_ENVIRONMENT_NAMES } from '../../config/validate.js';
import { CREATION_ID_HEX_DIGITS } from '../../modules/aurora-global-database/index.js';
import { REPLICATION_OWNER_PARAMETER } from '../../modules/container-registry/index.js';
import { ENVIRONMENTS_DIRECTORY, PROJECT_ROOT } from '../../stacks/synthesize.js';
import { only, present, synthesizeBeforeAll } from './fixtures.js';
import { resourcesOfType, stackOf, synthesizeOverrides, type StackJson } from './synth.js';

type Block = Record<string, unknown> & { id: string };

/** `<type>.<id>` of a whole-value reference such as `${aws_kms_key.some_id.arn}`. */
function referencedAddress(expression: unknown): string {
  const match = /^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$/.exec(String(expression));
  return `${present(match?.[1], `the type in ${String(expression)}`)}.${present(match?.[2], `the id in ${String(expression)}`)}`;
}

function blockAt(stack: StackJson, address: string): Block {
  const [type = '', id = ''] = address.split('.');
  return present(
    resourcesOfType(stack, type).find((block) => block.id === id),
    address,
  );
}

function preventsDestroy(block: Record<string, unknown>): boolean {
  return (block.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true;
}

/** The keys that encrypt what outlives a destroy: the table and replicas, and every regional cluster. */
function dataKeyAddresses(data: StackJson): string[] {
  const table = only(resourcesOfType(data, 'aws_dynamodb_table'), 'tables');
  const sse = table.server_side_encryption as { kms_key_arn: string };
  const replicas = table.replica as Array<{ kms_key_arn: string }>;
  const clusters = resourcesOfType(data, 'aws_rds_cluster');
  return [sse.kms_key_arn, ...replicas.map((replica) => replica.kms_key_arn), ...clusters.map((c) => c.kms_key_id)].map(
    referencedAddress,
  );
}

describe('a destroy of the data stack leaves backups that can be restored', () => {
  const deployment = synthesizeBeforeAll(() => synthesizeOverrides());
  const data = () => stackOf(deployment().stacks, 'data');

  it('names the final snapshot with an id new on every create, fixed for the life of the state', () => {
    const randomIds = resourcesOfType(data(), 'random_id');
    const creation = only(randomIds, 'random ids');
    // No keepers: nothing a later plan changes replaces it, so the name never shows a diff.
    expect(creation).toMatchObject({ byte_length: CREATION_ID_HEX_DIGITS / 2 });
    expect(creation.keepers).toBeUndefined();
    const clusters = resourcesOfType(data(), 'aws_rds_cluster');
    const primary = only(
      clusters.filter((cluster) => cluster.skip_final_snapshot !== true),
      'clusters that take a final snapshot',
    );
    expect(primary.final_snapshot_identifier).toBe(
      `${String(primary.cluster_identifier)}-final-\${random_id.${creation.id}.hex}`,
    );
  });

  it('gives the backup vaults, which a destroy keeps, names new on every create', () => {
    const creation = only(resourcesOfType(data(), 'random_id'), 'random ids');
    const vaults = resourcesOfType(data(), 'aws_backup_vault');
    expect(vaults).toHaveLength(deployment().config.regions.length);
    for (const vault of vaults) {
      expect(vault.name).toBe(`${deployment().config.aurora.globalClusterIdentifier}-\${random_id.${creation.id}.hex}`);
    }
  });

  it('refuses to destroy the keys of the table and the clusters and the vaults until they are released, and lists them', () => {
    const keys = dataKeyAddresses(data());
    expect(new Set(keys).size).toBe(2 * deployment().config.regions.length);
    const vaults = resourcesOfType(data(), 'aws_backup_vault').map((vault) => `aws_backup_vault.${vault.id}`);
    for (const address of [...keys, ...vaults]) expect(preventsDestroy(blockAt(data(), address)), address).toBe(true);
    // The secret's keys encrypt nothing that outlives the stack: they go with it.
    const retained = new Set([...keys, ...vaults]);
    for (const key of resourcesOfType(data(), 'aws_kms_key').filter((k) => !retained.has(`aws_kms_key.${k.id}`))) {
      expect(preventsDestroy(key), key.id).toBe(false);
    }
    expect([...(data().output?.retained_on_destroy?.value as string[])].sort()).toEqual([...retained].sort());
  });

  it('documents the release of what a destroy keeps next to the clean-up order', () => {
    const deploy = readFileSync(join(PROJECT_ROOT, 'docs', 'deploy.md'), 'utf8');
    expect(deploy).toContain('retained_on_destroy');
    expect(deploy).toContain('terraform state rm');
  });
});

describe('the documented deletion windows are the code’s', () => {
  const deployment = synthesizeBeforeAll(() => synthesizeOverrides());

  it("states the database secret's recovery window as synthesized", () => {
    const secrets = resourcesOfType(stackOf(deployment().stacks, 'data'), 'aws_secretsmanager_secret');
    const days = Number(only(secrets, 'secrets').recovery_window_in_days);
    expect(days).toBe(30);
    const deploy = readFileSync(join(PROJECT_ROOT, 'docs', 'deploy.md'), 'utf8');
    expect(deploy).toContain(`database secret enters a ${days}-day recovery window`);
    for (const page of ['README.md', join('docs', 'deploy.md'), join('docs', 'data-layer.md')]) {
      const text = readFileSync(join(PROJECT_ROOT, page), 'utf8');
      expect(text, page).not.toMatch(/same secret names\s+within 7 days/);
    }
  });
});

/** The problems `overrides` produce in environment `environment`, as `field: message` lines. */
function problemsOf(overrides: object, environment: string): string[] {
  try {
    resolveConfig(overrides, environment, 'the test');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem: Problem) => `${problem.field}: ${problem.message}`);
  }
  return [];
}

describe('two environments in one account', () => {
  const ownNames = {
    network: { namePrefix: 'qa' },
    dynamodb: { tableName: 'Orders-qa' },
    aurora: { globalClusterIdentifier: 'orders-qa-global-db' },
    dns: { domainName: 'api.qa.example.com' },
  };

  it("refuses an environment that shares the account and keeps the default environment's names, naming each field", () => {
    expect(problemsOf({ sharedAccount: true }, 'qa')).toEqual([
      `dynamodb.tableName: "Orders" is the default environment's; environment "qa" shares the account (sharedAccount), so it needs a name of its own, such as "Orders-qa"`,
      `aurora.globalClusterIdentifier: "my-global-db" is the default environment's; environment "qa" shares the account (sharedAccount), so it needs a name of its own, such as "my-global-db-qa"`,
      `network.namePrefix: "main" is the default environment's; environment "qa" shares the account (sharedAccount), so it needs a name of its own, such as "main-qa"`,
      `dns.domainName: "api.example.com" is the default environment's; environment "qa" shares the account (sharedAccount), so it needs a name of its own, such as "api.qa.example.com"`,
    ]);
    expect(problemsOf({ sharedAccount: true, ...ownNames }, 'qa')).toEqual([]);
    // An environment of its own account may keep them, and so may the default environment.
    expect(problemsOf({}, 'qa')).toEqual([]);
    expect(problemsOf({ sharedAccount: true }, 'default')).toEqual([]);
    expect(Object.keys(DEFAULT_ENVIRONMENT_NAMES)).toHaveLength(4);
  });

  it('leaves the ECR replication configuration, one per account and region, to one owner', () => {
    const owner = synthesizeOverrides({ sharedAccount: true, ...ownNames }, 'qa');
    const replication = only(
      resourcesOfType(stackOf(owner.stacks, 'registry'), 'aws_ecr_replication_configuration'),
      'replication configurations',
    );
    // The owner's rule reaches every environment's `<project>-<environment>/…` repositories.
    expect(replication.replication_configuration).toMatchObject({
      rule: [{ repository_filter: [{ filter: 'orders-', filter_type: 'PREFIX_MATCH' }] }],
    });
    // A second owner in the account and region fails on the owner's mark before it replaces the rules.
    const mark = only(resourcesOfType(stackOf(owner.stacks, 'registry'), 'aws_ssm_parameter'), 'SSM parameters');
    expect(mark).toMatchObject({ name: REPLICATION_OWNER_PARAMETER, value: 'orders/qa', provider: 'aws.us_east_1' });
    expect(replication.depends_on).toContain(`aws_ssm_parameter.${mark.id}`);
    const other = synthesizeOverrides(
      { sharedAccount: true, ...ownNames, registry: { manageReplication: false } },
      'qa',
    );
    const registry = stackOf(other.stacks, 'registry');
    expect(resourcesOfType(registry, 'aws_ecr_replication_configuration')).toEqual([]);
    expect(resourcesOfType(registry, 'aws_ssm_parameter')).toEqual([]);
    expect(resourcesOfType(registry, 'aws_ecr_repository')).toHaveLength(2);
  });

  it("keeps this repository's environments that share an account apart: distinct names, one replication owner per primary region covering the others' regions", () => {
    const configs: DeploymentConfig[] = listEnvironments(ENVIRONMENTS_DIRECTORY)
      .map((environment) => loadDeploymentConfig({ environment, directory: ENVIRONMENTS_DIRECTORY }))
      .filter((config) => config.sharedAccount);
    expect(configs.map((config) => config.environment)).toEqual(['production', 'staging']);
    const names = (config: DeploymentConfig) => [
      config.dynamodb.tableName,
      config.aurora.globalClusterIdentifier,
      config.network.namePrefix,
      config.dns.domainName,
    ];
    for (const [index, config] of configs.entries()) {
      for (const other of configs.slice(index + 1)) {
        for (const [field, name] of names(config).entries()) expect(name, String(field)).not.toBe(names(other)[field]);
      }
    }
    const primaries = [...new Set(configs.map((config) => config.primaryRegion))];
    for (const primary of primaries) {
      const group = configs.filter((config) => config.primaryRegion === primary);
      const owners = group.filter((config) => config.registry.manageReplication);
      const owner = only(owners, `replication owners in ${primary}`);
      const covered = new Set(owner.regions.map((entry) => entry.region));
      for (const config of group) {
        for (const entry of config.regions)
          expect(covered.has(entry.region), `${config.environment} ${entry.region}`).toBe(true);
      }
    }
  });
});
