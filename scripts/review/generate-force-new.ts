/**
 * Regenerates review/force-new.json: for every resource type this project synthesizes (default,
 * staging and production), the attributes whose change forces replacement, read from the AWS
 * provider's own Go source (SDKv2 `ForceNew: true`, framework `RequiresReplace*()` plan modifiers).
 *
 *   npx tsx scripts/review/generate-force-new.ts
 *
 * Needs Go and the Go module proxy: `go mod download -json <module>@<version>` fetches the source,
 * and scripts/review/forcenew (a small Go program, standard library only) parses it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { PROJECT_ROOT } from './synth.js';
import { FORCE_NEW_FILE } from './review.js';

/** The proxy serves no v6 release of the provider (the module path has no /v6): this main-branch snapshot reports 6.47.1. */
const MODULE = 'github.com/hashicorp/terraform-provider-aws';
const VERSION = 'v1.60.1-0.20260602190131-5f2286d6d836';
const ENVIRONMENTS = ['default', 'staging', 'production'];

function resourceTypes(): string[] {
  const types = new Set<string>();
  for (const environment of ENVIRONMENTS) {
    const outdir = join(mkdtempSync(join(tmpdir(), 'mraa-force-new-')), 'cdktf.out');
    const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'run-app.cjs')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DEPLOY_ENV: environment === 'default' ? '' : environment, CDKTF_OUTDIR: outdir },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`synth of ${environment} failed:\n${result.stderr}`);
    for (const stack of readdirSync(join(outdir, 'stacks'))) {
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as {
        resource?: Record<string, unknown>;
      };
      for (const type of Object.keys(json.resource ?? {})) types.add(type);
    }
  }
  return [...types].sort();
}

async function main(): Promise<void> {
  const types = resourceTypes();
  const download = JSON.parse(
    execFileSync('go', ['mod', 'download', '-json', `${MODULE}@${VERSION}`], {
      cwd: tmpdir(),
      env: { ...process.env, GOFLAGS: '-mod=mod' },
      encoding: 'utf8',
    }),
  ) as { Dir?: string; Error?: string };
  if (download.Dir === undefined) throw new Error(`go mod download failed: ${download.Error ?? 'no Dir'}`);
  const providerVersion = readFileSync(join(download.Dir, 'version', 'VERSION'), 'utf8').trim();
  const aws = types.filter((type) => type.startsWith('aws_'));
  const scanned = JSON.parse(
    execFileSync('go', ['run', '.', '-dir', download.Dir, '-types', aws.join(',')], {
      cwd: join(__dirname, 'forcenew'),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }),
  ) as { resources: Record<string, string[]>; unresolved: Record<string, string> };
  const table = {
    provider: 'hashicorp/aws',
    version: providerVersion,
    module: `${MODULE}@${VERSION}`,
    generated: new Date().toISOString().slice(0, 10),
    generator: 'scripts/review/generate-force-new.ts',
    note:
      'Attributes (dotted paths into nested blocks) whose change forces replacement: SDKv2 ForceNew and framework ' +
      'RequiresReplace* plan modifiers (RequiresReplaceIf counted, its condition not evaluated). CustomizeDiff ' +
      'functions that force a new resource at plan time are not seen.',
    notCovered: types.filter((type) => !type.startsWith('aws_')),
    unresolved: scanned.unresolved,
    resources: Object.fromEntries(Object.entries(scanned.resources).sort(([a], [b]) => a.localeCompare(b))),
  };
  // Written in the repository's Prettier style, so `prettier --check` passes on the generated file.
  const style = (await resolveConfig(FORCE_NEW_FILE)) ?? {};
  writeFileSync(FORCE_NEW_FILE, await format(JSON.stringify(table, null, 2), { ...style, parser: 'json' }));
  console.log(
    `wrote ${FORCE_NEW_FILE}: ${Object.keys(table.resources).length} resource types from ${MODULE} ${providerVersion}` +
      (Object.keys(table.unresolved).length > 0 ? `; unresolved: ${Object.keys(table.unresolved).join(', ')}` : ''),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
