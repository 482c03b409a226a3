import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../stacks/synthesize.js';

const read = (path: string) => readFileSync(join(PROJECT_ROOT, path), 'utf8');
const nvmrc = read('.nvmrc').trim();
const major = Number(nvmrc.split('.')[0]);

/** The lowest version an `engines.node` range of the form `>=X.Y` admits, as [major, minor]. */
function enginesFloor(path: string): [number, number] {
  const engines = (JSON.parse(read(path)) as { engines?: { node?: string } }).engines?.node ?? '';
  const match = /^>=(\d+)\.(\d+)$/.exec(engines);
  if (match === null) throw new Error(`${path}: engines.node "${engines}" is not of the form >=X.Y`);
  return [Number(match[1]), Number(match[2])];
}

describe('one Node.js version', () => {
  it('.nvmrc names an even-numbered (LTS) release', () => {
    expect(nvmrc).toMatch(/^\d+\.\d+\.\d+$/);
    expect(major % 2).toBe(0);
  });

  it('the service image runs the .nvmrc version', () => {
    const image = /^ARG NODE_IMAGE=node:(\S+)-bookworm-slim$/m.exec(read('service/Dockerfile'))?.[1];
    expect(image).toBe(nvmrc);
  });

  it('both packages promise the .nvmrc line in engines, and nothing older than it', () => {
    const [, minor] = nvmrc.split('.').map(Number);
    for (const path of ['package.json', 'service/package.json']) {
      const [floorMajor, floorMinor] = enginesFloor(path);
      expect(floorMajor, path).toBe(major);
      expect(floorMinor, path).toBeLessThanOrEqual(minor ?? 0);
    }
  });

  it('npm test runs the suite on it (scripts/toolchain/with-node.sh)', () => {
    // A different major means the suite ran on a runtime the project does not ship.
    expect(process.versions.node.split('.')[0]).toBe(String(major));
  });
});
