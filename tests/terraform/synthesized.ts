import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from '../../stacks/synthesize.js';
import { TOOLCHAIN_DIR } from './cli.js';

/** Environments the terraform tier proves: the seed's two regions and production's three. */
export const ENVIRONMENTS = ['default', 'production'] as const;

export interface SynthesizedEnvironment {
  readonly environment: string;
  readonly outdir: string;
  /** Stack names in the manifest's order. */
  readonly stacks: readonly string[];
  stackDir(stack: string): string;
}

/**
 * Synthesizes an environment with the real entry point's code path into `cdktf.out` of a fresh
 * project directory, so the stacks' relative local state paths land in that directory too.
 * `environmentsDirectory` defaults to the project's environments/.
 */
export function synthesizeEnvironment(environment: string, environmentsDirectory?: string): SynthesizedEnvironment {
  const outdir = join(mkdtempSync(join(tmpdir(), `tf-${environment}-`)), 'cdktf.out');
  synthesize({ outdir, environment, environmentsDirectory });
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { workingDirectory: string }>;
  };
  const stackDir = (stack: string): string => {
    const entry = manifest.stacks[stack];
    if (entry === undefined) throw new Error(`no stack ${stack} in ${environment}'s manifest`);
    return join(outdir, entry.workingDirectory);
  };
  const stacks = Object.keys(manifest.stacks);
  const versions = providerVersionOverrides(process.env.MRAA_PROVIDER_VERSIONS ?? mirroredProviderVersions());
  if (Object.keys(versions).length > 0) for (const stack of stacks) pinProviders(stackDir(stack), versions);
  return { environment, outdir, stacks, stackDir };
}

/**
 * MRAA_PROVIDER_VERSIONS (`aws=6.47.1,random=3.9.0`) checks the stacks against other provider
 * releases than the bindings target (an upgrade rehearsal, or the only builds a machine has),
 * through an override file beside the synthesized JSON, which stays untouched.
 */
export function providerVersionOverrides(text: string): Record<string, string> {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [, provider, version] = /^([a-z0-9-]+)=([0-9][0-9A-Za-z.+-]*)$/.exec(entry) ?? [];
      if (provider === undefined || version === undefined)
        throw new Error(`MRAA_PROVIDER_VERSIONS: "${entry}" is not <provider>=<version>, such as aws=6.47.1`);
      return [provider, version] as const;
    });
  return Object.fromEntries(entries);
}

/**
 * The versions the toolchain's mirror holds (`aws=6.47.1,random=3.9.0`), which are the only ones
 * an offline `init` can install; empty without a toolchain. scripts/toolchain/build.sh keeps
 * exactly one version of each provider there.
 */
export function mirroredProviderVersions(): string {
  const providers = join(TOOLCHAIN_DIR, 'mirror', 'registry.opentofu.org', 'hashicorp');
  if (!existsSync(providers)) return '';
  return readdirSync(providers)
    .sort()
    .flatMap((provider) => readdirSync(join(providers, provider)).map((version) => `${provider}=${version}`))
    .join(',');
}

function pinProviders(dir: string, versions: Record<string, string>): void {
  const stack = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as {
    terraform: { required_providers: Record<string, { source: string }> };
  };
  const required = stack.terraform.required_providers;
  const pinned = Object.fromEntries(
    Object.entries(versions).flatMap(([name, version]) => {
      const provider = required[name];
      return provider === undefined ? [] : [[name, { source: provider.source, version }] as const];
    }),
  );
  const override = { terraform: { required_providers: pinned } };
  writeFileSync(join(dir, 'provider_versions_override.tf.json'), JSON.stringify(override, null, 2));
}
