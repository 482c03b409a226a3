import type { BlockConfig, RuleContext, SynthesizedBlock } from './rule.js';

/**
 * Readers for synthesized configuration. cdktf writes a single nested block as an object and a
 * repeated one as an array, and a value taken from another resource as a `${...}` reference
 * string; these helpers hide both so that rules read like the Terraform they check.
 */

/** A nested block argument as a list, whether it was written as one object or an array. */
export function nestedBlocks(value: unknown): BlockConfig[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items.filter((item): item is BlockConfig => typeof item === 'object' && item !== null && !Array.isArray(item));
}

/** The first nested block of `name`, or an empty block when there is none. */
export function nestedBlock(config: BlockConfig, name: string): BlockConfig {
  return nestedBlocks(config[name])[0] ?? {};
}

/** A value that Terraform will read as `true`. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** A value that Terraform will read as `false` (an unset value is neither true nor false). */
export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** A present, non-empty value: a literal or a `${...}` reference. */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** A literal number (or numeric string); undefined for references and unset values. */
export function literalNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

/** A list argument as strings (a single string counts as a one-item list). */
export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Whether `value` refers to an attribute of the block at `address`, such as `${aws_vpc.main.id}`. */
function refersTo(value: unknown, address: string): boolean {
  return JSON.stringify(value ?? null).includes(`${address}.`);
}

/** The blocks of `type` in the stack whose argument `field` refers to the block being checked. */
export function blocksReferring(context: RuleContext, type: string, field: string): SynthesizedBlock[] {
  return context.blocksOfType(type).filter((other) => refersTo(other.config[field], context.block.address));
}

/** The IPv4 and IPv6 "anywhere" ranges. */
export const ANYWHERE = ['0.0.0.0/0', '::/0'];

/** `[problem]` unless the condition holds: rules list their findings as `...unless(ok, 'what is wrong')`. */
export function unless(holds: boolean, problem: string): string[] {
  return holds ? [] : [problem];
}

/** `<where><field> is not true` unless `config[field]` is true. */
export function mustBeTrue(config: BlockConfig, field: string, where = ''): string[] {
  return unless(isTrue(config[field]), `${where}${field} is not true`);
}

/** `<where><field> is not set` unless `config[field]` has a value. */
export function mustBeSet(config: BlockConfig, field: string, where = ''): string[] {
  return unless(isSet(config[field]), `${where}${field} is not set`);
}

/**
 * Applies `check` to every nested block `name`, prefixing its messages with the block and its
 * label (`replica eu-west-1: `, or `ingress 2: ` by position when `labelField` is not given).
 */
export function eachNested(
  config: BlockConfig,
  name: string,
  check: (block: BlockConfig, where: string) => string[],
  labelField?: string,
): string[] {
  return nestedBlocks(config[name]).flatMap((block, index) =>
    check(block, `${name} ${labelField === undefined ? index + 1 : String(block[labelField])}: `),
  );
}

/** A JSON-string argument (container definitions, an IAM policy) read as data, or why it cannot be. */
export type ParsedJson = { readonly value: unknown } | { readonly problem: string };

/**
 * Parses a JSON-string argument. A `${jsonencode(...)}` expression (what `Fn.jsonencode` writes)
 * is Terraform code, not data, so rules cannot see inside it: that is reported as a problem.
 */
export function parseJsonArgument(config: BlockConfig, field: string): ParsedJson {
  const text = config[field];
  if (typeof text !== 'string') return { problem: `${field} is not set` };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return {
      problem: `${field} is a Terraform expression, not JSON the policy can read (build it with JSON.stringify)`,
    };
  }
}
