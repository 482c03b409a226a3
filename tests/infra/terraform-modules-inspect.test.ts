import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/terraform-modules/generate.js';
import { inspectTree } from '../../scripts/terraform-modules/inspect.js';
import { findTool } from '../../scripts/terraform-modules/tools.js';

/**
 * npm run modules:inspect: terraform-config-inspect parses every generated module and example,
 * and every example passes only declared inputs, every required one and every provider alias.
 */
const inspector = findTool('terraform-config-inspect');
if (!inspector && process.env.REQUIRE_TERRAFORM_CLI === '1') {
  throw new Error(
    'REQUIRE_TERRAFORM_CLI=1 but terraform-config-inspect was not found (run scripts/toolchain/build.sh)',
  );
}

/** A copy of terraform/ to break. */
function copyOfTree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'modules-inspect-'));
  cpSync(join(ROOT, 'terraform'), dir, { recursive: true });
  return dir;
}

function edit(file: string, change: (text: string) => string): void {
  writeFileSync(file, change(readFileSync(file, 'utf8')));
}

describe.runIf(inspector !== undefined)('modules:inspect (terraform-config-inspect)', () => {
  it('finds no problem in the committed modules and examples', async () => {
    expect(await inspectTree(join(ROOT, 'terraform'))).toEqual([]);
  });

  it('names an undeclared input, a missing required input and an unmapped provider alias', async () => {
    const tree = copyOfTree();
    edit(join(tree, 'examples', 'dynamodb-global-table', 'main.tf'), (text) =>
      text
        .replace(/\n {2}hash_key_name += [^\n]+/, '\n  colour = "blue"')
        .replace(/\n {4}aws\.secondary = aws\.euw1/, ''),
    );
    const problems = await inspectTree(tree);
    expect(problems).toEqual([
      'examples/dynamodb-global-table: module "dynamodb_global_table" passes colour, which ../../modules/dynamodb-global-table does not declare',
      'examples/dynamodb-global-table: module "dynamodb_global_table" does not pass hash_key_name, which ../../modules/dynamodb-global-table requires',
      'examples/dynamodb-global-table: module "dynamodb_global_table" maps no provider to aws.secondary',
    ]);
  });

  it('names a module that does not parse and a module without an example', async () => {
    const tree = copyOfTree();
    edit(join(tree, 'modules', 'regional-network', 'variables.tf.json'), (text) =>
      text.replace('"variable"', '"variable" ['),
    );
    cpSync(join(tree, 'modules', 'dynamodb-global-table'), join(tree, 'modules', 'orphan'), { recursive: true });
    const problems = await inspectTree(tree);
    expect(problems.some((problem) => problem.startsWith('modules/regional-network: '))).toBe(true);
    expect(problems).toContain('modules/orphan: no example under examples/ calls it');
  });
});
