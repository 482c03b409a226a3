import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_PROVIDERS } from '../../scripts/terraform-modules/generate.js';
import { plannedCreations, runCliOrThrow, terraformCli, TOOLCHAIN_DIR } from './cli.js';
import { startMoto, type Moto } from './moto.js';

/**
 * Every example root under terraform/examples, with the generated module it calls, passes `init`
 * and `validate` against the real AWS provider's schema (the arguments the constructs set exist,
 * the aliased providers are mapped, the variable validations and preconditions are well-formed),
 * then plans against the moto AWS emulator: the data sources answer, the preconditions hold for
 * the example's values, and the plan creates every resource of the module.
 * Needs the AWS provider in the toolchain's mirror (scripts/toolchain/build.sh --with-aws-provider).
 */
const ROOT = join(__dirname, '..', '..');
const awsInMirror = existsSync(join(TOOLCHAIN_DIR, 'mirror', 'registry.opentofu.org', 'hashicorp', 'aws'));
const examples = readdirSync(join(ROOT, 'terraform', 'examples')).sort();

/** AWS APIs the modules' data sources call while planning (the caller identity). */
const PLAN_SERVICES = ['sts', 'iam', 'ec2', 'kms', 'logs'];

/**
 * Points every provider configuration of the example at moto with fake credentials, through an
 * override file, so the example itself stays as a user copies it.
 */
function writeMotoOverride(dir: string, endpoint: string): void {
  const provider = EXAMPLE_PROVIDERS.map(({ alias }) => ({
    alias,
    access_key: 'test',
    secret_key: 'test',
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    endpoints: [Object.fromEntries(PLAN_SERVICES.map((service) => [service, endpoint]))],
  }));
  const configured = readFileSync(join(dir, 'main.tf'), 'utf8');
  const used = provider.filter(({ alias }) => configured.includes(`alias  = "${alias}"`));
  writeFileSync(join(dir, 'moto_override.tf.json'), JSON.stringify({ provider: { aws: used } }, null, 2));
}

/** Resources by type, as a sorted list of types (one entry per resource). */
function moduleResourceTypes(example: string): string[] {
  const main = JSON.parse(readFileSync(join(ROOT, 'terraform', 'modules', example, 'main.tf.json'), 'utf8')) as {
    resource?: Record<string, Record<string, unknown>>;
  };
  return Object.entries(main.resource ?? {})
    .flatMap(([type, blocks]) => Object.keys(blocks).map(() => type))
    .sort();
}

describe.runIf(awsInMirror)('generated module examples', () => {
  const cli = terraformCli();
  // One copy of terraform/ outside the repository, so .terraform and lock files stay out of it.
  const tree = mkdtempSync(join(tmpdir(), 'module-examples-'));
  cpSync(join(ROOT, 'terraform'), tree, { recursive: true });
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it.each(examples)(`examples/%s passes ${cli.binary} init and validate, and plans against moto`, async (example) => {
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

    writeMotoOverride(dir, moto.endpoint);
    const created = await plannedCreations(cli, example, dir);
    expect(created).toEqual(moduleResourceTypes(example));
  });
});

if (!awsInMirror) {
  it.skip(`init + validate skipped: no AWS provider in ${TOOLCHAIN_DIR}/mirror (run scripts/toolchain/build.sh --with-aws-provider)`, () => {});
}
