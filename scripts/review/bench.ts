/**
 * Review benchmark: the whole `npm run review` of the production environment (a worktree for the
 * base, base and head synths in parallel, the diff, the policy pack on both sides, the report)
 * against one synth of the same environment, measured in the same run. Target: at most 2.5×.
 *
 *   npm run bench:review              # 3 runs each
 *   npm run bench:review -- --runs 5
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './synth.js';

const TARGET_RATIO = 2.5;
const ENVIRONMENT = 'production';

function timed(command: string, args: readonly string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return seconds;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error('no samples');
  return middle;
}

function main(): void {
  const runsFlag = process.argv.indexOf('--runs');
  const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 3;
  const synth = (): number =>
    timed(process.execPath, [join(PROJECT_ROOT, 'scripts', 'run-app.cjs')], {
      DEPLOY_ENV: ENVIRONMENT,
      CDKTF_OUTDIR: join(mkdtempSync(join(tmpdir(), 'bench-review-synth-')), 'cdktf.out'),
    });
  const review = (): number =>
    timed(
      process.execPath,
      [
        join(PROJECT_ROOT, 'scripts', 'review', 'run.cjs'),
        '--base',
        'HEAD',
        '--env',
        ENVIRONMENT,
        '--format',
        'json',
        '--out',
        join(mkdtempSync(join(tmpdir(), 'bench-review-')), 'review.json'),
      ],
      {},
    );
  synth(); // warm the file cache
  const synths: number[] = [];
  const reviews: number[] = [];
  for (let run = 0; run < runs; run++) {
    synths.push(synth());
    reviews.push(review());
  }
  const ratio = median(reviews) / median(synths);
  console.log(
    `review benchmark (${ENVIRONMENT}, ${runs} runs, node ${process.version}, ${process.platform}/${process.arch})`,
  );
  console.log(`one synth:   median ${median(synths).toFixed(2)} s (${synths.map((s) => s.toFixed(2)).join(', ')})`);
  console.log(`full review: median ${median(reviews).toFixed(2)} s (${reviews.map((s) => s.toFixed(2)).join(', ')})`);
  console.log(
    `ratio: ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×) ${ratio <= TARGET_RATIO ? 'ok' : 'OVER TARGET'}`,
  );
  if (ratio > TARGET_RATIO) process.exitCode = 1;
}

main();
