import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_STATE_ROOT } from '../../stacks/deployment-stack.js';
import { PROJECT_ROOT } from '../../stacks/synthesize.js';
import { FIVE_REGIONS, synthesizeOverrides, type Synthesized } from './synth.js';

/** Every file under `dir`, relative path → content. */
function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

/** Runs the real entry point (`npm run synth`'s command) with the given environment variables. */
function runMain(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts/run-app.cjs')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('deployment topology and state', () => {
  let seed: Synthesized;
  beforeAll(() => {
    seed = synthesizeOverrides();
  });

  it('gives every stack a local backend at a relative path that climbs back to the project root', () => {
    const names = Object.keys(seed.stacks);
    expect(names).toEqual(expect.arrayContaining(['network-eu-west-1', 'network-us-east-1']));
    for (const [name, stack] of Object.entries(seed.stacks)) {
      expect(stack.terraform.backend).toEqual({ local: { path: `${LOCAL_STATE_ROOT}/test/${name}.tfstate` } });
      // Terraform runs in cdktf.out/stacks/<stack>/, so the path must resolve to <root>/.terraform-state.
      expect(join(seed.outdir, 'stacks', name, LOCAL_STATE_ROOT)).toBe(join(seed.outdir, '..', '.terraform-state'));
    }
  });

  it('uses one S3 backend per stack, keyed <environment>/<stack>.tfstate, encrypted, with S3 native locking', () => {
    const withBucket = synthesizeOverrides({ state: { bucket: 'orders-state', bucketRegion: 'eu-west-1' } }, 'staging');
    for (const [name, stack] of Object.entries(withBucket.stacks)) {
      expect(stack.terraform.backend).toEqual({
        s3: {
          bucket: 'orders-state',
          key: `staging/${name}.tfstate`,
          region: 'eu-west-1',
          encrypt: true,
          use_lockfile: true,
        },
      });
    }
  });

  it('names the AWS provider by its fully qualified source, pinned to the version the bindings target', () => {
    // The version the installed bindings were generated for (6.25.0 with @cdktf/provider-aws 21.22.1).
    const bindings = new AwsProvider(new TerraformStack(new App(), 'bindings'), 'aws', { region: 'us-east-1' });
    const version = bindings.terraformGeneratorMetadata?.providerVersion;
    expect(version).toMatch(/^6\.\d+\.\d+$/);
    for (const stack of Object.values(seed.stacks)) {
      expect(stack.terraform.required_providers.aws).toEqual({ source: 'hashicorp/aws', version });
    }
  });

  it('synthesizes a stack per region and per layer for five regions', () => {
    const five = synthesizeOverrides({ regions: FIVE_REGIONS.map((region) => ({ region })) });
    const networkStacks = Object.keys(five.stacks).filter((name) => name.startsWith('network-'));
    expect(networkStacks.sort()).toEqual(FIVE_REGIONS.map((region) => `network-${region}`).sort());
  });

  it('is deterministic: two synths are byte-identical and hold no machine-specific path', () => {
    const again = synthesizeOverrides();
    const first = readTree(seed.outdir);
    const second = readTree(again.outdir);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [path, content] of first) {
      expect(second.get(path), path).toBe(content);
      expect(content, path).not.toMatch(/"\/(root|home|tmp|work|Users|var)\//);
      expect(content, path).not.toContain(tmpdir());
    }
  });
});

describe('the synth command', () => {
  let workdir: string;
  let environments: string;
  beforeAll(() => {
    workdir = mkdtempSync(join(tmpdir(), 'mraa-main-'));
    environments = join(workdir, 'environments');
    mkdirSync(environments);
    writeFileSync(join(environments, 'good.json'), '{}');
    writeFileSync(
      join(environments, 'bad.json'),
      JSON.stringify({ primaryRegion: 'us-west-2', dns: { healthCheckIntervalSeconds: 15 } }),
    );
  });

  it('exits non-zero with every problem and leaves the previous output untouched on invalid configuration', () => {
    const outdir = join(workdir, 'cdktf.out');

    const good = runMain({ DEPLOY_ENV: 'good', DEPLOY_ENV_DIR: environments, CDKTF_OUTDIR: outdir });
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    const before = readTree(outdir);

    const bad = runMain({ DEPLOY_ENV: 'bad', DEPLOY_ENV_DIR: environments, CDKTF_OUTDIR: outdir });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(
      [
        `Invalid deployment configuration in ${join(environments, 'bad.json')} (2 problems):`,
        '  - dns.healthCheckIntervalSeconds: 15 is not allowed; allowed: 10, 30',
        '  - primaryRegion: "us-west-2" is not one of the configured regions (us-east-1, eu-west-1)',
        '',
      ].join('\n'),
    );
    expect(readTree(outdir)).toEqual(before);
    expect(readdirSync(workdir).sort()).toEqual(['cdktf.out', 'environments']);
  });

  it('creates an output folder whose parents do not exist yet, says what it wrote, and creates nothing when it fails', () => {
    const outdir = join(workdir, 'new', 'nested', 'cdktf.out');
    const good = runMain({ DEPLOY_ENV: 'good', DEPLOY_ENV_DIR: environments, CDKTF_OUTDIR: outdir });
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    const stacks = readdirSync(join(outdir, 'stacks')).sort();
    expect(stacks).toHaveLength(9);
    const [summary, ...listed] = good.stdout.trimEnd().split('\n');
    expect(summary).toBe(`Synthesized environment "good" (2 regions): 9 stacks in ${outdir}/stacks`);
    expect(listed.map((line) => line.trim()).sort()).toEqual(stacks);

    const failedOutdir = join(workdir, 'other', 'nested', 'cdktf.out');
    const bad = runMain({ DEPLOY_ENV: 'bad', DEPLOY_ENV_DIR: environments, CDKTF_OUTDIR: failedOutdir });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(readdirSync(workdir)).not.toContain('other');

    const blocked = join(workdir, 'a-file');
    writeFileSync(blocked, '');
    const refused = runMain({
      DEPLOY_ENV: 'good',
      DEPLOY_ENV_DIR: environments,
      CDKTF_OUTDIR: join(blocked, 'cdktf.out'),
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(`^Cannot create the output folder ${join(blocked, 'cdktf.out')}: E[A-Z]+: [^\\n]*\\n$`),
    );
  });
});
