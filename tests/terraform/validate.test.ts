import { describe, expect, it } from 'vitest';
import { runCliOrThrow, terraformCli } from './cli.js';
import { ENVIRONMENTS, synthesizeEnvironment } from './synthesized.js';

/**
 * Every stack of the default and the three-region environment passes `init` (backend disabled)
 * and `validate` with the real AWS provider's schema and validators.
 */
const cli = terraformCli();

describe.each(ENVIRONMENTS)('%s environment', (environment) => {
  const synthesized = synthesizeEnvironment(environment);

  it.each(synthesized.stacks)(`%s passes ${cli.binary} init and validate`, async (stack) => {
    const dir = synthesized.stackDir(stack);
    await runCliOrThrow(cli, stack, dir, ['init', '-backend=false', '-input=false', '-no-color']);
    const result = await runCliOrThrow(cli, stack, dir, ['validate', '-json', '-no-color'], [0, 1]);
    const report = JSON.parse(result.stdout) as {
      valid: boolean;
      diagnostics: Array<{ severity: string; summary: string; detail?: string; address?: string }>;
    };
    const errors = report.diagnostics
      .filter((diagnostic) => diagnostic.severity === 'error')
      .map((diagnostic) => `${stack}: ${diagnostic.address ?? ''} ${diagnostic.summary}: ${diagnostic.detail ?? ''}`);
    expect(errors).toEqual([]);
    expect(report.valid).toBe(true);
  });
});
