import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findTerraformCli } from '../infra/terraform-cli.js';

/** Where scripts/toolchain/build.sh keeps the offline toolchain (tofu, provider mirror, moto). */
export const TOOLCHAIN_DIR =
  process.env.MRAA_TOOLCHAIN_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mraa-toolchain');

export interface TerraformCli {
  readonly binary: string;
  /** Environment for every run: the mirror-only CLI config when the toolchain has one. */
  readonly env: NodeJS.ProcessEnv;
  /** How providers are found, for messages: the offline mirror or the registry. */
  readonly providerSource: string;
}

/**
 * The CLI the terraform tier uses: the toolchain's tofu with its filesystem mirror when
 * scripts/toolchain/build.sh has run, otherwise `tofu` or `terraform` from PATH with the registry.
 */
export function terraformCli(): TerraformCli {
  const binary = findTerraformCli();
  if (!binary) throw new Error('no tofu or terraform found: run scripts/toolchain/build.sh, or install one on PATH');
  const mirrorConfig = join(TOOLCHAIN_DIR, 'tofurc');
  // A CLI config the user points at wins; some machines export TF_CLI_CONFIG_FILE for a file that does not exist.
  const ownConfig = process.env.TF_CLI_CONFIG_FILE;
  const useMirror = !(ownConfig && existsSync(ownConfig)) && existsSync(mirrorConfig);
  // One unpacked copy of each provider, linked into every stack's .terraform (the AWS provider is ~0.9 GB).
  const pluginCache = process.env.TF_PLUGIN_CACHE_DIR ?? join(TOOLCHAIN_DIR, 'plugin-cache');
  mkdirSync(pluginCache, { recursive: true });
  return {
    binary,
    env: {
      ...process.env,
      ...(useMirror ? { TF_CLI_CONFIG_FILE: mirrorConfig } : {}),
      TF_PLUGIN_CACHE_DIR: pluginCache,
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
    },
    providerSource: useMirror ? `the mirror in ${TOOLCHAIN_DIR}/mirror` : 'the registry',
  };
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in `cwd` (asynchronously, so stacks can be checked side by side). */
export function runCli(cli: TerraformCli, cwd: string, args: readonly string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cli.binary, [...args], { cwd, env: cli.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the CLI and throws, naming the stack and quoting the CLI's message, unless it exits with one of `okCodes`. */
export async function runCliOrThrow(
  cli: TerraformCli,
  stack: string,
  cwd: string,
  args: readonly string[],
  okCodes = [0],
): Promise<RunResult> {
  const result = await runCli(cli, cwd, args);
  if (result.code === null || !okCodes.includes(result.code)) {
    throw new Error(`${stack}: \`${args.join(' ')}\` exited ${result.code}\n${result.stderr || result.stdout}`);
  }
  return result;
}

/**
 * `plan -out` (which must report changes) and `show -json`: the resource types the plan creates,
 * sorted, managed resources only.
 */
export async function plannedCreations(cli: TerraformCli, name: string, dir: string): Promise<string[]> {
  // -detailed-exitcode: 2 means the plan succeeded and has changes.
  await runCliOrThrow(
    cli,
    name,
    dir,
    ['plan', '-input=false', '-no-color', '-lock=false', '-detailed-exitcode', '-out=moto.tfplan'],
    [2],
  );
  const shown = await runCliOrThrow(cli, name, dir, ['show', '-json', '-no-color', 'moto.tfplan']);
  const plan = JSON.parse(shown.stdout) as {
    resource_changes: Array<{ type: string; mode: string; change: { actions: string[] } }>;
  };
  return plan.resource_changes
    .filter((change) => change.mode === 'managed' && change.change.actions.includes('create'))
    .map((change) => change.type)
    .sort();
}
