/**
 * Building blocks for the configuration declaration (schema.ts). Every setting is a TypeBox
 * schema, which is plain JSON Schema: its `description`, `default` and constraints serve the
 * types, the defaults, the checks (check.ts), the environment-file JSON Schema and the generated
 * reference alike. What JSON Schema cannot say (a check written in code, the message for a missing
 * field, a default computed per region) rides on a symbol key, which JSON.stringify leaves out.
 */
import Type, { type TSchema } from 'typebox';

export const SETTING = Symbol('setting');

/** What a setting declares beyond JSON Schema. */
export interface SettingExtras {
  /** A check written in code: the whole message for a bad value (quoting the value), or undefined. */
  readonly check?: (value: never) => string | undefined;
  /** The message for a required field that is missing. */
  readonly requiredMessage?: string;
  /** How the default is derived when it is not one value (shown in the reference). */
  readonly defaultText?: string;
  /** Allowed values, in words, for the reference when the constraints alone do not say it well. */
  readonly allowedText?: string;
}

/** Options every setting takes: `errorMessage` follows the quoted value when a constraint fails. */
type SettingOptions = {
  readonly description: string;
  readonly errorMessage?: string;
};

export function extrasOf(schema: TSchema): SettingExtras {
  return (schema as { [SETTING]?: SettingExtras })[SETTING] ?? {};
}

function withExtras<T extends TSchema>(schema: T, extras: SettingExtras | undefined): T {
  if (extras !== undefined) Object.assign(schema, { [SETTING]: extras });
  return schema;
}

export function text(
  options: SettingOptions & { default?: string; pattern?: string; minLength?: number; maxLength?: number },
  extras?: SettingExtras,
) {
  return withExtras(Type.String(options), extras);
}

export function integer(
  options: SettingOptions & {
    default?: number;
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: number;
    multipleOf?: number;
  },
  extras?: SettingExtras,
) {
  return withExtras(Type.Integer(options), extras);
}

export function number(
  options: SettingOptions & { default?: number; minimum?: number; maximum?: number; exclusiveMinimum?: number },
  extras?: SettingExtras,
) {
  return withExtras(Type.Number(options), extras);
}

export function flag(options: SettingOptions & { default: boolean }) {
  return Type.Boolean(options);
}

/** One of a fixed list of strings. */
export function choice<const Values extends string[]>(
  values: readonly [...Values],
  options: SettingOptions & { default?: Values[number] },
  extras?: SettingExtras,
) {
  return withExtras(Type.Enum(values, { type: 'string', ...options }), extras);
}

/** One of a fixed list of whole numbers. */
export function numberChoice<const Values extends number[]>(
  values: readonly [...Values],
  options: SettingOptions & { default?: Values[number] },
  extras?: SettingExtras,
) {
  return withExtras(Type.Enum(values, { type: 'integer', ...options }), extras);
}

export function list<T extends TSchema>(
  items: T,
  options: SettingOptions & { default?: unknown[]; minItems?: number; maxItems?: number },
  extras?: SettingExtras,
) {
  return withExtras(Type.Array(items, options), extras);
}

/** A setting that may stay unset: it has no default, and leaving it out means something (its description says what). */
export function optional<T extends TSchema>(schema: T) {
  return Type.Optional(schema);
}

/** A group of settings; no field outside `properties` is accepted. */
export function group<T extends Record<string, TSchema>>(properties: T, description: string, extras?: SettingExtras) {
  return withExtras(Type.Object(properties, { description, additionalProperties: false }), extras);
}
