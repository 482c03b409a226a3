import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temporary folder a test run makes (synth outputs, environment files, terraform scratch
 * dirs, the throwaway MariaDB) goes under one folder of its own, removed when the run ends, so a
 * run leaves nothing in the system's temp folder however a test exits. Workers and the processes
 * tests spawn inherit TMPDIR, and Node's os.tmpdir() reads it.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'mraa-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
