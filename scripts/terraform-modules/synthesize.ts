/**
 * Turns a module declaration (spec.ts) into the files of a plain Terraform module: the real
 * construct is instantiated in a cdktf stack with Terraform variables for its inputs and synthesized,
 * and the synthesized JSON is made into a module: no backend, no provider configuration, no cdktf
 * metadata, `required_providers` with a version range (and `configuration_aliases` when the
 * module takes aliased providers), resource names from the construct path instead of hashed ids,
 * and the variables as the spec declares them (type, description, default, validation).
 */
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import {
  TerraformDataSource,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Testing,
} from 'cdktf';
import { Construct } from 'constructs';
import type { BuildContext, InputSpec, ModuleSpec, OutputSpec } from './spec.js';

/** The provider versions a generated module accepts: the major version the constructs are written for. */
export const PROVIDER_REQUIREMENTS = {
  aws: { source: 'hashicorp/aws', version: '>= 6.0, < 7.0' },
  random: { source: 'hashicorp/random', version: '>= 3.6, < 4.0' },
} as const;

/** Terraform and OpenTofu releases that evaluate the validation rules the modules use. */
export const REQUIRED_CLI_VERSION = '>= 1.9';

/** The files of one generated module, by file name. */
export type ModuleFiles = Record<string, string>;

type Json = Record<string, unknown>;

/** Synthesizes `spec`'s construct with Terraform variables as inputs and returns the module's files. */
export function synthesizeModule(spec: ModuleSpec): ModuleFiles {
  const stack = new TerraformStack(Testing.app(), spec.name);
  const context = new VariableContext(stack, spec);
  const outputs = spec.build(new Construct(stack, MODULE_ROOT), context);
  context.assertEveryInputUsed();
  const outputScope = new Construct(stack, 'outputs');
  for (const [name, output] of Object.entries(outputs)) {
    new TerraformOutput(outputScope, name, { value: output.value }).overrideLogicalId(name);
  }
  const synthesized = JSON.parse(Testing.synth(stack, true)) as Json;
  const renames = readableNames(stack, context.placeholders);
  return moduleFiles(spec, rewrite(spec.name, synthesized, renames, context.placeholders), outputs);
}

/**
 * Builds `spec`'s construct with concrete input values (the spec's defaults, overridden by
 * `values`), as a cdktf stack would, and returns the synthesized JSON; throws whatever the
 * construct throws: the tests' view of the construct itself.
 */
export function buildWithValues(spec: ModuleSpec, values: Readonly<Record<string, unknown>>): Json {
  const stack = new TerraformStack(Testing.app(), spec.name);
  spec.build(new Construct(stack, MODULE_ROOT), new ValueContext(stack, spec, values));
  return JSON.parse(Testing.synth(stack, true)) as Json;
}

/** The construct id the module's construct is built under; resource names leave it out. */
const MODULE_ROOT = 'module';

/** What a placeholder looks like, to find one the synthesis left unreplaced. */
const PLACEHOLDER = /zz[a-z0-9-]+zz/;

/** The length of the longest region names, such as ap-southeast-2 and cn-northwest-1. */
const REGION_NAME_LENGTH = 14;

/**
 * The regions of concrete builds, by alias: names of the longest length, so that a construct's
 * length checks of names built from regions refuse what they would refuse for any region.
 */
const EXAMPLE_REGIONS = ['ap-southeast-2', 'ap-northeast-1', 'ap-southeast-1'];

/** Providers and region look-ups shared by both contexts. */
abstract class ProvidersContext {
  private readonly providers = new Map<string, AwsProvider>();
  private random?: RandomProvider;

  constructor(
    protected readonly stack: TerraformStack,
    protected readonly spec: ModuleSpec,
  ) {}

  provider(alias?: string): AwsProvider {
    const key = this.checkedAlias(alias);
    let provider = this.providers.get(key);
    if (!provider) {
      provider = new AwsProvider(this.stack, `provider-${key}`, { alias });
      provider.region = this.regionOf(key, provider);
      this.providers.set(key, provider);
    }
    return provider;
  }

  region(alias?: string): string {
    return this.provider(alias).region ?? '';
  }

  randomProvider(): RandomProvider {
    this.random ??= new RandomProvider(this.stack, 'provider-random');
    return this.random;
  }

  protected abstract regionOf(key: string, provider: AwsProvider): string;

  /** `alias` when the spec declares it, `current` for the default provider of a single-region module. */
  private checkedAlias(alias: string | undefined): string {
    const strategy = this.spec.regions;
    if (strategy.kind === 'single') {
      if (alias !== undefined)
        throw new Error(`${this.spec.name}: a single-region module has no provider alias ${alias}`);
      return 'current';
    }
    if (alias === undefined || !strategy.aliases.includes(alias)) {
      throw new Error(`${this.spec.name}: provider alias ${alias} is not one of ${strategy.aliases.join(', ')}`);
    }
    return alias;
  }

  protected declared(input: string): InputSpec {
    const declaration = this.spec.inputs[input];
    if (!declaration) throw new Error(`${this.spec.name}: build reads input ${input}, which the spec does not declare`);
    return declaration;
  }
}

/**
 * A value the construct uses in construct ids as well as in arguments (a zone, a region): cdktf
 * refuses tokens in ids, so the construct gets this plain text instead, and the synthesized JSON
 * has it replaced by `expression`; resource names show `label` in its place. The text is
 * `zz<name>zz` in lowercase letters, digits and hyphens, which the constructs' name checks
 * (alarm names, identifiers) accept.
 */
interface Placeholder {
  readonly expression: string;
  readonly label: string;
  /** The `data.aws_region` block the expression reads, dropped when the construct never used the region. */
  readonly regionLookup?: string;
}

/** Inputs as Terraform variables; zones and regions as placeholders. */
class VariableContext extends ProvidersContext implements BuildContext {
  readonly placeholders = new Map<string, Placeholder>();
  private readonly variables = new Map<string, TerraformVariable>();
  private regionCount = 0;

  string(input: string): string {
    return this.variable(input).stringValue;
  }
  number(input: string): number {
    return this.variable(input).numberValue;
  }
  bool(input: string): boolean {
    // cdktf has no boolean token type; props typed boolean take the variable's reference as is.
    return this.variable(input).booleanValue as unknown as boolean;
  }
  list(input: string): string[] {
    return this.variable(input).listValue;
  }
  map(input: string): Record<string, string> {
    return this.variable(input).value as Record<string, string>;
  }
  items(input: string, count: number, label: string): string[] {
    this.variable(input);
    return Array.from({ length: count }, (_, index) =>
      this.placeholder(`${input}_${index}`, { expression: `var.${input}[${index}]`, label: `${label}${index + 1}` }),
    );
  }
  records<F extends string>(
    input: string,
    count: number,
    label: string,
    fields: Readonly<Record<F, string>>,
  ): Array<Record<F, string>> {
    this.variable(input);
    return Array.from({ length: count }, (_, index) => {
      const entries = Object.entries<string>(fields).map(([field, attribute]) => {
        const placeholder = this.placeholder(`${input}_${index}_${attribute}`, {
          expression: `var.${input}[${index}].${attribute}`,
          label: `${label}${index + 1}`,
        });
        return [field, placeholder] as const;
      });
      return Object.fromEntries(entries) as Record<F, string>;
    });
  }

  assertEveryInputUsed(): void {
    const unused = Object.keys(this.spec.inputs).filter((input) => !this.variables.has(input));
    if (unused.length > 0)
      throw new Error(`${this.spec.name}: inputs declared but never passed to the construct: ${unused.join(', ')}`);
  }

  protected regionOf(key: string, provider: AwsProvider): string {
    new DataAwsRegion(this.stack, key, { provider });
    // As long as the longest region names (ap-southeast-2, cn-northwest-1): constructs that check
    // the length of names built from a region then check for the worst case.
    const name = `r${this.regionCount++}`.padEnd(REGION_NAME_LENGTH - 4, 'z');
    return this.placeholder(name, { expression: `data.aws_region.${key}.region`, label: key, regionLookup: key });
  }

  private placeholder(name: string, value: Placeholder): string {
    const text = `zz${name.replace(/_/g, '-')}zz`;
    this.placeholders.set(text, value);
    return text;
  }

  private variable(input: string): TerraformVariable {
    const declaration = this.declared(input);
    let variable = this.variables.get(input);
    if (!variable) {
      // Only the type here: the block written to the module is rendered from the spec.
      variable = new TerraformVariable(this.stack, `input-${input}`, { type: declaration.type });
      variable.overrideLogicalId(input);
      this.variables.set(input, variable);
    }
    return variable;
  }
}

/** Inputs as concrete values, so the construct validates them as it does in a cdktf stack. */
class ValueContext extends ProvidersContext implements BuildContext {
  constructor(
    stack: TerraformStack,
    spec: ModuleSpec,
    private readonly values: Readonly<Record<string, unknown>>,
  ) {
    super(stack, spec);
  }

  string(input: string): string {
    return this.value(input) as string;
  }
  number(input: string): number {
    return this.value(input) as number;
  }
  bool(input: string): boolean {
    return this.value(input) as boolean;
  }
  list(input: string): string[] {
    return this.value(input) as string[];
  }
  map(input: string): Record<string, string> {
    return this.value(input) as Record<string, string>;
  }
  /** The whole list: the construct sees as many items as the caller gave, as it would in a stack. */
  items(input: string): string[] {
    return this.list(input);
  }
  /** The caller's records, however many: the construct sees what it would in a stack. */
  records<F extends string>(input: string, _count: number, _label: string, fields: Readonly<Record<F, string>>) {
    const items = this.value(input) as ReadonlyArray<Record<string, string>>;
    return items.map(
      (item) =>
        Object.fromEntries(
          Object.entries<string>(fields).map(([field, attribute]) => [field, item[attribute]]),
        ) as Record<F, string>,
    );
  }

  protected regionOf(key: string): string {
    const strategy = this.spec.regions;
    const index = strategy.kind === 'single' ? 0 : strategy.aliases.indexOf(key);
    return EXAMPLE_REGIONS[index] ?? `${key}-region`;
  }

  private value(input: string): unknown {
    const declaration = this.declared(input);
    return input in this.values ? this.values[input] : declaration.default;
  }
}

/**
 * Readable names for every resource and data source, from the construct path below the module's
 * construct (`public_zone1` instead of `module_network_public-us-east-1a_BAC128E5`): old address →
 * new address. cdktf fixes a logical id once anything references the element, so the names are
 * applied to the synthesized JSON rather than with `overrideLogicalId`.
 */
function readableNames(stack: TerraformStack, placeholders: ReadonlyMap<string, Placeholder>): Map<string, string> {
  const root = stack.node.findChild(MODULE_ROOT);
  // With one construct in the module, its id adds nothing to the names.
  const skip = root.node.children.length === 1 ? 2 : 1;
  const renames = new Map<string, string>();
  const taken = new Map<string, string>();
  for (const node of stack.node.findAll()) {
    if (!(node instanceof TerraformResource || node instanceof TerraformDataSource)) continue;
    const scopes = node.node.scopes.slice(2);
    const segments = (scopes[0] === root ? scopes.slice(skip) : scopes).map((scope) => scope.node.id);
    const name = segments
      .map((segment) =>
        [...placeholders].reduce((text, [placeholder, { label }]) => text.split(placeholder).join(label), segment),
      )
      .join('_')
      .replace(/[^A-Za-z0-9_]+/g, '_')
      .replace(/^([^A-Za-z_])/, '_$1');
    const type = node.terraformResourceType;
    const earlier = taken.get(`${type}.${name}`);
    if (earlier)
      throw new Error(`${stack.node.id}: ${node.node.path} and ${earlier} would both be named ${type}.${name}`);
    taken.set(`${type}.${name}`, node.node.path);
    renames.set(`${type}.${node.friendlyUniqueId}`, `${type}.${name}`);
  }
  return renames;
}

/**
 * Applies the readable names (to blocks and references), and replaces every placeholder in the
 * synthesized values by its Terraform expression; none may be left.
 */
function rewrite(
  module: string,
  synthesized: Json,
  renames: ReadonlyMap<string, string>,
  placeholders: ReadonlyMap<string, Placeholder>,
): Json {
  // Provider blocks are not part of a module; without them, an unused region look-up shows.
  const { provider: _configurations, ...renamed } = renameBlocks(synthesized, renames);
  const data = renamed.data as Record<string, Json> | undefined;
  const lookups = data?.aws_region;
  for (const [placeholder, { regionLookup }] of placeholders) {
    if (regionLookup && lookups && !JSON.stringify(renamed).includes(placeholder)) delete lookups[regionLookup];
  }
  if (data && lookups && Object.keys(lookups).length === 0) delete data.aws_region;
  if (data && Object.keys(data).length === 0) delete renamed.data;
  let text = JSON.stringify(renamed);
  for (const [from, to] of renames) {
    text = text.replace(new RegExp(`${escapeRegExp(from)}(?![A-Za-z0-9_-])`, 'g'), to);
  }
  for (const [placeholder, { expression }] of placeholders) text = text.split(placeholder).join(`\${${expression}}`);
  const left = PLACEHOLDER.exec(text);
  if (left) throw new Error(`${module}: placeholder ${left[0]} is left in the synthesized JSON`);
  return JSON.parse(text) as Json;
}

/** The `resource` and `data` blocks under their new names. */
function renameBlocks(synthesized: Json, renames: ReadonlyMap<string, string>): Json {
  const result: Json = { ...synthesized };
  for (const section of ['resource', 'data'] as const) {
    const byType = synthesized[section] as Record<string, Json> | undefined;
    if (!byType) continue;
    result[section] = Object.fromEntries(
      Object.entries(byType).map(([type, blocks]) => [
        type,
        Object.fromEntries(
          Object.entries(blocks).map(([name, block]) => [
            (renames.get(`${type}.${name}`) ?? `${type}.${name}`).slice(type.length + 1),
            block,
          ]),
        ),
      ]),
    );
  }
  return result;
}

function moduleFiles(spec: ModuleSpec, synthesized: Json, outputs: Readonly<Record<string, OutputSpec>>): ModuleFiles {
  const body = withoutMetadata(synthesized) as Json;
  const required = body.terraform as { required_providers?: Record<string, unknown> } | undefined;
  const usedProviders = Object.keys(required?.required_providers ?? {}).sort();
  const requiredProviders: Json = {};
  for (const type of usedProviders) {
    const requirement = PROVIDER_REQUIREMENTS[type as keyof typeof PROVIDER_REQUIREMENTS];
    if (!requirement) throw new Error(`${spec.name}: no version range declared for provider ${type}`);
    const aliases =
      type === 'aws' && spec.regions.kind === 'aliases' ? spec.regions.aliases.map((alias) => `aws.${alias}`) : [];
    requiredProviders[type] =
      aliases.length > 0 ? { ...requirement, configuration_aliases: aliases } : { ...requirement };
  }
  const main: Json = {};
  for (const section of ['locals', 'data', 'resource'] as const) {
    if (body[section] !== undefined) main[section] = withoutDefaultProviders(body[section]);
  }
  return {
    'versions.tf.json': formatJson({
      terraform: { required_version: REQUIRED_CLI_VERSION, required_providers: requiredProviders },
    }),
    'variables.tf.json': formatJson({ variable: variableBlocks(spec) }),
    'main.tf.json': formatJson(main),
    'outputs.tf.json': formatJson({ output: outputBlocks(body, outputs) }),
  };
}

/** The variable blocks as the spec declares them; conditions become JSON-syntax templates. */
export function variableBlocks(spec: ModuleSpec): Json {
  const blocks: Json = {};
  for (const [name, input] of Object.entries(spec.inputs)) {
    blocks[name] = {
      type: input.type,
      description: input.description,
      ...(input.default === undefined ? {} : { default: input.default }),
      ...(input.sensitive ? { sensitive: true } : {}),
      nullable: false,
      ...(input.validations?.length
        ? {
            validation: input.validations.map((rule) => ({
              condition: `\${${rule.condition}}`,
              error_message: rule.message,
            })),
          }
        : {}),
    };
  }
  return blocks;
}

function outputBlocks(body: Json, outputs: Readonly<Record<string, OutputSpec>>): Json {
  const synthesized = (body.output ?? {}) as Record<string, { value: unknown }>;
  const blocks: Json = {};
  for (const [name, output] of Object.entries(outputs)) {
    const block = synthesized[name];
    if (!block) throw new Error(`output ${name} is missing from the synthesized JSON`);
    blocks[name] = {
      description: output.description,
      value: block.value,
      ...(output.sensitive ? { sensitive: true } : {}),
    };
  }
  return blocks;
}

/** Drops cdktf's `//` metadata everywhere. */
function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '//')
      .map(([key, inner]) => [key, withoutMetadata(inner)]),
  );
}

/** `provider = "aws"` and `"random"` name the default configuration, which a module gets implicitly. */
function withoutDefaultProviders(section: unknown): unknown {
  const byType = section as Record<string, Record<string, Json & { provider?: string }>>;
  return Object.fromEntries(
    Object.entries(byType).map(([type, blocks]) => [
      type,
      Object.fromEntries(
        Object.entries(blocks).map(([name, block]) => {
          const { provider, ...rest } = block;
          return [name, provider === undefined || provider.includes('.') ? block : rest];
        }),
      ),
    ]),
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
