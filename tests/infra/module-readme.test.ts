// Every module folder's README is the one `npm run docs:modules` writes from its declarations, and
// its example (modules/<name>/example.ts, type-checked with the repository) synthesizes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { moduleFolders, readmeOf } from '../../modules/tools/readme.js';

const ROOT = join(__dirname, '..', '..');
const MODULES = join(ROOT, 'modules');
// The READMEs document the cdktf package; the CDK Terrain check (scripts/cdk-terrain) renames the
// examples' imports to cdktn, which the committed READMEs do not show.
const CDKTF_BUILD =
  'cdktf' in
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: object }).devDependencies;
const folders = moduleFolders();

describe.each(folders)('modules/%s', (folder) => {
  it.runIf(CDKTF_BUILD)('has the README its declarations give (npm run docs:modules)', async () => {
    expect(readFileSync(join(MODULES, folder, 'README.md'), 'utf8')).toBe(await readmeOf(folder));
  });

  it('has an example that synthesizes', async () => {
    const { ExampleStack } = (await import(`../../modules/${folder}/example.ts`)) as {
      ExampleStack: new (scope: Construct) => TerraformStack;
    };
    const json = JSON.parse(Testing.synth(new ExampleStack(Testing.app()))) as { resource?: object };
    expect(Object.keys(json.resource ?? {}).length).toBeGreaterThan(0);
  });
});

it('covers every module folder', () => {
  expect(folders).toHaveLength(17);
});
