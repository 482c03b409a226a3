/**
 * The offline structural diff of two synthesized cdktf outputs (`cdktf.out` folders): per stack,
 * in deploy order, resources added, removed, changed and predicted to be replaced, data sources,
 * outputs, likely renames and the cross-stack outputs whose readers must be applied after them.
 * Nothing here runs Terraform or a provider: replacements are predictions from review/force-new.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A synthesized stack: the parts of `cdk.tf.json` the review reads. */
export interface StackJson {
  readonly resource?: Record<string, Record<string, JsonObject>>;
  readonly data?: Record<string, Record<string, JsonObject>>;
  readonly output?: Record<string, JsonObject>;
  readonly variable?: Record<string, JsonObject>;
  readonly locals?: JsonObject;
}

/** One synthesized output folder: stacks by name and their dependencies from the manifest. */
export interface SynthOutput {
  readonly stacks: ReadonlyMap<string, StackJson>;
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
}

export type Action = 'create' | 'delete' | 'update' | 'replace' | 'rename' | 'no-op';

export interface AttributeChange {
  /** Readable path: `ingress[0].cidr_blocks`, `container_definitions⟨json⟩[0].image`. */
  readonly path: string;
  /** Printable values, already redacted (`(sensitive)`); undefined when absent on that side. */
  readonly before?: string;
  readonly after?: string;
  /** The provider's schema marks the attribute ForceNew / RequiresReplace. */
  readonly forcesReplacement: boolean;
}

export interface BlockChange {
  /** `aws_vpc.network_vpc_7E4B9C11`, or `data.aws_iam_policy_document.x`. */
  readonly address: string;
  readonly type: string;
  readonly action: Action;
  /** Construct path from cdktf's metadata, when there is one. */
  readonly constructPath?: string;
  readonly changes: readonly AttributeChange[];
  /** Stateful type (holds data that a replace or destroy loses): its kind, such as `DynamoDB table`. */
  readonly stateful?: string;
  /** For a likely rename: the removed address this one replaces. */
  readonly renamedFrom?: string;
  /** `prediction` (offline diff) or `plan` (from a `terraform show -json`). */
  readonly source: 'prediction' | 'plan';
  /** Drift found by the plan (`resource_drift`). */
  readonly drift?: boolean;
}

export interface OutputChange {
  readonly name: string;
  readonly action: 'create' | 'delete' | 'update';
  readonly sensitive: boolean;
  readonly before?: string;
  readonly after?: string;
  /** Why the value changes: the expression, or a referenced resource replaced or changed. */
  readonly reason: string;
}

/** An upstream output that changes and the stacks that read it through remote state. */
export interface CrossStackImpact {
  readonly upstream: string;
  readonly output: string;
  readonly reason: string;
  readonly readers: readonly string[];
}

export interface StackReview {
  readonly stack: string;
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged';
  readonly resources: readonly BlockChange[];
  readonly dataSources: readonly BlockChange[];
  readonly outputs: readonly OutputChange[];
  /** Changed locals (`local.x`) and variables (`var.x`, their defaults). */
  readonly values: readonly OutputChange[];
  /** Changed upstream outputs this stack reads: apply it after those stacks. */
  readonly readsChanged: readonly CrossStackImpact[];
  /** The resource changes come from a real plan. */
  readonly planned: boolean;
}

export interface ForceNewTable {
  readonly provider: string;
  readonly version: string;
  readonly generated: string;
  /** Resource type → attribute paths (`cidr_block`, `ebs_block_device.device_name`). */
  readonly resources: Readonly<Record<string, readonly string[]>>;
}

/** Types whose destruction loses data (or keys that decrypt it), with the name a reviewer knows. */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  aws_dynamodb_table: 'DynamoDB table',
  aws_dynamodb_global_table: 'DynamoDB global table',
  aws_rds_cluster: 'Aurora cluster',
  aws_rds_cluster_instance: 'Aurora instance',
  aws_rds_global_cluster: 'Aurora global cluster',
  aws_db_instance: 'RDS instance',
  aws_kms_key: 'KMS key',
  aws_kms_replica_key: 'KMS replica key',
  aws_secretsmanager_secret: 'secret',
  aws_secretsmanager_secret_version: 'secret value',
  aws_s3_bucket: 'S3 bucket',
  aws_cloudwatch_log_group: 'log group',
  aws_backup_vault: 'backup vault',
  aws_ecr_repository: 'ECR repository',
  aws_efs_file_system: 'EFS file system',
  aws_route53_zone: 'hosted zone',
};

const SENSITIVE_NAME =
  /(^|_)(password|passphrase|secret_string|secret_binary|secret_string_wo|private_key|secret_key|access_key|api_key|auth_token|token|credentials?|master_password|master_user_password)($|_)/i;

/** An attribute name that looks secret: its values are never printed. */
export function looksSensitive(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

export const SENSITIVE = '(sensitive)';

/** Reads a `cdktf.out` folder: `manifest.json` and every stack's `cdk.tf.json`. */
export function readSynthOutput(outdir: string): SynthOutput {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { dependencies?: string[]; synthesizedStackPath: string }>;
  };
  const stacks = new Map<string, StackJson>();
  const dependencies = new Map<string, string[]>();
  for (const [name, entry] of Object.entries(manifest.stacks)) {
    const file = join(outdir, entry.synthesizedStackPath);
    if (!existsSync(file)) continue;
    stacks.set(name, JSON.parse(readFileSync(file, 'utf8')) as StackJson);
    dependencies.set(name, entry.dependencies ?? []);
  }
  return { stacks, dependencies };
}

/** The documented deploy order (docs/deploy.md) breaks ties between stacks the manifest leaves free. */
const DOCUMENTED_ORDER = [
  /^zone$/,
  /^network-/,
  /^peering$/,
  /^data$/,
  /^registry$/,
  /^certificates$/,
  /^app-/,
  /^dns$/,
];

function documentedRank(stack: string): number {
  const rank = DOCUMENTED_ORDER.findIndex((pattern) => pattern.test(stack));
  return rank < 0 ? DOCUMENTED_ORDER.length : rank;
}

/** Stacks of both sides in deploy order: the manifests' dependencies first, then docs/deploy.md's order. */
export function deployOrder(base: SynthOutput, head: SynthOutput): string[] {
  const dependencies = new Map<string, Set<string>>();
  for (const side of [base, head]) {
    for (const [stack, deps] of side.dependencies) {
      const set = dependencies.get(stack) ?? new Set<string>();
      for (const dep of deps) set.add(dep);
      dependencies.set(stack, set);
    }
  }
  const names = [...dependencies.keys()].sort((a, b) => documentedRank(a) - documentedRank(b) || a.localeCompare(b));
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < names.length) {
    const next =
      names.find(
        (name) =>
          !placed.has(name) &&
          [...(dependencies.get(name) ?? [])].every((dep) => placed.has(dep) || !dependencies.has(dep)),
      ) ?? names.find((name) => !placed.has(name));
    if (next === undefined) break;
    ordered.push(next);
    placed.add(next);
  }
  return ordered;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The block without cdktf's `//` metadata (at any depth). */
function withoutMetadata(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '//')
      .map(([key, inner]) => [key, withoutMetadata(inner)]),
  );
}

function constructPathOf(block: JsonObject): string | undefined {
  const metadata = block['//'];
  if (!isObject(metadata)) return undefined;
  const inner = metadata.metadata;
  return isObject(inner) && typeof inner.path === 'string' ? inner.path : undefined;
}

/** A JSON document kept in a string (policies, container definitions), parsed; undefined otherwise. */
function embeddedJson(value: string): Json | undefined {
  const trimmed = value.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('[')) || trimmed.length < 2) return undefined;
  try {
    return JSON.parse(trimmed) as Json;
  } catch {
    return undefined;
  }
}

const MAX_VALUE = 160;

/** A value as one printable line, cut (visibly, with its length) past MAX_VALUE characters. */
export function printable(value: Json | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 20)}… (${text.length} chars)` : text;
}

interface LeafChange {
  readonly segments: readonly string[];
  readonly before?: Json;
  readonly after?: Json;
  readonly sensitive: boolean;
}

/**
 * The attribute-level differences of two values: objects key by key, lists index by index (nested
 * blocks), strings holding JSON parsed and compared as JSON. Segments are `key`, `[i]` and `⟨json⟩`.
 */
function diffValues(
  before: Json | undefined,
  after: Json | undefined,
  segments: string[],
  sensitive: boolean,
): LeafChange[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (typeof before === 'string' && typeof after === 'string') {
    const left = embeddedJson(before);
    const right = embeddedJson(after);
    if (left !== undefined && right !== undefined) return diffValues(left, right, [...segments, '⟨json⟩'], sensitive);
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) =>
      diffValues(before[key], after[key], [...segments, key], sensitive || looksSensitive(key)),
    );
  }
  if (Array.isArray(before) && Array.isArray(after) && before.some(isObject) && after.some(isObject)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, index) =>
      diffValues(
        before[index],
        after[index],
        [...segments, `[${index}]`],
        sensitive || secretEntry(after[index] ?? before[index]),
      ),
    ).flat();
  }
  return [{ segments, before, after, sensitive }];
}

/** A `{ name: "DB_PASSWORD", value: … }` entry (container environment, tags as lists): its value is secret. */
function secretEntry(value: Json | undefined): boolean {
  return isObject(value) && typeof value.name === 'string' && looksSensitive(value.name.toLowerCase());
}

function joinPath(segments: readonly string[]): string {
  return segments.reduce(
    (path, segment) =>
      segment.startsWith('[') || segment === '⟨json⟩' || path === '' ? `${path}${segment}` : `${path}.${segment}`,
    '',
  );
}

/** The schema path of an attribute path: indexes and embedded JSON dropped (`ingress.cidr_blocks`). */
function schemaPath(segments: readonly string[]): string[] {
  const index = segments.indexOf('⟨json⟩');
  return (index < 0 ? segments : segments.slice(0, index)).filter((segment) => !segment.startsWith('['));
}

function forcesReplacement(type: string, segments: readonly string[], table: ForceNewTable): boolean {
  const path = schemaPath(segments);
  if (path[0] === 'provider' || path[0] === 'region') return true;
  const paths = table.resources[type];
  if (paths === undefined) return false;
  // A change below a ForceNew block (a nested attribute that the table does not list) counts as the block's.
  for (let length = path.length; length >= 1; length--) {
    if (paths.includes(path.slice(0, length).join('.'))) return true;
  }
  return false;
}

/** Attribute changes of one block, with redaction and the force-new prediction applied. */
function attributeChanges(
  type: string,
  before: Json,
  after: Json,
  table: ForceNewTable | undefined,
): AttributeChange[] {
  return diffValues(before, after, [], false).map(({ segments, before: left, after: right, sensitive }) => ({
    path: joinPath(segments),
    before: sensitive && left !== undefined ? SENSITIVE : printable(left),
    after: sensitive && right !== undefined ? SENSITIVE : printable(right),
    forcesReplacement: table !== undefined && forcesReplacement(type, segments, table),
  }));
}

/** `key=value` leaves of a block, for the rename similarity. */
function leaves(value: Json, prefix = ''): string[] {
  if (isObject(value)) return Object.entries(value).flatMap(([key, inner]) => leaves(inner, `${prefix}.${key}`));
  if (Array.isArray(value)) return value.flatMap((inner, index) => leaves(inner, `${prefix}[${index}]`));
  return [`${prefix}=${JSON.stringify(value)}`];
}

/** Share of leaves two blocks have in common (Dice coefficient). */
export function similarity(left: Json, right: Json): number {
  const a = leaves(left);
  const b = new Set(leaves(right));
  if (a.length + b.size === 0) return 1;
  const common = a.filter((leaf) => b.has(leaf)).length;
  return (2 * common) / (a.length + b.size);
}

/**
 * A removed and an added block of the same type are shown as a likely rename when they are at
 * least this similar, use the same provider (another provider is another region) and agree on
 * every attribute that forces replacement (otherwise a move would not save the object anyway).
 */
export const RENAME_SIMILARITY = 0.85;

function diffBlocks(
  kind: 'resource' | 'data',
  before: StackJson | undefined,
  after: StackJson | undefined,
  table: ForceNewTable | undefined,
): BlockChange[] {
  const left = before?.[kind] ?? {};
  const right = after?.[kind] ?? {};
  const prefix = kind === 'data' ? 'data.' : '';
  const changes: BlockChange[] = [];
  const types = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  for (const type of types) {
    const oldBlocks = left[type] ?? {};
    const newBlocks = right[type] ?? {};
    const removed = Object.keys(oldBlocks).filter((name) => !(name in newBlocks));
    const added = Object.keys(newBlocks).filter((name) => !(name in oldBlocks));
    const renames = new Map<string, string>();
    if (kind === 'resource') {
      const candidates = removed
        .flatMap((from) =>
          added.map((to) => ({
            from,
            to,
            score: similarity(withoutMetadata(oldBlocks[from] ?? {}), withoutMetadata(newBlocks[to] ?? {})),
          })),
        )
        .filter(
          ({ from, to, score }) =>
            score >= RENAME_SIMILARITY &&
            !attributeChanges(
              type,
              withoutMetadata(oldBlocks[from] ?? {}),
              withoutMetadata(newBlocks[to] ?? {}),
              table,
            ).some((change) => change.forcesReplacement),
        )
        .sort((a, b) => b.score - a.score);
      const taken = new Set<string>();
      for (const { from, to } of candidates) {
        if (taken.has(from) || taken.has(to)) continue;
        taken.add(from).add(to);
        renames.set(to, from);
      }
    }
    const renamedFrom = new Set(renames.values());
    const stateful = kind === 'resource' ? STATEFUL_TYPES[type] : undefined;
    for (const name of Object.keys({ ...oldBlocks, ...newBlocks }).sort()) {
      const oldBlock = oldBlocks[name];
      const newBlock = newBlocks[name];
      const address = `${prefix}${type}.${name}`;
      const common = { type, stateful, source: 'prediction' as const };
      if (oldBlock === undefined && newBlock !== undefined) {
        const from = renames.get(name);
        if (from !== undefined) {
          const oldFrom = oldBlocks[from] ?? {};
          changes.push({
            ...common,
            address,
            action: 'rename',
            renamedFrom: `${prefix}${type}.${from}`,
            constructPath: constructPathOf(newBlock),
            changes: attributeChanges(type, withoutMetadata(oldFrom), withoutMetadata(newBlock), table),
          });
        } else {
          changes.push({ ...common, address, action: 'create', constructPath: constructPathOf(newBlock), changes: [] });
        }
      } else if (newBlock === undefined && oldBlock !== undefined) {
        if (!renamedFrom.has(name))
          changes.push({ ...common, address, action: 'delete', constructPath: constructPathOf(oldBlock), changes: [] });
      } else if (oldBlock !== undefined && newBlock !== undefined) {
        const attributes = attributeChanges(
          type,
          withoutMetadata(oldBlock),
          withoutMetadata(newBlock),
          kind === 'resource' ? table : undefined,
        );
        if (attributes.length === 0) continue;
        changes.push({
          ...common,
          address,
          action: attributes.some((change) => change.forcesReplacement) ? 'replace' : 'update',
          constructPath: constructPathOf(newBlock),
          changes: attributes,
        });
      }
    }
  }
  return changes;
}

/** Resource addresses (`type.name`) and `type.name.attribute` references in an expression. */
function references(value: Json | undefined): Array<{ address: string; attribute?: string }> {
  const text = JSON.stringify(value ?? null);
  const found: Array<{ address: string; attribute?: string }> = [];
  for (const match of text.matchAll(/(?<![.\w-])((?:aws|random)_[a-z0-9_]+\.[A-Za-z0-9_-]+)(?:\.([a-z0-9_]+))?/g)) {
    const address = match[1];
    if (address !== undefined) found.push({ address, attribute: match[2] });
  }
  return found;
}

function diffOutputs(
  before: StackJson | undefined,
  after: StackJson | undefined,
  resources: readonly BlockChange[],
): OutputChange[] {
  const left = before?.output ?? {};
  const right = after?.output ?? {};
  const byAddress = new Map(resources.map((change) => [change.address, change]));
  const outputs: OutputChange[] = [];
  for (const name of Object.keys({ ...left, ...right }).sort()) {
    const oldOutput = left[name];
    const newOutput = right[name];
    const sensitive = oldOutput?.sensitive === true || newOutput?.sensitive === true;
    const show = (output: JsonObject | undefined): string | undefined =>
      output === undefined ? undefined : sensitive ? SENSITIVE : printable(output.value);
    if (oldOutput === undefined || newOutput === undefined) {
      outputs.push({
        name,
        action: oldOutput === undefined ? 'create' : 'delete',
        sensitive,
        before: show(oldOutput),
        after: show(newOutput),
        reason: oldOutput === undefined ? 'new output' : 'output removed',
      });
      continue;
    }
    if (JSON.stringify(oldOutput.value) !== JSON.stringify(newOutput.value)) {
      outputs.push({
        name,
        action: 'update',
        sensitive,
        before: show(oldOutput),
        after: show(newOutput),
        reason: 'its expression changes',
      });
      continue;
    }
    // Same expression, but a referenced resource is replaced (every attribute is new) or the read attribute changes.
    const cause = references(newOutput.value)
      .map(({ address, attribute }) => {
        const change = byAddress.get(address);
        if (change === undefined) return undefined;
        if (change.action === 'replace' || change.action === 'rename')
          return `${address} is ${change.action === 'replace' ? 'replaced' : 'renamed'}`;
        if (
          change.action === 'update' &&
          attribute !== undefined &&
          change.changes.some((c) => c.path.split(/[.[]/)[0] === attribute)
        )
          return `${address}.${attribute} changes`;
        return undefined;
      })
      .find((reason) => reason !== undefined);
    if (cause !== undefined)
      outputs.push({
        name,
        action: 'update',
        sensitive,
        before: show(oldOutput),
        after: sensitive ? SENSITIVE : '(known after apply)',
        reason: cause,
      });
  }
  return outputs;
}

/** Locals and variables that change; a sensitive variable's default and secret-looking names print as `(sensitive)`. */
function diffValuesOf(before: StackJson | undefined, after: StackJson | undefined): OutputChange[] {
  const changes: OutputChange[] = [];
  const compare = (name: string, left: Json | undefined, right: Json | undefined, sensitive: boolean): void => {
    if (JSON.stringify(left) === JSON.stringify(right)) return;
    const show = (value: Json | undefined): string | undefined =>
      value === undefined ? undefined : sensitive ? SENSITIVE : printable(value);
    changes.push({
      name,
      action: left === undefined ? 'create' : right === undefined ? 'delete' : 'update',
      sensitive,
      before: show(left),
      after: show(right),
      reason: 'its expression changes',
    });
  };
  const oldLocals = before?.locals ?? {};
  const newLocals = after?.locals ?? {};
  for (const name of Object.keys({ ...oldLocals, ...newLocals }).sort())
    compare(`local.${name}`, oldLocals[name], newLocals[name], looksSensitive(name));
  const oldVariables = before?.variable ?? {};
  const newVariables = after?.variable ?? {};
  for (const name of Object.keys({ ...oldVariables, ...newVariables }).sort()) {
    const left = oldVariables[name];
    const right = newVariables[name];
    const sensitive = left?.sensitive === true || right?.sensitive === true || looksSensitive(name);
    compare(
      `var.${name}`,
      left === undefined ? undefined : withoutMetadata(left),
      right === undefined ? undefined : withoutMetadata(right),
      sensitive,
    );
  }
  return changes;
}

/** Outputs of `upstream` that `reader` reads through its `terraform_remote_state` (cdktf's cross-stack references). */
function outputsRead(reader: StackJson, upstream: string): Set<string> {
  const text = JSON.stringify(reader);
  const read = new Set<string>();
  const pattern = new RegExp(
    `terraform_remote_state\\.cross-stack-reference-input-${upstream.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.outputs\\.([A-Za-z0-9_-]+)`,
    'g',
  );
  for (const match of text.matchAll(pattern)) if (match[1] !== undefined) read.add(match[1]);
  return read;
}

/** Compares two synthesized outputs, stack by stack in deploy order. */
export function diffSynths(base: SynthOutput, head: SynthOutput, table: ForceNewTable | undefined): StackReview[] {
  const order = deployOrder(base, head);
  const partial = order.map((stack) => {
    const before = base.stacks.get(stack);
    const after = head.stacks.get(stack);
    const resources = diffBlocks('resource', before, after, table);
    const dataSources = diffBlocks('data', before, after, table);
    const outputs = diffOutputs(before, after, resources);
    const values = diffValuesOf(before, after);
    const status: StackReview['status'] =
      before === undefined
        ? 'added'
        : after === undefined
          ? 'removed'
          : resources.length + dataSources.length + outputs.length + values.length > 0
            ? 'changed'
            : 'unchanged';
    return { stack, status, resources, dataSources, outputs, values, planned: false };
  });
  return withCrossStackImpacts(partial, head);
}

/** Adds, to every stack, the changed upstream outputs it reads. */
export function withCrossStackImpacts(
  reviews: ReadonlyArray<Omit<StackReview, 'readsChanged'>>,
  head: SynthOutput,
): StackReview[] {
  return reviews.map((review) => {
    const reader = head.stacks.get(review.stack);
    const readsChanged: CrossStackImpact[] = [];
    if (reader !== undefined) {
      for (const upstream of reviews) {
        if (upstream.stack === review.stack) continue;
        const read = outputsRead(reader, upstream.stack);
        for (const output of upstream.outputs) {
          if (output.action !== 'create' && read.has(output.name))
            readsChanged.push({
              upstream: upstream.stack,
              output: output.name,
              reason: output.reason,
              readers: [review.stack],
            });
        }
      }
    }
    return { ...review, readsChanged };
  });
}

/** Every changed upstream output, with all the stacks that read it. */
export function crossStackImpacts(reviews: readonly StackReview[]): CrossStackImpact[] {
  const byOutput = new Map<string, CrossStackImpact>();
  for (const review of reviews) {
    for (const impact of review.readsChanged) {
      const key = `${impact.upstream}\u0000${impact.output}`;
      const known = byOutput.get(key);
      byOutput.set(key, known === undefined ? impact : { ...known, readers: [...known.readers, ...impact.readers] });
    }
  }
  return [...byOutput.values()];
}

/** Is this change destructive (destroy or replace)? A likely rename counts until a `moved` block (or moveTo) keeps the object. */
export function isDestructive(change: BlockChange): boolean {
  return change.action === 'delete' || change.action === 'replace' || change.action === 'rename';
}
