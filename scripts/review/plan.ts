/**
 * Real plans: a stack's `terraform show -json <planfile>` replaces the offline prediction for that
 * stack with facts: each resource's actions, the attributes Terraform reports in `replace_paths`,
 * and drift from `resource_drift`. Sensitive values (`before_sensitive` / `after_sensitive`, and
 * secret-looking names) are never printed.
 */
import { readFileSync } from 'node:fs';
import {
  looksSensitive,
  printable,
  SENSITIVE,
  STATEFUL_TYPES,
  type Action,
  type AttributeChange,
  type BlockChange,
} from './diff.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface PlanChange {
  readonly address: string;
  readonly mode?: string;
  readonly type: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: Json;
    readonly after?: Json;
    readonly after_unknown?: Json;
    readonly before_sensitive?: Json;
    readonly after_sensitive?: Json;
    readonly replace_paths?: ReadonlyArray<ReadonlyArray<string | number>>;
  };
}

export interface PlanJson {
  readonly resource_changes?: readonly PlanChange[];
  readonly resource_drift?: readonly PlanChange[];
}

export function readPlan(file: string): PlanJson {
  return JSON.parse(readFileSync(file, 'utf8')) as PlanJson;
}

function actionOf(actions: readonly string[]): Action {
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  if (actions.includes('create')) return 'create';
  if (actions.includes('delete')) return 'delete';
  if (actions.includes('update')) return 'update';
  return 'no-op';
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(value: Json | undefined, key: string | number): Json | undefined {
  if (Array.isArray(value) && typeof key === 'number') return value[key];
  if (isObject(value)) return value[String(key)];
  return undefined;
}

/** Leaf differences between before and after, with their paths as Terraform writes them in replace_paths. */
function leafChanges(
  before: Json | undefined,
  after: Json | undefined,
  unknown: Json | undefined,
  path: Array<string | number>,
): Array<{ path: Array<string | number>; before?: Json; after?: Json; unknown: boolean }> {
  if (unknown === true) return [{ path, before, unknown: true }];
  if (JSON.stringify(before) === JSON.stringify(after) && !isObject(unknown) && !Array.isArray(unknown)) return [];
  if ((isObject(before) || before == null) && isObject(after)) {
    const keys = [
      ...new Set([
        ...Object.keys(isObject(before) ? before : {}),
        ...Object.keys(after),
        ...Object.keys(isObject(unknown) ? unknown : {}),
      ]),
    ].sort();
    return keys.flatMap((key) => leafChanges(at(before, key), at(after, key), at(unknown, key), [...path, key]));
  }
  if (Array.isArray(before) && Array.isArray(after) && (before.some(isObject) || after.some(isObject))) {
    return Array.from({ length: Math.max(before.length, after.length) }, (_, index) =>
      leafChanges(before[index], after[index], at(unknown, index), [...path, index]),
    ).flat();
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path, before, after, unknown: false }];
}

function markedSensitive(marks: Json | undefined, path: ReadonlyArray<string | number>): boolean {
  let current = marks;
  if (current === true) return true;
  for (const segment of path) {
    current = at(current, segment);
    if (current === true) return true;
    if (current === undefined) return false;
  }
  return false;
}

function readablePath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>(
    (text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment),
    '',
  );
}

function toBlockChange(change: PlanChange, drift: boolean): BlockChange {
  const { before, after, after_unknown, before_sensitive, after_sensitive, replace_paths } = change.change;
  const replacePaths = (replace_paths ?? []).map((path) => readablePath(path));
  const attributes: AttributeChange[] = leafChanges(before, after, after_unknown, []).map((leaf) => {
    const sensitive =
      leaf.path.some((segment) => typeof segment === 'string' && looksSensitive(segment)) ||
      markedSensitive(before_sensitive, leaf.path) ||
      markedSensitive(after_sensitive, leaf.path);
    const path = readablePath(leaf.path);
    const show = (value: Json | undefined): string | undefined =>
      value === undefined ? undefined : sensitive ? SENSITIVE : printable(value);
    return {
      path,
      before: show(leaf.before),
      after: leaf.unknown ? '(known after apply)' : show(leaf.after),
      forcesReplacement: replacePaths.some(
        (replacePath) =>
          path === replacePath || path.startsWith(`${replacePath}.`) || path.startsWith(`${replacePath}[`),
      ),
    };
  });
  const action = drift ? 'update' : actionOf(change.change.actions);
  return {
    address: change.address,
    type: change.type,
    action,
    // A create or a destroy lists no attributes: the whole object is new or gone.
    changes: action === 'create' || action === 'delete' ? [] : attributes,
    stateful: change.mode === 'data' ? undefined : STATEFUL_TYPES[change.type],
    source: 'plan',
    drift: drift || undefined,
  };
}

/** The plan's resource changes (and drift), in the review's shape; data-source reads are kept apart. */
export function planChanges(plan: PlanJson): { resources: BlockChange[]; dataSources: BlockChange[] } {
  const changes = (plan.resource_changes ?? [])
    .filter((change) => !change.change.actions.every((action) => action === 'no-op' || action === 'read'))
    .map((change) => ({ mode: change.mode, block: toBlockChange(change, false) }));
  const drift = (plan.resource_drift ?? []).map((change) => ({
    mode: change.mode,
    block: toBlockChange(change, true),
  }));
  const all = [...changes, ...drift];
  return {
    resources: all.filter((entry) => entry.mode !== 'data').map((entry) => entry.block),
    dataSources: all.filter((entry) => entry.mode === 'data').map((entry) => entry.block),
  };
}
