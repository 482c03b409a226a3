/**
 * The declaration of a generated Terraform module: its inputs (Terraform variables with their
 * validation rules), how it gets its regions, and how it instantiates the real construct from
 * modules/<name>. Each module's declaration lives in specs/<name>.ts; generate.ts turns it into
 * terraform/modules/<name>/.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { RandomProvider } from '@cdktf/provider-random/lib/provider';
import type { Construct } from 'constructs';

/** A rule a value must pass, written once for Terraform and checked against the construct by a test. */
export interface ValidationRule {
  /** Terraform expression over `var.<input>` (no `${}`), true when the value is allowed. */
  readonly condition: string;
  /** Terraform's error message: full sentences, ending with a period. */
  readonly message: string;
  /**
   * Values the construct refuses and this rule must refuse too; the mirror test feeds each one
   * to the construct and to `tofu plan` on the module's variables.
   */
  readonly rejects: readonly unknown[];
  /**
   * The rule fixes the generated module's shape (how many zones or regions it was generated for),
   * which the construct itself leaves open: the mirror test then expects only Terraform to refuse
   * `rejects`.
   */
  readonly shape?: true;
}

export interface InputSpec {
  /** Terraform type constraint, such as `string`, `number`, `list(string)`. */
  readonly type: string;
  readonly description: string;
  /** The construct's default; absent when the input is required. */
  readonly default?: unknown;
  readonly sensitive?: boolean;
  readonly validations?: readonly ValidationRule[];
  /**
   * The construct prop the input feeds, which the construct's error messages name.
   * @default the input's name in camelCase
   */
  readonly prop?: string;
}

export interface OutputSpec {
  readonly value: unknown;
  readonly description: string;
  readonly sensitive?: boolean;
}

/**
 * How a module gets its regions. `single`: the caller's default (or mapped) `aws` provider.
 * `aliases`: one provider configuration per named alias (`aws.primary`, ...), which the caller
 * maps with `providers = { aws.primary = aws.use1, ... }`.
 */
export type RegionStrategy =
  | { readonly kind: 'single'; readonly why: string }
  | { readonly kind: 'aliases'; readonly aliases: readonly string[]; readonly why: string };

/** What a spec's `build` uses instead of literal props: Terraform variables, or concrete values in tests. */
export interface BuildContext {
  string(input: string): string;
  number(input: string): number;
  bool(input: string): boolean;
  /** A list input as a list value (a token list in a module). */
  list(input: string): string[];
  /** A map input as a map value (a token map in a module). */
  map(input: string): Record<string, string>;
  /**
   * A list input of fixed length as separate items, for props the construct iterates at synth
   * time (one subnet per zone); `label` names the items in resource names (`zone1`, `zone2`).
   */
  items(input: string, count: number, label: string): string[];
  /**
   * A list-of-objects input of fixed length as separate records, like `items`: `fields` maps each
   * prop field of a record to the object attribute it is read from (`{ region: 'region',
   * loadBalancerDnsName: 'load_balancer_dns_name' }`).
   */
  records<F extends string>(
    input: string,
    count: number,
    label: string,
    fields: Readonly<Record<F, string>>,
  ): Array<Record<F, string>>;
  /** The provider of `alias` (the default provider when omitted). */
  provider(alias?: string): AwsProvider;
  /** The region of `alias`'s provider, read from it at plan time (`data.aws_region`). */
  region(alias?: string): string;
  randomProvider(): RandomProvider;
}

export interface ModuleSpec {
  /** Folder name under modules/ and terraform/modules/. */
  readonly name: string;
  /** One paragraph for the README: what the module creates. */
  readonly summary: string;
  readonly regions: RegionStrategy;
  readonly inputs: Readonly<Record<string, InputSpec>>;
  /**
   * Values of the example root (terraform/examples/<name>) for every required input and any
   * optional one worth showing; the mirror test also uses them as the valid baseline.
   */
  readonly example: Readonly<Record<string, unknown>>;
  /** Instantiates the construct under `scope` and returns the module's outputs. */
  build(scope: Construct, context: BuildContext): Readonly<Record<string, OutputSpec>>;
}

/** A whole number from `min` to `max`, the check constructs write as `Number.isInteger(x) && min <= x <= max`. */
export function integerBetween(input: string, min: number, max: number, rejects: readonly unknown[]): ValidationRule {
  return {
    condition: `var.${input} == floor(var.${input}) && var.${input} >= ${min} && var.${input} <= ${max}`,
    message: `${input} must be a whole number from ${min} to ${max}.`,
    rejects,
  };
}

/** One of `allowed`. */
export function oneOf(
  input: string,
  allowed: readonly (string | number)[],
  rejects: readonly unknown[],
): ValidationRule {
  const list = allowed.map((value) => JSON.stringify(value)).join(', ');
  return {
    condition: `contains([${list}], var.${input})`,
    message: `${input} must be one of ${list}.`,
    rejects,
  };
}

/**
 * Matches `pattern`, an expression that Terraform's `regex()` (RE2) and JavaScript read alike (no
 * look-around, no back-references), as the construct's own check does.
 */
export function matches(input: string, pattern: string, what: string, rejects: readonly unknown[]): ValidationRule {
  return {
    condition: `can(regex(${JSON.stringify(pattern)}, var.${input}))`,
    message: `${input} must be ${what}.`,
    rejects,
  };
}

/** Starts with `/`, as paths of HTTP health checks must. */
export function absolutePath(input: string): ValidationRule {
  return {
    condition: `startswith(var.${input}, "/")`,
    message: `${input} must start with /.`,
    rejects: ['health'],
  };
}
