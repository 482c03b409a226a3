/**
 * Synthesis benchmark: runs the real entry point (`scripts/run-app.cjs`, as `npm run synth` does) for
 * deployments of 2, 3 and 5 regions and prints wall time and peak memory of each.
 *
 *   npm run bench:synth              # 5 runs per size
 *   npm run bench:synth -- --runs 10
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PROJECT_ROOT = join(__dirname, '..');
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1', 'us-west-2', 'eu-central-1'];
const SIZES = [2, 3, 5];
const TARGET = { regions: 2, wallSeconds: 1.5, peakMiB: 250 };

interface Sample {
  readonly wallSeconds: number;
  readonly peakMiB: number;
  readonly stacks: number;
}

function synthOnce(environmentsDir: string, environment: string): Sample {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  const outdir = join(scratch, 'cdktf.out');
  const started = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    ['--require', join(PROJECT_ROOT, 'scripts/bench/report-usage.cjs'), join(PROJECT_ROOT, 'scripts/run-app.cjs')],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DEPLOY_ENV: environment, DEPLOY_ENV_DIR: environmentsDir, CDKTF_OUTDIR: outdir },
      encoding: 'utf8',
    },
  );
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const usage = /MRAA_USAGE (\{.*\})/.exec(result.stderr)?.[1];
  if (result.status !== 0 || usage === undefined) throw new Error(`synth failed (${result.status}):\n${result.stderr}`);
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: object };
  rmSync(scratch, { recursive: true, force: true });
  return {
    wallSeconds,
    peakMiB: (JSON.parse(usage) as { maxRssKiB: number }).maxRssKiB / 1024,
    stacks: Object.keys(manifest.stacks).length,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error('no samples to take the median of');
  return middle;
}

function main(): void {
  const runsFlag = process.argv.indexOf('--runs');
  const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 5;
  const environmentsDir = mkdtempSync(join(tmpdir(), 'bench-envs-'));
  console.log(`synth benchmark: ${runs} runs per size, node ${process.version}, ${process.platform}/${process.arch}`);
  console.log('regions  stacks  wall median (s)  wall min (s)  peak RSS max (MiB)  per region (s)');
  const medians: Array<{ size: number; wall: number }> = [];
  for (const size of SIZES) {
    const environment = `bench-${size}`;
    writeFileSync(
      join(environmentsDir, `${environment}.json`),
      JSON.stringify({
        regions: REGIONS.slice(0, size).map((region) => ({ region })),
      }),
    );
    // An unmeasured first run warms the caches, as on a developer's machine.
    const warmup = synthOnce(environmentsDir, environment);
    const samples = Array.from({ length: runs }, () => synthOnce(environmentsDir, environment));
    const wall = median(samples.map((sample) => sample.wallSeconds));
    const peak = Math.max(...samples.map((sample) => sample.peakMiB));
    medians.push({ size, wall });
    const stacks = warmup.stacks;
    console.log(
      `${String(size).padStart(7)}  ${String(stacks).padStart(6)}  ${wall.toFixed(2).padStart(15)}  ${Math.min(
        ...samples.map((s) => s.wallSeconds),
      )
        .toFixed(2)
        .padStart(12)}  ${peak.toFixed(0).padStart(18)}  ${(wall / size).toFixed(2).padStart(14)}`,
    );
    if (size === TARGET.regions) {
      const ok = wall <= TARGET.wallSeconds && peak <= TARGET.peakMiB;
      console.log(
        `         target for ${TARGET.regions} regions: ≤ ${TARGET.wallSeconds} s and ≤ ${TARGET.peakMiB} MiB → ${ok ? 'met' : 'MISSED'}`,
      );
    }
  }
  rmSync(environmentsDir, { recursive: true, force: true });
  const smallest = medians[0];
  const largest = medians[medians.length - 1];
  if (smallest && largest && largest.size > smallest.size) {
    const growth = (largest.wall - smallest.wall) / (largest.size - smallest.size);
    console.log(`marginal cost per extra region: ${growth.toFixed(2)} s (${smallest.size} → ${largest.size} regions)`);
  }
}

main();
