/**
 * Writes the plain Terraform modules generated from the constructs, for HCL and OpenTofu users:
 * terraform/modules/<name>/ (*.tf.json and a README whose inputs/outputs section terraform-docs
 * renders) and an example root terraform/examples/<name>/main.tf, for every spec in specs/.
 *
 *   npm run modules:generate              # rewrite them
 *   npm run modules:generate -- --check   # exit 1, naming every stale file, when they are out of date (CI)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { hclAttributes, hclValue } from './hcl.js';
import type { ModuleSpec } from './spec.js';
import { SPECS } from './specs/index.js';
import { PROVIDER_REQUIREMENTS, REQUIRED_CLI_VERSION, synthesizeModule, type ModuleFiles } from './synthesize.js';
import { runTool } from './tools.js';

export const ROOT = join(__dirname, '..', '..');
export const MODULES_DIR = join(ROOT, 'terraform', 'modules');
export const EXAMPLES_DIR = join(ROOT, 'terraform', 'examples');

/** How a shop points `source` at a release of a module. */
export const SOURCE_TEMPLATE =
  'git::https://<git-host>/<org>/multi-region-active-active.git//terraform/modules/<name>?ref=v0.1.0';

/** The caller's provider configurations in the examples: the n-th alias of a module maps to the n-th. */
export const EXAMPLE_PROVIDERS = [
  { alias: 'use1', region: 'us-east-1' },
  { alias: 'euw1', region: 'eu-west-1' },
  { alias: 'apse2', region: 'ap-southeast-2' },
] as const;

const DOCS_BEGIN = '<!-- BEGIN_TF_DOCS -->';
const DOCS_END = '<!-- END_TF_DOCS -->';

/** The reference page whose module table the generator keeps current. */
const GUIDE = 'docs/terraform-modules.md';
const TABLE_BEGIN = '<!-- BEGIN GENERATED: module table (npm run modules:generate) -->';
const TABLE_END = '<!-- END GENERATED -->';

/** Every file of the generated tree, by path relative to the repository root. */
export function generateAll(specs: readonly ModuleSpec[] = SPECS): Map<string, string> {
  const files = new Map<string, string>();
  for (const spec of specs) {
    const moduleFiles = synthesizeModule(spec);
    const moduleDir = join('terraform', 'modules', spec.name);
    for (const [name, text] of Object.entries(moduleFiles)) files.set(join(moduleDir, name), text);
    files.set(join(moduleDir, 'README.md'), readme(spec, moduleFiles));
    files.set(
      join('terraform', 'examples', spec.name, 'main.tf'),
      exampleRoot(spec, moduleFiles, '../../modules/' + spec.name),
    );
  }
  files.set(GUIDE, guideWithTable(specs));
  return files;
}

/** docs/terraform-modules.md with its module table rendered from the specs. */
function guideWithTable(specs: readonly ModuleSpec[]): string {
  const text = readFileSync(join(ROOT, GUIDE), 'utf8');
  const begin = text.indexOf(TABLE_BEGIN);
  const end = text.indexOf(TABLE_END, begin);
  if (begin < 0 || end < 0) throw new Error(`${GUIDE}: the markers ${TABLE_BEGIN} and ${TABLE_END} are missing`);
  const table = [
    '| module | providers it takes | required inputs | example |',
    '| ------ | ------------------ | --------------- | ------- |',
    ...specs.map((spec) => {
      const inputs = Object.values(spec.inputs);
      const required = inputs.filter((input) => input.default === undefined).length;
      const providers =
        spec.regions.kind === 'single' ? '`aws`' : spec.regions.aliases.map((alias) => `\`aws.${alias}\``).join(', ');
      return `| [${spec.name}](../terraform/modules/${spec.name}/README.md) | ${providers} | ${required} of ${inputs.length} | [examples/${spec.name}](../terraform/examples/${spec.name}/main.tf) |`;
    }),
  ];
  return `${text.slice(0, begin + TABLE_BEGIN.length)}\n${table.join('\n')}\n${text.slice(end)}`;
}

type ExampleProvider = (typeof EXAMPLE_PROVIDERS)[number];

/** The module's provider names (`aws`, or `aws.primary`, ...) with the example's configuration mapped to each. */
function exampleProviders(spec: ModuleSpec): Array<{ name: string; configuration: ExampleProvider }> {
  const names = spec.regions.kind === 'single' ? ['aws'] : spec.regions.aliases.map((alias) => `aws.${alias}`);
  return names.map((name, index) => {
    const configuration = EXAMPLE_PROVIDERS[index];
    if (!configuration)
      throw new Error(`${spec.name}: the examples configure ${EXAMPLE_PROVIDERS.length} regions, not ${names.length}`);
    return { name, configuration };
  });
}

/** Provider types the module requires, from its versions.tf.json. */
function requiredProviders(files: ModuleFiles): string[] {
  const versions = JSON.parse(files['versions.tf.json'] ?? '{}') as {
    terraform: { required_providers: Record<string, unknown> };
  };
  return Object.keys(versions.terraform.required_providers);
}

/** The module call, as the example and the README show it. */
function moduleCall(spec: ModuleSpec, source: string): string[] {
  const mappings = exampleProviders(spec).map(
    ({ name, configuration }) => [name, `aws.${configuration.alias}`] as const,
  );
  const inputs = Object.entries(spec.example).map(([name, value]) => [name, hclValue(value)] as const);
  return [
    `module "${spec.name.replace(/-/g, '_')}" {`,
    `  source = ${hclValue(source)}`,
    '  providers = {',
    ...hclAttributes(mappings, '    '),
    '  }',
    '',
    ...hclAttributes(inputs, '  '),
    '}',
  ];
}

function exampleRoot(spec: ModuleSpec, files: ModuleFiles, source: string): string {
  const providers = requiredProviders(files);
  const configurations = exampleProviders(spec).map(({ configuration }) => configuration);
  const lines = [
    `# Generated by \`npm run modules:generate\` from scripts/terraform-modules/specs/${spec.name}.ts.`,
    `# A root module that calls the ${spec.name} module; in your own root, point \`source\` at a release:`,
    `#   ${SOURCE_TEMPLATE.replace('<name>', spec.name)}`,
    'terraform {',
    `  required_version = ${hclValue(REQUIRED_CLI_VERSION)}`,
    '  required_providers {',
    ...providers.flatMap((type) => {
      const requirement = PROVIDER_REQUIREMENTS[type as keyof typeof PROVIDER_REQUIREMENTS];
      return [
        `    ${type} = {`,
        ...hclAttributes(
          [
            ['source', hclValue(requirement.source)],
            ['version', hclValue(requirement.version)],
          ],
          '      ',
        ),
        '    }',
      ];
    }),
    '  }',
    '}',
    '',
    ...configurations.flatMap(({ alias, region }) => [
      'provider "aws" {',
      ...hclAttributes(
        [
          ['alias', hclValue(alias)],
          ['region', hclValue(region)],
        ],
        '  ',
      ),
      '}',
      '',
    ]),
    ...moduleCall(spec, source),
  ];
  return `${lines.join('\n')}\n`;
}

function readme(spec: ModuleSpec, files: ModuleFiles): string {
  const strategy = spec.regions;
  const regions =
    strategy.kind === 'single'
      ? `${strategy.why}`
      : `${strategy.why}\n\nThe module declares \`configuration_aliases = [${strategy.aliases.map((alias) => `aws.${alias}`).join(', ')}]\`; map each to one of your provider configurations with \`providers = { ... }\` as below. Each alias's region is read from its provider (\`data.aws_region\`).`;
  const lines = [
    `# ${spec.name}`,
    '',
    `Generated by \`npm run modules:generate\` from the construct in [modules/${spec.name}](../../../modules/${spec.name}) and its declaration in [scripts/terraform-modules/specs/${spec.name}.ts](../../../scripts/terraform-modules/specs/${spec.name}.ts); do not edit the files here.`,
    '',
    spec.summary,
    '',
    '## Regions',
    '',
    regions,
    '',
    '## Usage',
    '',
    '```hcl',
    ...moduleCall(spec, SOURCE_TEMPLATE.replace('<name>', spec.name)),
    '```',
    '',
    `A complete root module with provider configurations: [terraform/examples/${spec.name}](../../examples/${spec.name}/main.tf). Variable validation mirrors the construct's own checks; see [docs/terraform-modules.md](../../../docs/terraform-modules.md) for versions and the checks CI runs.`,
    '',
    DOCS_BEGIN,
    terraformDocs(files).trim(),
    DOCS_END,
  ];
  return `${lines.join('\n')}\n`;
}

/** terraform-docs' markdown table of the module (requirements, providers, resources, inputs, outputs). */
function terraformDocs(files: ModuleFiles): string {
  const dir = mkdtempSync(join(tmpdir(), 'terraform-docs-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return runTool('terraform-docs', ['markdown', 'table', dir]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Files under `dir` (relative to the repository root), recursively. */
function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '.terraform' ? [] : listFiles(path);
    return entry.name === '.terraform.lock.hcl' ? [] : [relative(ROOT, path)];
  });
}

/** Stale, missing and extra files of the committed tree, compared with `expected`. */
export function differences(expected: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [path, text] of expected) {
    let current: string | undefined;
    try {
      current = readFileSync(join(ROOT, path), 'utf8');
    } catch {
      current = undefined;
    }
    if (current === undefined) problems.push(`${path}: missing`);
    else if (current !== text) problems.push(`${path}: out of date`);
  }
  for (const path of [...listFiles(MODULES_DIR), ...listFiles(EXAMPLES_DIR)]) {
    if (!expected.has(path)) problems.push(`${path}: not generated by any spec (remove it)`);
  }
  return problems;
}

function main(): void {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    console.error(`modules:generate: unknown argument ${unknown.join(' ')} (allowed: --check)`);
    process.exit(2);
  }
  const expected = generateAll();
  const problems = differences(expected);
  if (args.includes('--check')) {
    if (problems.length > 0) {
      console.error(
        `The generated Terraform modules are out of date; run npm run modules:generate:\n  ${problems.join('\n  ')}`,
      );
      process.exit(1);
    }
    console.log(`terraform/modules and terraform/examples are current (${SPECS.length} modules)`);
    return;
  }
  for (const path of [...listFiles(MODULES_DIR), ...listFiles(EXAMPLES_DIR)]) {
    if (!expected.has(path)) rmSync(join(ROOT, path));
  }
  for (const [path, text] of expected) {
    mkdirSync(join(ROOT, path, '..'), { recursive: true });
    writeFileSync(join(ROOT, path), text);
  }
  console.log(
    `wrote ${SPECS.length} modules to terraform/modules and their examples to terraform/examples (${problems.length} files changed)`,
  );
}

if (require.main === module) main();
