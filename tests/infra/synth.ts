import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type DeploymentConfig } from '../../config/index.js';
import { synthesizeConfig } from '../../stacks/synthesize.js';

/** A synthesized stack: the parsed `cdk.tf.json`. */
export interface StackJson {
  readonly terraform: {
    backend: Record<string, Record<string, unknown>>;
    required_providers: Record<string, { source: string; version: string }>;
  };
  readonly provider?: Record<string, Array<Record<string, unknown>>>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, Record<string, unknown>>;
}

export interface Synthesized {
  readonly config: DeploymentConfig;
  /** The output directory (`…/cdktf.out`). */
  readonly outdir: string;
  readonly stacks: Readonly<Record<string, StackJson>>;
}

/** Validates `overrides` like an environment file and synthesizes the whole app to a temp dir. */
export function synthesizeOverrides(overrides: object = {}, environment = 'test'): Synthesized {
  const config = resolveConfig(overrides, environment, 'the test overrides');
  const outdir = join(mkdtempSync(join(tmpdir(), 'mraa-synth-')), 'cdktf.out');
  synthesizeConfig(config, outdir);
  return { config, outdir, stacks: readStacks(outdir) };
}

export function readStacks(outdir: string): Record<string, StackJson> {
  const stacksDir = join(outdir, 'stacks');
  return Object.fromEntries(
    readdirSync(stacksDir)
      .sort()
      .map((name) => [name, JSON.parse(readFileSync(join(stacksDir, name, 'cdk.tf.json'), 'utf8')) as StackJson]),
  );
}

/** The stack `name` of a synthesis; throws, naming the stacks there are, when it is missing. */
export function stackOf(stacks: Readonly<Record<string, StackJson>>, name: string): StackJson {
  const stack = stacks[name];
  if (stack === undefined) throw new Error(`no stack ${name}; stacks: ${Object.keys(stacks).join(', ')}`);
  return stack;
}

/** The data stack's expression for one of `region`'s values (such as `table_arn`) in its `regions` output. */
export function regionalDataOutput(stacks: Readonly<Record<string, StackJson>>, region: string, key: string): string {
  const regions = stackOf(stacks, 'data').output?.regions?.value as
    | Record<string, Record<string, string> | undefined>
    | undefined;
  const value = regions?.[region]?.[key];
  if (value === undefined) throw new Error(`the data stack's regions output has no ${region}.${key}`);
  return value;
}

/** The resources of one type in a stack, keyed by their synthesized id. */
export function resourcesOfType(stack: StackJson, type: string): Array<Record<string, unknown> & { id: string }> {
  return Object.entries(stack.resource?.[type] ?? {}).map(([id, body]) => ({ id, ...body }));
}

/** The resource at `address` (`<type>.<id>`, as `onlyResourceId` returns it); throws when the stack has none. */
export function resourceAt(stack: StackJson, address: string): Record<string, unknown> {
  const dot = address.indexOf('.');
  const body = stack.resource?.[address.slice(0, dot)]?.[address.slice(dot + 1)];
  if (dot < 0 || body === undefined) throw new Error(`no resource ${address}`);
  return body;
}

/** Every resource and data source of a stack, with its type. */
export function allBlocks(
  stack: StackJson,
): Array<{ kind: 'resource' | 'data'; type: string; id: string; body: Record<string, unknown> }> {
  return (['resource', 'data'] as const).flatMap((kind) =>
    Object.entries(stack[kind] ?? {}).flatMap(([type, blocks]) =>
      Object.entries(blocks).map(([id, body]) => ({ kind, type, id, body })),
    ),
  );
}

/** Regions used in synthesized tests: the seed's two and a five-region spread. */
export const FIVE_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2', 'sa-east-1'];
