// The module library as another cdktf team gets it: `npm pack` of modules/, installed by npm from
// the tarball into a fresh project (tests/library/consumer) that has its own stacks and aliased
// providers; the project type-checks against the package's declarations (through `exports` and,
// for the classic `node` resolution, `typesVersions`), compiles, and synthesizes two regions.
// The peers (cdktf, constructs, the providers) are linked from this repository's node_modules, as
// an installed project would have them, so the test needs no registry.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const CONSUMER_SOURCE = join(ROOT, 'tests', 'library', 'consumer');
const PEERS = ['cdktf', 'constructs', '@cdktf/provider-aws', '@cdktf/provider-random'];
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

interface Manifest {
  readonly name: string;
  readonly exports: Record<string, string | { types: string; default: string }>;
  readonly peerDependencies: Record<string, string>;
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'modules', 'package.json'), 'utf8')) as Manifest;
const rootDevDependencies = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
).devDependencies;
// The package is the cdktf build of the modules. The CDK Terrain check (scripts/cdk-terrain)
// migrates this tree's sources to cdktn, where there is no cdktf to pack the library against.
const CDKTF_BUILD = 'cdktf' in rootDevDependencies;

type Block = Record<string, unknown>;
interface StackJson {
  resource: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
}

function run(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

let project: string;
let tarballFiles: string[];
let stacks: Record<string, StackJson>;

beforeAll(() => {
  if (!CDKTF_BUILD) return;
  const work = mkdtempSync(join(tmpdir(), 'module-library-'));
  // `npm pack` runs the package's prepack, which builds modules/dist from the sources.
  const packed = run('npm', ['pack', './modules', '--pack-destination', work, '--json'], ROOT);
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  tarballFiles = run('tar', ['tzf', join(work, filename)], work)
    .stdout.trim()
    .split('\n');

  project = join(work, 'consumer');
  mkdirSync(project);
  for (const file of ['main.ts', 'tsconfig.json', 'tsconfig.nodenext.json']) {
    copyFileSync(join(CONSUMER_SOURCE, file), join(project, file));
  }
  const packageJson = readFileSync(join(CONSUMER_SOURCE, 'package.json'), 'utf8');
  writeFileSync(join(project, 'package.json'), packageJson.replace('LIBRARY_TARBALL', join(work, filename)));
  // npm installs the tarball (a copy, as from a registry); the peers it declares are linked below.
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--legacy-peer-deps', '--ignore-scripts'], project);
  mkdirSync(join(project, 'node_modules', '@cdktf'), { recursive: true });
  for (const peer of PEERS) symlinkSync(join(ROOT, 'node_modules', peer), join(project, 'node_modules', peer));

  run(process.execPath, [TSC, '-p', 'tsconfig.json'], project);
  run(process.execPath, [join(project, 'build', 'main.js')], project);
  const outdir = join(project, 'cdktf.out', 'stacks');
  stacks = Object.fromEntries(
    readdirSync(outdir).map((name) => [
      name,
      JSON.parse(readFileSync(join(outdir, name, 'cdk.tf.json'), 'utf8')) as StackJson,
    ]),
  );
}, 180_000);

describe.runIf(CDKTF_BUILD)('the packed library', () => {
  it('has one entry point per module folder, plus regions and account', () => {
    const moduleFolders = readdirSync(join(ROOT, 'modules'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && readdirSync(join(ROOT, 'modules', entry.name)).includes('index.ts'))
      .map((entry) => `./${entry.name}`);
    expect(Object.keys(manifest.exports).sort()).toEqual(
      [...moduleFolders, './regions', './account', './package.json'].sort(),
    );
  });

  it('holds the JavaScript and declarations every entry point names, and a README per module', () => {
    for (const [entry, target] of Object.entries(manifest.exports)) {
      const files = typeof target === 'string' ? [target] : [target.types, target.default];
      for (const file of files) expect(tarballFiles, entry).toContain(`package/${file.replace(/^\.\//, '')}`);
      if (typeof target !== 'string' && target.default.endsWith('/index.js')) {
        expect(tarballFiles, entry).toContain(`package/${entry.slice(2)}/README.md`);
      }
    }
    expect(tarballFiles.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
  });

  it('declares cdktf, constructs and the providers as peers, at the versions this repository builds with', () => {
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual([...PEERS].sort());
    for (const peer of PEERS) {
      const [major, minor] = (rootDevDependencies[peer] ?? '').split('.');
      expect(manifest.peerDependencies[peer], peer).toMatch(
        new RegExp(`^[~^]${major}\\.${peer === 'cdktf' ? minor : '\\d+'}\\.`),
      );
    }
  });
});

describe.runIf(CDKTF_BUILD)('a cdktf project that installed it', () => {
  it('resolves each entry from its own node_modules, an installed copy, and nothing outside the exports', () => {
    const consumerRequire = createRequire(join(project, 'main.js'));
    const installed = join(project, 'node_modules', ...manifest.name.split('/'));
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    for (const entry of Object.keys(manifest.exports).filter((entry) => entry !== './package.json')) {
      expect(consumerRequire.resolve(`${manifest.name}/${entry.slice(2)}`)).toMatch(new RegExp(`^${installed}/dist/`));
    }
    expect(() => consumerRequire.resolve(`${manifest.name}/dist/validation.js`)).toThrow(/is not defined by "exports"/);
  });

  it('type-checks against the declarations with NodeNext resolution too', () => {
    expect(() => run(process.execPath, [TSC, '-p', 'tsconfig.nodenext.json'], project)).not.toThrow();
  });

  it('synthesizes a network stack per region, every resource with that region’s aliased provider', () => {
    expect(Object.keys(stacks).sort()).toEqual(['data', 'network-eu-central-1', 'network-us-east-2']);
    for (const region of ['us-east-2', 'eu-central-1']) {
      const { resource } = stacks[`network-${region}`]!;
      const providers = new Set(
        Object.values(resource).flatMap((byName) => Object.values(byName).map((r) => r.provider)),
      );
      expect(providers).toEqual(new Set([`aws.${region.replace(/-/g, '_')}`]));
      expect(Object.values(resource.aws_subnet ?? {})).toHaveLength(6);
      expect(Object.values(resource.aws_nat_gateway ?? {})).toHaveLength(1);
    }
    expect(Object.values(stacks['network-eu-central-1']!.resource.aws_vpc!)[0]!.cidr_block).toBe('10.21.0.0/16');
  });

  it('synthesizes the global table in the primary region with a replica, each under a key of its own region', () => {
    const { resource } = stacks.data!;
    const [table] = Object.values(resource.aws_dynamodb_table!);
    expect(table!.provider).toBe('aws.us_east_2');
    const [replica] = table!.replica as Block[];
    expect(replica!.region_name).toBe('eu-central-1');
    const keyOf = (reference: unknown) =>
      resource.aws_kms_key![/aws_kms_key\.([^.]+)\.arn/.exec(String(reference))![1]!]!;
    expect(keyOf(replica!.kms_key_arn).provider).toBe('aws.eu_central_1');
    expect(keyOf((table!.server_side_encryption as Block).kms_key_arn).provider).toBe('aws.us_east_2');
    // The consumer's Terraform variable: its rule is a precondition, checked at plan.
    expect((table!.lifecycle as { precondition: Block[] }).precondition[0]!.condition).toContain(
      'var.point_in_time_recovery_days',
    );
  });

  it('synthesizes the Aurora global database across both regions on the networks of their stacks', () => {
    const { resource, data } = stacks.data!;
    const [globalCluster] = Object.values(resource.aws_rds_global_cluster!);
    expect(globalCluster!.provider).toBe('aws.us_east_2');
    const clusters = Object.values(resource.aws_rds_cluster!);
    expect(clusters.map((cluster) => [cluster.provider, cluster.cluster_identifier]).sort()).toEqual([
      ['aws.eu_central_1', 'shop-eu-central-1'],
      ['aws.us_east_2', 'shop-us-east-2'],
    ]);
    const writer = clusters.find((cluster) => cluster.provider === 'aws.us_east_2')!;
    const secondary = clusters.find((cluster) => cluster.provider === 'aws.eu_central_1')!;
    expect(writer.master_password).toMatch(/^\$\{random_password\..+\.result\}$/);
    expect(secondary.master_password).toBeUndefined();
    for (const group of Object.values(resource.aws_db_subnet_group!)) {
      const region = String(group.provider).replace('aws.', '').replace(/_/g, '-');
      expect(JSON.stringify(group.subnet_ids)).toContain(
        `terraform_remote_state.cross-stack-reference-input-network-${region}`,
      );
    }
    expect(Object.keys(data?.terraform_remote_state ?? {})).toHaveLength(2);
  });
});
