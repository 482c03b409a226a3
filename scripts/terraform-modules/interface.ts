/**
 * Compares every generated module's interface (inputs, outputs and resource addresses, read by
 * terraform-config-inspect) with a release: a removed or renamed module, input or output, a type
 * change, an input that became required, and a resource address that disappeared (callers' plans
 * would destroy it) are BREAKING (the next release is a new major version); added modules, outputs
 * and optional inputs are minor.
 *
 *   npm run modules:interface                          # against the newest v* tag
 *   npm run modules:interface -- --against v0.1.0      # against any git ref
 *   npm run modules:interface -- --fail-on-breaking    # exit 1 when anything is breaking (CI gate)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectModule, subdirectories } from './inspect.js';

const MODULES_PATH = 'terraform/modules';

export interface ModuleInterface {
  readonly inputs: Readonly<Record<string, { readonly required: boolean; readonly type?: string }>>;
  readonly outputs: readonly string[];
  /** Managed resource addresses: one that disappears is destroyed in every caller's state. */
  readonly resources: readonly string[];
}

/** The interface of every module folder under `dir`, by folder name. */
export function interfacesIn(dir: string): Map<string, ModuleInterface> {
  const interfaces = new Map<string, ModuleInterface>();
  for (const name of subdirectories(dir)) {
    const module = inspectModule(join(dir, name));
    const inputs = Object.fromEntries(
      Object.entries(module.variables).map(([input, { required, type }]) => [input, { required, type }]),
    );
    interfaces.set(name, {
      inputs,
      outputs: Object.keys(module.outputs).sort(),
      resources: Object.keys(module.managed_resources ?? {}).sort(),
    });
  }
  return interfaces;
}

export interface InterfaceChanges {
  readonly breaking: string[];
  readonly minor: string[];
}

export function compareInterfaces(
  before: ReadonlyMap<string, ModuleInterface>,
  after: ReadonlyMap<string, ModuleInterface>,
): InterfaceChanges {
  const breaking: string[] = [];
  const minor: string[] = [];
  for (const [name, old] of before) {
    const now = after.get(name);
    if (!now) {
      breaking.push(`${name}: module removed`);
      continue;
    }
    for (const [input, declaration] of Object.entries(old.inputs)) {
      const current = now.inputs[input];
      if (!current) breaking.push(`${name}: input ${input} removed (or renamed)`);
      else if (current.type !== declaration.type)
        breaking.push(`${name}: input ${input} changed type from ${declaration.type} to ${current.type}`);
      else if (current.required && !declaration.required)
        breaking.push(`${name}: input ${input} is now required (its default was removed)`);
    }
    for (const [input, declaration] of Object.entries(now.inputs)) {
      if (input in old.inputs) continue;
      if (declaration.required) breaking.push(`${name}: new required input ${input}`);
      else minor.push(`${name}: new optional input ${input}`);
    }
    for (const output of old.outputs) {
      if (!now.outputs.includes(output)) breaking.push(`${name}: output ${output} removed (or renamed)`);
    }
    for (const output of now.outputs) {
      if (!old.outputs.includes(output)) minor.push(`${name}: new output ${output}`);
    }
    for (const resource of old.resources) {
      if (!now.resources.includes(resource)) {
        breaking.push(
          `${name}: resource ${resource} removed or renamed (callers' plans destroy it, unless a moved block says where it went)`,
        );
      }
    }
  }
  for (const name of after.keys()) {
    if (!before.has(name)) minor.push(`${name}: new module`);
  }
  return { breaking, minor };
}

/** The newest `vMAJOR.MINOR.PATCH` tag of the repository at `repo`, if any. */
export function newestReleaseTag(repo: string): string | undefined {
  const tags = execFileSync('git', ['tag', '--list', 'v*', '--sort=-v:refname'], { cwd: repo, encoding: 'utf8' });
  return tags.split('\n').find((tag) => /^v\d+\.\d+\.\d+$/.test(tag));
}

/** The release after `tag` that `changes` call for. */
export function nextVersion(tag: string, changes: InterfaceChanges): string {
  const [major = 0, minorPart = 0, patch = 0] = tag.slice(1).split('.').map(Number);
  if (changes.breaking.length > 0) return `v${major + 1}.0.0 (major: breaking changes)`;
  if (changes.minor.length > 0) return `v${major}.${minorPart + 1}.0 (minor: additions only)`;
  return `v${major}.${minorPart}.${patch + 1} (patch: the interface is unchanged)`;
}

/** The module interfaces at `ref`, read from a `git archive` of terraform/modules. */
function interfacesAt(repo: string, ref: string): Map<string, ModuleInterface> {
  const dir = mkdtempSync(join(tmpdir(), 'modules-at-ref-'));
  try {
    const listed = spawnSync('git', ['ls-tree', '-d', '--name-only', ref, MODULES_PATH], {
      cwd: repo,
      encoding: 'utf8',
    });
    if (listed.status !== 0) throw new Error(`git ls-tree ${ref}: ${listed.stderr.trim()}`);
    if (listed.stdout.trim() === '') return new Map();
    const archive = spawnSync('git', ['archive', '--format=tar', ref, MODULES_PATH], { cwd: repo, maxBuffer: 1 << 30 });
    if (archive.status !== 0) throw new Error(`git archive ${ref}: ${archive.stderr.toString().trim()}`);
    mkdirSync(dir, { recursive: true });
    const unpacked = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
    if (unpacked.status !== 0) throw new Error(`tar: ${unpacked.stderr.toString().trim()}`);
    return interfacesIn(join(dir, MODULES_PATH));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface InterfaceCheck {
  readonly code: number;
  readonly report: string;
}

/** The check as the command runs it, in the repository at `repo`. */
export function checkInterface(args: readonly string[], repo: string): InterfaceCheck {
  const againstIndex = args.indexOf('--against');
  const failOnBreaking = args.includes('--fail-on-breaking');
  const unknown = args.filter(
    (arg, index) => arg !== '--fail-on-breaking' && arg !== '--against' && index !== againstIndex + 1,
  );
  if (unknown.length > 0 || (againstIndex >= 0 && args[againstIndex + 1] === undefined)) {
    return { code: 2, report: 'usage: npm run modules:interface -- [--against <git ref>] [--fail-on-breaking]' };
  }
  const ref = againstIndex >= 0 ? args[againstIndex + 1]! : newestReleaseTag(repo);
  if (ref === undefined) {
    return {
      code: 0,
      report:
        'No v* release tag yet, so there is no interface to compare with: the first release (v0.1.0) defines it. Compare with a branch instead: --against <ref>.',
    };
  }
  const changes = compareInterfaces(interfacesAt(repo, ref), interfacesIn(join(repo, MODULES_PATH)));
  const lines = [
    `Interfaces of ${MODULES_PATH} against ${ref}:`,
    ...changes.breaking.map((change) => `  BREAKING ${change}`),
    ...changes.minor.map((change) => `  minor    ${change}`),
    ...(changes.breaking.length + changes.minor.length === 0 ? ['  no change'] : []),
    /^v\d+\.\d+\.\d+$/.test(ref) ? `Next release: ${nextVersion(ref, changes)}.` : '',
  ].filter((line) => line !== '');
  return { code: failOnBreaking && changes.breaking.length > 0 ? 1 : 0, report: lines.join('\n') };
}

function main(): void {
  const repo = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
  const result = checkInterface(process.argv.slice(2), repo);
  (result.code === 0 ? console.log : console.error)(result.report);
  process.exit(result.code);
}

if (require.main === module) main();
