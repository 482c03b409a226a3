import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from 'typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../service/local/mariadb.js';
import { parseAs } from './helpers.js';

// `npm run service:local` as a user runs it, signalled the way a process manager does (only the
// top process) or a terminal's Ctrl-C does (the whole foreground process group). The whole tree
// (two npm, tsx, the service, MariaDB and its watcher) must go, and the throwaway MariaDB's
// directory with it.
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

const LogLine = Type.Object({ msg: Type.String(), baseDir: Type.Optional(Type.String()) });

/** A process by pid and start time, so that a pid the system hands out again is not mistaken for it. */
interface ProcessId {
  pid: number;
  startTime: string;
}

/** The fields of /proc/<pid>/stat after the command name, which may itself hold spaces and parentheses. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** `root` and every process below it. */
function processTree(root: number): ProcessId[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const parent = Number(statFields(Number(entry))?.[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree: ProcessId[] = [];
  const pending = [root];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    const startTime = statFields(pid)?.[19];
    if (startTime !== undefined) {
      tree.push({ pid, startTime });
    }
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Alive: the same process still exists and is not a zombie waiting to be reaped. */
function alive({ pid, startTime }: ProcessId): boolean {
  const fields = statFields(pid);
  return fields !== undefined && fields[0] !== 'Z' && fields[19] === startTime;
}

let started: ChildProcess | undefined;

afterEach(() => {
  // Only matters when a test failed half-way: the tree is a process group of its own, which may
  // outlive its top process. ESRCH means nothing of it is left.
  const group = started?.pid;
  started = undefined;
  try {
    if (group !== undefined) {
      process.kill(-group, 'SIGKILL');
    }
  } catch {
    // Nothing left to stop.
  }
});

async function startLocalService(): Promise<{ child: ChildProcess; pid: number; port: number; logs: string[] }> {
  const port = await freePort();
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child = spawn('npm', ['run', 'service:local'], {
    // The suite runs from the repository root (the vitest config's root), as a user would.
    cwd: process.cwd(),
    env: { ...env, PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own: no signal meant for the test runner reaches it, and a failed
    // test can still remove all of it (see afterEach).
    detached: true,
  });
  started = child;
  const { pid } = child;
  if (pid === undefined) {
    throw new Error('npm did not start');
  }
  const logs: string[] = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    logs.push(...lines);
  });
  child.stderr?.resume();
  for (const deadline = Date.now() + START_TIMEOUT_MS; Date.now() < deadline; await sleep(200)) {
    if ((await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status === 200) {
      return { child, pid, port, logs };
    }
    if (child.exitCode !== null) {
      break;
    }
  }
  throw new Error(`service:local did not serve within ${START_TIMEOUT_MS} ms:\n${logs.join('\n')}`);
}

function mariaDbDirectory(logs: string[]): string {
  const line = logs.filter((text) => text.startsWith('{')).map((text) => parseAs(LogLine, text));
  const baseDir = line.find((entry) => entry.baseDir !== undefined)?.baseDir;
  if (baseDir === undefined) {
    throw new Error(`no throwaway MariaDB was reported:\n${logs.join('\n')}`);
  }
  return baseDir;
}

describe.each([
  { signal: 'SIGTERM', to: 'the top process only', group: false },
  { signal: 'SIGINT', to: 'the top process only', group: false },
  { signal: 'SIGINT', to: 'the whole process group, as Ctrl-C does', group: true },
] as const)('npm run service:local and $signal to $to', ({ signal, group }) => {
  it('stops the service, MariaDB and dynalite, and removes the temporary directory', async () => {
    const { child, pid, port, logs } = await startLocalService();
    const baseDir = mariaDbDirectory(logs);
    const tree = processTree(pid);
    expect(existsSync(baseDir)).toBe(true);
    // npm, npm, tsx, the service, MariaDB and its watcher.
    expect(tree.length).toBeGreaterThanOrEqual(6);

    const exited = once(child, 'exit').then(() => 'exited');
    process.kill(group ? -pid : pid, signal);
    expect(await Promise.race([exited, sleep(STOP_TIMEOUT_MS, 'still running', { ref: false })])).toBe('exited');
    await expect
      .poll(() => tree.filter(alive).map(({ pid }) => readFileSync(`/proc/${pid}/cmdline`, 'utf8')), {
        timeout: 10_000,
      })
      .toEqual([]);
    expect(existsSync(baseDir)).toBe(false);
    // Signalled once, the service shuts down gracefully; Ctrl-C's second SIGINT may cut that short.
    if (!group) {
      expect(logs.some((line) => line.includes('shutdown complete'))).toBe(true);
    }
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  }, 120_000);
});
