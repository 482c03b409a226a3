/**
 * The Go tools the module checks use, built by scripts/toolchain/build.sh into the toolchain's
 * bin/ (terraform-docs, terraform-config-inspect, tofu), or found on PATH.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const TOOLCHAIN_BIN = join(
  process.env.MRAA_TOOLCHAIN_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mraa-toolchain'),
  'bin',
);

export type Tool = 'terraform-docs' | 'terraform-config-inspect';

/** The tool's path: the toolchain's build, else the one on PATH; undefined when there is neither. */
export function findTool(tool: Tool): string | undefined {
  const built = join(TOOLCHAIN_BIN, tool);
  if (existsSync(built)) return built;
  const onPath = spawnSync(tool, ['--version'], { stdio: 'ignore' });
  return onPath.error === undefined ? tool : undefined;
}

/** The tool's path, or an error that says how to build it. */
export function requireTool(tool: Tool): string {
  const found = findTool(tool);
  if (!found) throw new Error(`${tool} not found in ${TOOLCHAIN_BIN} or on PATH: run scripts/toolchain/build.sh`);
  return found;
}

/** Runs `tool` and returns its standard output; throws with its standard error unless it exits with one of `okCodes`. */
export function runTool(tool: Tool, args: readonly string[], okCodes: readonly number[] = [0]): string {
  const binary = requireTool(tool);
  const result = spawnSync(binary, [...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status === null || !okCodes.includes(result.status))
    throw new Error(`${tool} ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}
