import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { differences, generateAll, ROOT } from '../../scripts/terraform-modules/generate.js';
import { SPECS } from '../../scripts/terraform-modules/specs/index.js';
import { buildWithValues, synthesizeModule } from '../../scripts/terraform-modules/synthesize.js';
import { findTool } from '../../scripts/terraform-modules/tools.js';
import { terraformCliOrSkip } from './terraform-cli.js';

/**
 * The plain Terraform modules generated from the constructs (npm run modules:generate): the
 * committed folders are current, the JSON is a module (no backend, provider configuration or cdktf
 * metadata), and every variable validation refuses what the construct refuses.
 */

const terraformDocs = findTool('terraform-docs');
if (!terraformDocs && process.env.REQUIRE_TERRAFORM_CLI === '1') {
  throw new Error('REQUIRE_TERRAFORM_CLI=1 but terraform-docs was not found (run scripts/toolchain/build.sh)');
}
const tofu = terraformCliOrSkip();

type Json = Record<string, Record<string, Record<string, unknown>>>;

/** `tofu plan` of a throwaway root made of `files` (name → contents); no provider, no state kept. */
function planRoot(files: Readonly<Record<string, string>>) {
  const dir = mkdtempSync(join(tmpdir(), 'module-root-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return spawnSync(tofu!, ['plan', '-input=false', '-no-color', '-lock=false'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
  });
}

describe.each(SPECS.map((spec) => [spec.name, spec] as const))('%s module', (_name, spec) => {
  const files = synthesizeModule(spec);
  const parse = (file: string) => JSON.parse(files[file] ?? 'null') as Json;

  it('is byte-identical on a second generation', () => {
    expect(synthesizeModule(spec)).toEqual(files);
  });

  it('holds no backend, provider configuration or cdktf metadata, and names resources without hashes', () => {
    const all = Object.values(files).join('\n');
    expect(all).not.toContain('"//"');
    expect(all).not.toContain('"backend"');
    expect(all).not.toMatch(/\/work\/|\/home\/|\/root\//);
    for (const [file, text] of Object.entries(files)) {
      const body = JSON.parse(text) as Json;
      expect(body.provider, file).toBeUndefined();
    }
    const main = parse('main.tf.json');
    const names = ['resource', 'data'].flatMap((section) =>
      Object.values(main[section] ?? {}).flatMap((blocks) => Object.keys(blocks as object)),
    );
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => /_[0-9A-F]{8}$/.test(name))).toEqual([]);
  });

  it('requires hashicorp/aws with a version range and declares the aliases its resources use', () => {
    const aws = parse('versions.tf.json').terraform?.required_providers?.aws as {
      source: string;
      version: string;
      configuration_aliases?: string[];
    };
    expect(aws.source).toBe('hashicorp/aws');
    expect(aws.version).toMatch(/^>= 6\.\d+, < 7\.0$/);
    const main = parse('main.tf.json');
    const used = new Set(
      ['resource', 'data'].flatMap((section) =>
        Object.entries(main[section] ?? {})
          .filter(([type]) => type.startsWith('aws_'))
          .flatMap(([, blocks]) => Object.values(blocks as Record<string, { provider?: string }>))
          .map((block) => block.provider ?? 'aws'),
      ),
    );
    if (spec.regions.kind === 'aliases') {
      expect([...used].sort()).toEqual(spec.regions.aliases.map((alias) => `aws.${alias}`).sort());
      expect(aws.configuration_aliases).toEqual(spec.regions.aliases.map((alias) => `aws.${alias}`));
    } else {
      expect([...used]).toEqual(['aws']);
      expect(aws.configuration_aliases).toBeUndefined();
    }
  });

  it('has an output with a description for every output of the spec and a variable for every input', () => {
    const outputs = parse('outputs.tf.json').output ?? {};
    for (const output of Object.values(outputs)) expect((output as { description: string }).description).not.toBe('');
    expect(Object.keys(parse('variables.tf.json').variable ?? {})).toEqual(Object.keys(spec.inputs));
  });

  it('creates the resources the construct creates in a cdktf stack with the example values', () => {
    const count = (body: Json) =>
      Object.fromEntries(
        Object.entries(body.resource ?? {})
          .map(([type, blocks]) => [type, Object.keys(blocks).length] as const)
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    const inStack = count(buildWithValues(spec, spec.example) as Json);
    expect(Object.keys(inStack).length).toBeGreaterThan(0);
    expect(count(parse('main.tf.json'))).toEqual(inStack);
  });

  const rejected = Object.entries(spec.inputs).flatMap(([input, declaration]) =>
    (declaration.validations ?? []).flatMap((rule) =>
      rule.rejects.map(
        (value) => [`${input} = ${JSON.stringify(value)}`, input, value, rule.message, rule.shape ?? false] as const,
      ),
    ),
  );
  const constructRejected = rejected.filter(([, , , , shape]) => !shape);
  it.runIf(constructRejected.length > 0).each(constructRejected)(
    'the construct refuses %s, naming the prop',
    (_label, input, value) => {
      const prop =
        spec.inputs[input]?.prop ?? input.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
      expect(() => buildWithValues(spec, { ...spec.example, [input]: value })).toThrow(new RegExp(`\\b${prop}\\b`));
    },
  );

  describe.runIf(tofu !== undefined)(
    `variable validation (${tofu ?? 'no tofu'} plan on the committed variables)`,
    () => {
      const committed = (file: string) => readFileSync(join(ROOT, 'terraform', 'modules', spec.name, file), 'utf8');
      /**
       * The module's preconditions that read only variables, as outputs: plan parses them and
       * shows their values, with no provider.
       */
      const preconditions = [...committed('main.tf.json').matchAll(/"condition": ("(?:[^"\\]|\\.)*")/g)]
        .map((match) => JSON.parse(match[1]!) as string)
        .filter((condition) => !/\b(aws_|data\.|random_|self\.)/.test(condition));
      const outputs = Object.fromEntries(
        preconditions.map((condition, index) => [`precondition_${index}`, { value: condition }]),
      );

      /** `tofu plan` of a root holding the module's committed variable blocks and those preconditions, with `values`. */
      const plan = (values: Record<string, unknown>) =>
        planRoot({
          'variables.tf.json': committed('variables.tf.json'),
          ...(preconditions.length > 0 ? { 'preconditions.tf.json': JSON.stringify({ output: outputs }) } : {}),
          'terraform.tfvars.json': JSON.stringify(values),
        });

      it("accepts the example values, and so do the construct's preconditions", () => {
        const result = plan(spec.example);
        expect(result.stderr).not.toContain('Error');
        expect(result.status).toBe(0);
        const values = [...result.stdout.matchAll(/precondition_\d+ = (\S+)/g)].map((match) => match[1]);
        expect(values).toEqual(preconditions.map(() => 'true'));
      });

      it.runIf(rejected.length > 0).each(rejected)(
        'refuses %s with the rule message',
        (_label, input, value, message) => {
          const result = plan({ ...spec.example, [input]: value });
          expect(result.status).toBe(1);
          expect(result.stderr.replace(/\s+/g, ' ')).toContain(message.replace(/\s+/g, ' '));
        },
      );
    },
  );
});

describe.runIf(tofu !== undefined)('example roots', () => {
  it(`are laid out as ${tofu ?? 'tofu'} fmt lays them out`, () => {
    const result = spawnSync(tofu!, ['fmt', '-check', '-recursive', '-diff', '-no-color', 'terraform/examples'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});

describe.runIf(terraformDocs !== undefined)('npm run modules:generate -- --check', () => {
  it('passes: the committed terraform/modules and terraform/examples are current', () => {
    const result = spawnSync('npx', ['tsx', 'scripts/terraform-modules/generate.ts', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('are current');
  });

  it('names a stale, a missing and an extra file', () => {
    const expected = generateAll(SPECS.slice(0, 1));
    const [first] = expected.keys();
    expected.set(first!, `${expected.get(first!)} `);
    expected.set('terraform/modules/not-a-module/main.tf.json', '{}\n');
    const problems = differences(expected);
    expect(problems).toContain(`${first}: out of date`);
    expect(problems).toContain('terraform/modules/not-a-module/main.tf.json: missing');
    // Every other spec's files exist on disk but were not expected here.
    expect(problems.some((problem) => problem.endsWith('not generated by any spec (remove it)'))).toBe(
      SPECS.length > 1,
    );
  });
});
