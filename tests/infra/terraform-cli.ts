import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The Terraform-compatible CLI the tests use: `TERRAFORM_BINARY_NAME` when set, else the tofu
 * built by scripts/toolchain, else `tofu` or `terraform` on PATH. Undefined when there is none.
 */
export function findTerraformCli(): string | undefined {
  const named = process.env.TERRAFORM_BINARY_NAME;
  if (named) return named;
  const toolchainDir =
    process.env.MRAA_TOOLCHAIN_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mraa-toolchain');
  const built = join(toolchainDir, 'bin', 'tofu');
  if (existsSync(built)) return built;
  return ['tofu', 'terraform'].find((name) => spawnSync(name, ['version'], { stdio: 'ignore' }).status === 0);
}

/**
 * CI sets REQUIRE_TERRAFORM_CLI=1 so that a missing CLI fails the tests that need one instead of
 * skipping them.
 */
export function terraformCliOrSkip(): string | undefined {
  const cli = findTerraformCli();
  if (!cli && process.env.REQUIRE_TERRAFORM_CLI === '1') {
    throw new Error('REQUIRE_TERRAFORM_CLI=1 but no tofu or terraform was found (run scripts/toolchain/build.sh)');
  }
  return cli;
}

/** Evaluates a Terraform expression with `<cli> console` in an empty directory; returns its JSON value. */
export function evaluateExpression(cli: string, expression: string): unknown {
  const result = spawnSync(cli, ['console'], {
    cwd: mkdtempSync(join(tmpdir(), 'tf-console-')),
    input: `jsonencode(${expression})\n`,
    encoding: 'utf8',
    env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
  });
  if (result.status !== 0) throw new Error(`${cli} console failed: ${result.stderr}`);
  // console prints the string value of jsonencode() as an HCL string literal.
  return JSON.parse(JSON.parse(result.stdout.trim()) as string);
}
