import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliOrThrow, terraformCli, TOOLCHAIN_DIR } from './cli.js';

/**
 * Every example root under terraform/examples, with the generated module it calls, passes `init`
 * and `validate` against the real AWS provider's schema: the arguments the constructs set exist,
 * the aliased providers are mapped, the variable validations and preconditions are well-formed.
 * Needs the AWS provider in the toolchain's mirror (scripts/toolchain/build.sh --with-aws-provider).
 */
const ROOT = join(__dirname, '..', '..');
const awsInMirror = existsSync(join(TOOLCHAIN_DIR, 'mirror', 'registry.opentofu.org', 'hashicorp', 'aws'));
const examples = readdirSync(join(ROOT, 'terraform', 'examples')).sort();

describe.runIf(awsInMirror)('generated module examples', () => {
  const cli = terraformCli();
  // One copy of terraform/ outside the repository, so .terraform and lock files stay out of it.
  const tree = mkdtempSync(join(tmpdir(), 'module-examples-'));
  cpSync(join(ROOT, 'terraform'), tree, { recursive: true });

  it.each(examples)(`examples/%s passes ${cli.binary} init and validate`, async (example) => {
    const dir = join(tree, 'examples', example);
    await runCliOrThrow(cli, example, dir, ['init', '-input=false', '-no-color']);
    const result = await runCliOrThrow(cli, example, dir, ['validate', '-json', '-no-color'], [0, 1]);
    const report = JSON.parse(result.stdout) as {
      valid: boolean;
      diagnostics: Array<{ severity: string; summary: string; detail?: string; address?: string }>;
    };
    const errors = report.diagnostics
      .filter((diagnostic) => diagnostic.severity === 'error')
      .map((diagnostic) => `${example}: ${diagnostic.address ?? ''} ${diagnostic.summary}: ${diagnostic.detail ?? ''}`);
    expect(errors).toEqual([]);
    expect(report.valid).toBe(true);
  });
});

if (!awsInMirror) {
  it.skip(`init + validate skipped: no AWS provider in ${TOOLCHAIN_DIR}/mirror (run scripts/toolchain/build.sh --with-aws-provider)`, () => {});
}
