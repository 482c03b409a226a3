import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/terraform-modules/generate.js';
import { checkInterface } from '../../scripts/terraform-modules/interface.js';
import { findTool } from '../../scripts/terraform-modules/tools.js';

/** npm run modules:interface, on a throwaway repository with a v0.1.0 tag and changes after it. */
const inspector = findTool('terraform-config-inspect');

const MODULE = 'dynamodb-global-table';

function git(repo: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
    cwd: repo,
    stdio: 'pipe',
  });
}

/** A repository holding today's generated module, committed (and tagged when `tag` is given). */
function repository(tag?: string): string {
  const repo = mkdtempSync(join(tmpdir(), 'modules-interface-'));
  git(repo, 'init', '-q');
  cpSync(join(ROOT, 'terraform', 'modules', MODULE), join(repo, 'terraform', 'modules', MODULE), { recursive: true });
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'first');
  if (tag) git(repo, 'tag', tag);
  return repo;
}

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

function editJson(file: string, change: (body: Blocks) => void): void {
  const body = JSON.parse(readFileSync(file, 'utf8')) as Blocks;
  change(body);
  writeFileSync(file, JSON.stringify(body, null, 2));
}

describe.runIf(inspector !== undefined)('modules:interface', () => {
  it('says so when there is no release tag', () => {
    const repo = repository();
    const result = checkInterface([], repo);
    expect(result).toEqual({ code: 0, report: expect.stringContaining('No v* release tag yet') as unknown });
    rmSync(repo, { recursive: true, force: true });
  });

  it('reports no change against the newest tag when nothing changed, and a patch release', () => {
    const repo = repository('v0.1.0');
    expect(checkInterface([], repo).report).toBe(
      `Interfaces of terraform/modules against v0.1.0:\n  no change\nNext release: v0.1.1 (patch: the interface is unchanged).`,
    );
    rmSync(repo, { recursive: true, force: true });
  });

  it('reports removed, renamed and newly required inputs and removed outputs as breaking, additions as minor', () => {
    const repo = repository('v0.1.0');
    const dir = join(repo, 'terraform', 'modules', MODULE);
    editJson(join(dir, 'variables.tf.json'), ({ variable }) => {
      variable!.table_name = variable!.name!;
      delete variable!.name;
      delete variable!.deletion_protection!.default;
      variable!.billing_note = { type: 'string', default: 'on demand' };
    });
    editJson(join(dir, 'main.tf.json'), ({ resource }) => {
      const keys = resource!.aws_kms_key!;
      keys.primary_key = keys.primary_key_key!;
      delete keys.primary_key_key;
    });
    editJson(join(dir, 'outputs.tf.json'), ({ output }) => {
      delete output!.stream_arn;
      output!.table_id = { value: '${aws_dynamodb_table.table.id}' };
    });
    const result = checkInterface(['--fail-on-breaking'], repo);
    expect(result.report.split('\n')).toEqual([
      'Interfaces of terraform/modules against v0.1.0:',
      `  BREAKING ${MODULE}: input deletion_protection is now required (its default was removed)`,
      `  BREAKING ${MODULE}: input name removed (or renamed)`,
      `  BREAKING ${MODULE}: new required input table_name`,
      `  BREAKING ${MODULE}: output stream_arn removed (or renamed)`,
      `  BREAKING ${MODULE}: resource aws_kms_key.primary_key_key removed or renamed (callers' plans destroy it, unless a moved block says where it went)`,
      `  minor    ${MODULE}: new optional input billing_note`,
      `  minor    ${MODULE}: new output table_id`,
      'Next release: v1.0.0 (major: breaking changes).',
    ]);
    expect(result.code).toBe(1);
    expect(checkInterface([], repo).code).toBe(0);
    rmSync(repo, { recursive: true, force: true });
  });

  it('reports a removed module as breaking and a new one as minor, against any ref', () => {
    const repo = repository('v0.1.0');
    git(repo, 'mv', `terraform/modules/${MODULE}`, 'terraform/modules/global-table');
    git(repo, 'commit', '-q', '-m', 'rename');
    const result = checkInterface(['--against', 'HEAD~1'], repo);
    expect(result.report.split('\n').slice(1)).toEqual([
      `  BREAKING ${MODULE}: module removed`,
      '  minor    global-table: new module',
    ]);
    rmSync(repo, { recursive: true, force: true });
  });
});
