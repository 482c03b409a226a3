/**
 * Compares two synthesized outputs (cdktf.out folders) of the same environment and prints what
 * differs, stack by stack, grouped by kind of change: a path pattern (resource names replaced by
 * `*`) with how many places it touches and one example. Used by check.sh for cdktf → cdktn.
 *
 *   node --import tsx scripts/cdk-terrain/diff.ts <before-outdir> <after-outdir> [label]
 */
import { existsSync } from 'node:fs';
import { readSynthOutput } from '../review/diff.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Change {
  readonly kind: 'added' | 'removed' | 'changed';
  readonly path: string[];
  readonly before?: Json;
  readonly after?: Json;
}

/** Every stack of an output folder as plain JSON (cdktf's metadata and terraform blocks included). */
function readStacks(outdir: string): ReadonlyMap<string, Json> {
  return readSynthOutput(outdir).stacks as ReadonlyMap<string, unknown> as ReadonlyMap<string, Json>;
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function diff(before: Json | undefined, after: Json | undefined, path: string[], changes: Change[]): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  if (before === undefined) {
    changes.push({ kind: 'added', path, after });
    return;
  }
  if (after === undefined) {
    changes.push({ kind: 'removed', path, before });
    return;
  }
  if (isObject(before) && isObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      diff(before[key], after[key], [...path, key], changes);
    }
    return;
  }
  changes.push({ kind: 'changed', path, before, after });
}

/** `resource.aws_lb.load-balancer_alb_1234.name` → `resource.aws_lb.*.name`: one line per kind of change. */
function pattern(path: readonly string[]): string {
  const shown = [...path];
  if ((shown[0] === 'resource' || shown[0] === 'data') && shown.length > 2) shown[2] = '*';
  if (shown[0] === 'output' && shown.length > 1) shown[1] = '*';
  return shown.join('.');
}

function short(value: Json | undefined): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function main(): void {
  const [beforeDir, afterDir, label = ''] = process.argv.slice(2);
  if (beforeDir === undefined || afterDir === undefined || !existsSync(beforeDir) || !existsSync(afterDir)) {
    console.error('usage: diff.ts <before-outdir> <after-outdir> [label]');
    process.exit(2);
  }
  const before = readStacks(beforeDir);
  const after = readStacks(afterDir);
  const names = [...new Set([...before.keys(), ...after.keys()])];
  let total = 0;
  console.log(`${label ? `${label}: ` : ''}${names.length} stacks`);
  for (const name of names) {
    const changes: Change[] = [];
    diff(before.get(name), after.get(name), [], changes);
    total += changes.length;
    if (changes.length === 0) {
      console.log(`  ${name}: identical`);
      continue;
    }
    const groups = new Map<string, Change[]>();
    for (const change of changes) {
      const key = `${change.kind} ${pattern(change.path)}`;
      groups.set(key, [...(groups.get(key) ?? []), change]);
    }
    console.log(`  ${name}: ${changes.length} difference(s)`);
    for (const [key, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      const [example] = group;
      if (example === undefined) continue;
      const values =
        example.kind === 'changed'
          ? `${short(example.before)} → ${short(example.after)}`
          : short(example.kind === 'added' ? example.after : example.before);
      console.log(`    ${key} ×${group.length}: ${values}`);
    }
  }
  console.log(`${label ? `${label}: ` : ''}${total} difference(s) in all`);
}

main();
