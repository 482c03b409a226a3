/**
 * Synthesizes the two sides of a review: a git ref checked out in a temporary `git worktree` (with
 * the work tree's node_modules linked in), or the work tree itself. Each synth is the real entry
 * point (`node scripts/run-app.cjs`, as `npm run synth`), run as a child process so that base and
 * head synthesize in parallel.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const WORKTREE = 'worktree';

function git(args: readonly string[], cwd = PROJECT_ROOT): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The default base: the merge base with origin/main, or HEAD when there is no origin/main. */
export function defaultBase(): string {
  try {
    git(['rev-parse', '--verify', '--quiet', 'origin/main']);
    return git(['merge-base', 'HEAD', 'origin/main']);
  } catch {
    return 'HEAD';
  }
}

/** A checkout of `ref` (or the work tree itself); `dispose` removes a temporary worktree. */
export interface Checkout {
  readonly label: string;
  readonly directory: string;
  dispose(): void;
}

export function checkout(ref: string): Checkout {
  if (ref === WORKTREE) return { label: 'work tree', directory: PROJECT_ROOT, dispose: () => undefined };
  const commit = git(['rev-parse', '--verify', `${ref}^{commit}`]);
  const directory = join(mkdtempSync(join(tmpdir(), 'mraa-review-')), 'tree');
  git(['worktree', 'add', '--detach', '--quiet', directory, commit]);
  const modules = join(PROJECT_ROOT, 'node_modules');
  if (existsSync(modules) && !existsSync(join(directory, 'node_modules')))
    symlinkSync(modules, join(directory, 'node_modules'), 'dir');
  return {
    label: `${ref} (${commit.slice(0, 12)})`,
    directory,
    dispose: () => {
      try {
        git(['worktree', 'remove', '--force', directory]);
      } catch {
        rmSync(directory, { recursive: true, force: true });
        git(['worktree', 'prune']);
      }
    },
  };
}

export interface SynthResult {
  readonly outdir: string;
  /** The synth's error output when it failed (invalid configuration, policy violations). */
  readonly error?: string;
}

/** Synths running at once: one per core (at least two, so base and head overlap); the rest wait. */
const MAX_PARALLEL = Math.max(2, availableParallelism());
let running = 0;
const waiting: Array<() => void> = [];

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Synthesizes `environment` from `directory` into a new temporary folder. */
export function synthesizeIn(directory: string, environment: string): Promise<SynthResult> {
  return slot(() => synthesizeNow(directory, environment));
}

function synthesizeNow(directory: string, environment: string): Promise<SynthResult> {
  const outdir = join(mkdtempSync(join(tmpdir(), 'mraa-review-synth-')), 'cdktf.out');
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(directory, 'scripts', 'run-app.cjs')], {
      cwd: directory,
      env: { ...process.env, DEPLOY_ENV: environment === 'default' ? '' : environment, CDKTF_OUTDIR: outdir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => done(code === 0 ? { outdir } : { outdir, error: stderr.trim() || `exit ${code}` }));
  });
}
