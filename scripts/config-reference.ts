/**
 * Writes what the configuration declaration (config/schema.ts) implies for people and editors:
 * - config/environment.schema.json, the JSON Schema every environment file names with `$schema`;
 * - the configuration reference table in docs/configuration.md, between its GENERATED markers.
 *
 *   npm run docs:config              # rewrite both
 *   npm run docs:config -- --check   # exit 1, naming the stale file, when either is out of date (CI)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TSchema } from 'typebox';
import { defaultsOf, requiredFields } from '../config/check.js';
import { DeploymentSchema } from '../config/index.js';
import { extrasOf } from '../config/declare.js';

const ROOT = join(__dirname, '..');
const SCHEMA_FILE = 'config/environment.schema.json';
const REFERENCE_FILE = 'docs/configuration.md';
const BEGIN = '<!-- BEGIN GENERATED: configuration reference (npm run docs:config) -->';
const END = '<!-- END GENERATED -->';

interface Node {
  readonly type?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, TSchema>>;
  readonly items?: TSchema;
  readonly enum?: readonly (string | number)[];
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly errorMessage?: string;
}

/** The declaration as a JSON Schema for files that override it: only fields without a default are required. */
function environmentFileSchema(): unknown {
  const relax = (schema: TSchema): unknown => {
    const node = schema as Node & Record<string, unknown>;
    const copy: Record<string, unknown> = { ...node };
    if (node.properties !== undefined) {
      copy.properties = Object.fromEntries(Object.entries(node.properties).map(([key, child]) => [key, relax(child)]));
      const required = requiredFields(node);
      if (required.length > 0) copy.required = required;
      else delete copy.required;
    }
    if (node.items !== undefined) copy.items = relax(node.items);
    return copy;
  };
  const root = relax(DeploymentSchema) as Record<string, unknown>;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/multi-region-active-active/config/environment.schema.json',
    title: 'Deployment environment (environments/<name>.json)',
    ...root,
    properties: {
      $schema: { type: 'string', description: 'The JSON Schema this file follows (for editors)' },
      ...(root.properties as Record<string, unknown>),
    },
  };
}

interface Row {
  readonly field: string;
  readonly defaultValue: string;
  readonly meaning: string;
  readonly allowed: string;
}

function rows(schema: TSchema, path: string): Row[] {
  const node = schema as Node;
  if (node.type === 'object' && node.properties !== undefined) {
    return Object.entries(node.properties).flatMap(([key, child]) => rows(child, path ? `${path}.${key}` : key));
  }
  const own: Row = {
    field: node.type === 'array' ? `${path}[]` : path,
    defaultValue: defaultText(schema),
    meaning: node.description ?? '',
    allowed: allowedText(schema),
  };
  const items = node.items;
  if (node.type === 'array' && items !== undefined && (items as Node).type === 'object') {
    return [own, ...rows(items, `${path}[]`)];
  }
  return [own];
}

function defaultText(schema: TSchema): string {
  const extras = extrasOf(schema);
  if (extras.defaultText !== undefined) return extras.defaultText;
  const value = defaultsOf(schema);
  if (value === undefined) return (schema as { '~optional'?: boolean })['~optional'] ? 'none' : '— (required)';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    return value
      .map((item) => (typeof item === 'object' ? Object.values(item as object).join(' ') : String(item)))
      .join(', ');
  }
  return `\`${JSON.stringify(value)}\``.replace(/^`"(.*)"`$/, '`$1`');
}

function allowedText(schema: TSchema): string {
  const node = schema as Node;
  const extras = extrasOf(schema);
  if (extras.allowedText !== undefined) return extras.allowedText;
  if (node.enum !== undefined) {
    const values = node.enum.map(String);
    return values.length <= 6
      ? values.map((value) => `\`${value}\``).join(', ')
      : `${values.slice(0, 3).join(', ')}, …, ${values.at(-1)} (${node.errorMessage ?? 'see the schema'})`;
  }
  if (node.type === 'integer' || node.type === 'number') {
    const whole = node.type === 'integer' ? 'whole number ' : '';
    if (node.minimum !== undefined && node.maximum !== undefined) return `${whole}${node.minimum}-${node.maximum}`;
    if (node.exclusiveMinimum !== undefined)
      return `${whole}above ${node.exclusiveMinimum}${node.maximum !== undefined ? `, at most ${node.maximum}` : ''}`;
    if (node.minimum !== undefined) return `${whole}at least ${node.minimum}`;
    return node.type === 'integer' ? 'a whole number' : 'a number';
  }
  if (node.type === 'boolean') return '`true`, `false`';
  const message = node.errorMessage;
  if (message !== undefined) return /\(([^()]*)\)$/.exec(message)?.[1] ?? message.replace(/^must be /, '');
  return node.type === 'array'
    ? `a list${node.minItems !== undefined ? ` of at least ${node.minItems}` : ''}`
    : `a ${node.type ?? 'value'}`;
}

function table(): string {
  const header: Row = { field: 'field', defaultValue: 'default', meaning: 'meaning', allowed: 'allowed values' };
  const all = rows(DeploymentSchema, '');
  const cells = (row: Row) => [
    row === header ? row.field : `\`${row.field}\``,
    row.defaultValue,
    row.meaning,
    row.allowed,
  ];
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const lines = [header, ...all].map((row) => `| ${cells(row).map(escape).join(' | ')} |`);
  lines.splice(1, 0, '| --- | --- | --- | --- |');
  return lines.join('\n');
}

function withTable(document: string): string {
  const start = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${REFERENCE_FILE} has no ${BEGIN} … ${END} section`);
  return `${document.slice(0, start + BEGIN.length)}\n${table()}\n${document.slice(end)}`;
}

function main(): void {
  const check = process.argv.includes('--check');
  const schemaPath = join(ROOT, SCHEMA_FILE);
  const referencePath = join(ROOT, REFERENCE_FILE);
  const outputs = [
    { file: SCHEMA_FILE, path: schemaPath, text: `${JSON.stringify(environmentFileSchema(), null, 2)}\n` },
    { file: REFERENCE_FILE, path: referencePath, text: withTable(readFileSync(referencePath, 'utf8')) },
  ];
  const stale = outputs.filter((output) => readOr(output.path) !== output.text);
  if (check) {
    for (const output of stale)
      console.error(`${output.file} is out of date with config/schema.ts; run npm run docs:config`);
    process.exitCode = stale.length > 0 ? 1 : 0;
    if (stale.length === 0) console.log(`${SCHEMA_FILE} and ${REFERENCE_FILE} match config/schema.ts`);
    return;
  }
  for (const output of stale) writeFileSync(output.path, output.text);
  console.log(stale.length > 0 ? `wrote ${stale.map((output) => output.file).join(', ')}` : 'nothing to change');
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

main();
