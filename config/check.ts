/**
 * Reads the declaration (schema.ts) two ways: the defaults it declares, and the checks of one
 * environment file against it (unknown fields, JSON types, per-field constraints), each problem
 * naming its field and what is allowed.
 */
import type { TSchema } from 'typebox';
import { extrasOf } from './declare.js';

export interface Problem {
  /** Dotted path of the field, with list indexes: `regions[1].vpcCidr`. */
  readonly field: string;
  readonly message: string;
}

/** The JSON Schema keywords this project's declaration uses. */
interface Declared {
  readonly type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  readonly properties?: Readonly<Record<string, TSchema>>;
  readonly required?: readonly string[];
  readonly items?: TSchema;
  readonly enum?: readonly (string | number)[];
  readonly default?: unknown;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly multipleOf?: number;
  readonly errorMessage?: string;
}

function declared(schema: TSchema | Declared): Declared {
  return schema;
}

/** The value a schema declares when nothing overrides it: its `default`, or its groups' defaults. */
export function defaultsOf(schema: TSchema): unknown {
  const { type, properties, default: value } = declared(schema);
  if (value !== undefined) return structuredClone(value);
  if (type !== 'object' || properties === undefined) return undefined;
  const defaults: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(properties)) {
    const childDefault = defaultsOf(child);
    if (childDefault !== undefined) defaults[key] = childDefault;
  }
  return defaults;
}

/**
 * Returns `value` with every unknown field and every value that fails its declaration removed (so
 * the defaults stand in for them, and the rules that span fields see only well-typed values), and
 * records a problem for each removal in `problems`.
 */
export function checkAgainst(schema: TSchema, value: unknown, field: string, problems: Problem[]): unknown {
  const spec = declared(schema);
  const typeProblem = wrongType(spec, value);
  if (typeProblem !== undefined) {
    problems.push({ field: field || '(file)', message: `${typeProblem}, got ${describe(value)}` });
    return undefined;
  }
  if (spec.type === 'object' && isPlainObject(value)) return checkObject(spec, value, field, problems);
  if (spec.type === 'array' && Array.isArray(value) && spec.items !== undefined) {
    const items = spec.items;
    const ownProblem = constraintProblem(schema, value);
    if (ownProblem !== undefined) problems.push({ field, message: ownProblem });
    const checked = value.map((item, index) => checkAgainst(items, item, `${field}[${index}]`, problems));
    // A list keeps its length, so the problems of later rules still point at the right index.
    return checked.map((item) => item ?? {});
  }
  const problem = constraintProblem(schema, value);
  if (problem === undefined) return value;
  problems.push({ field, message: problem });
  return undefined;
}

function checkObject(
  spec: Declared,
  value: Record<string, unknown>,
  field: string,
  problems: Problem[],
): Record<string, unknown> {
  const properties = spec.properties ?? {};
  const clean: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childField = field ? `${field}.${key}` : key;
    const childSchema = properties[key];
    if (childSchema === undefined) {
      problems.push({ field: childField, message: `unknown field; allowed: ${Object.keys(properties).join(', ')}` });
      continue;
    }
    const checked = checkAgainst(childSchema, child, childField, problems);
    if (checked !== undefined) clean[key] = checked;
  }
  for (const key of requiredFields(spec)) {
    const childSchema = properties[key];
    if (value[key] === undefined && childSchema !== undefined) {
      const hint = extrasOf(childSchema).requiredMessage;
      problems.push({ field: field ? `${field}.${key}` : key, message: hint ?? 'is required' });
    }
  }
  return clean;
}

/** Fields an environment file must set: required in the declaration and without a default. */
export function requiredFields(schema: TSchema | Declared): string[] {
  const spec = declared(schema);
  const properties = spec.properties ?? {};
  return (spec.required ?? []).filter((key) => {
    const child = properties[key];
    return child !== undefined && !isOptional(child) && defaultsOf(child) === undefined;
  });
}

/** TypeBox marks `Type.Optional` properties with a non-enumerable `~optional`. */
function isOptional(schema: TSchema): boolean {
  return (schema as { '~optional'?: boolean })['~optional'] === true;
}

function wrongType(spec: Declared, value: unknown): string | undefined {
  switch (spec.type) {
    case 'object':
      return isPlainObject(value) ? undefined : 'must be an object';
    case 'array':
      if (!Array.isArray(value)) return 'must be a list';
      return declared(spec.items ?? {}).type === 'string' && !value.every((item) => typeof item === 'string')
        ? 'must be a list of strings'
        : undefined;
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'number':
    case 'integer':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be a boolean';
    default:
      return undefined;
  }
}

/** The message for a well-typed value that breaks its declared constraints, or undefined. */
function constraintProblem(schema: TSchema, value: unknown): string | undefined {
  const spec = declared(schema);
  const shown = typeof value === 'string' ? `"${value}"` : Array.isArray(value) ? '' : String(value);
  const because = (fallback: string) => `${shown} ${spec.errorMessage ?? fallback}`;
  if (spec.enum !== undefined && !spec.enum.includes(value as string | number)) {
    return `${because('is not allowed')}; allowed: ${spec.enum.join(', ')}`;
  }
  if (typeof value === 'string' && spec.pattern !== undefined && !new RegExp(spec.pattern).test(value)) {
    return because(`does not match ${spec.pattern}`);
  }
  if (typeof value === 'number') {
    if (spec.type === 'integer' && !Number.isInteger(value)) return because('must be a whole number');
    if (spec.minimum !== undefined && value < spec.minimum) return because(`must be at least ${spec.minimum}`);
    if (spec.maximum !== undefined && value > spec.maximum) return because(`must be at most ${spec.maximum}`);
    if (spec.exclusiveMinimum !== undefined && value <= spec.exclusiveMinimum) {
      return because(`must be greater than ${spec.exclusiveMinimum}`);
    }
    if (spec.multipleOf !== undefined && value % spec.multipleOf !== 0) {
      return because(`must be a multiple of ${spec.multipleOf}`);
    }
  }
  const check = extrasOf(schema).check as ((value: unknown) => string | undefined) | undefined;
  return check?.(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `"${value}"` : `${typeof value} ${JSON.stringify(value)}`;
}
