/**
 * `npm run review`: synthesizes a base and a head for one or more environments and reports, per
 * stack in deploy order, what is created, changed, replaced and destroyed (docs/review.md).
 *
 *   npm run review -- [--base <ref>] [--head <ref|worktree>] [--env <name> ...]
 *                     [--format markdown|json] [--out <file>] [--fail-on-destroy] [--allow <file>]
 *                     [--plan <stack>=<plan.json> ...]
 */
import { rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { isAllowed, readAllowList } from './allow.js';
import { readPlan, type PlanJson } from './plan.js';
import type { EnvironmentReview, Review } from './report.js';
import { checkout, defaultBase, synthesizeIn, WORKTREE, type Checkout } from './synth.js';

const DEFAULT_ENVIRONMENTS = ['default', 'staging', 'production'];

const USAGE = `usage: npm run review -- [--base <ref>] [--head <ref|worktree>] [--env <name> ...]
  [--format markdown|json] [--out <file>] [--fail-on-destroy] [--allow <file>] [--plan <stack>=<plan.json> ...]`;

/** Part files: `review.md`, `review.2.md`, … */
export function partFile(out: string, index: number): string {
  if (index === 0) return out;
  const dot = out.lastIndexOf('.');
  return dot > out.lastIndexOf('/') ? `${out.slice(0, dot)}.${index + 1}${out.slice(dot)}` : `${out}.${index + 1}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      head: { type: 'string', default: WORKTREE },
      env: { type: 'string', multiple: true },
      format: { type: 'string', default: 'markdown' },
      out: { type: 'string' },
      'fail-on-destroy': { type: 'boolean', default: false },
      allow: { type: 'string' },
      plan: { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.format !== 'markdown' && values.format !== 'json')
    throw new Error(`--format is markdown or json\n${USAGE}`);
  const environments = values.env && values.env.length > 0 ? values.env : DEFAULT_ENVIRONMENTS;
  const plans = new Map<string, PlanJson>();
  for (const spec of values.plan ?? []) {
    const equals = spec.indexOf('=');
    if (equals <= 0) throw new Error(`--plan takes <stack>=<plan.json>, got ${spec}`);
    plans.set(spec.slice(0, equals), readPlan(spec.slice(equals + 1)));
  }
  const allow = values.allow !== undefined ? readAllowList(values.allow) : [];
  const baseRef = values.base ?? defaultBase();

  const checkouts: Checkout[] = [];
  const outdirs: string[] = [];
  try {
    // Synths start first (the head's needs no checkout); the review code loads while they run.
    const head = checkout(values.head);
    checkouts.push(head);
    const headSynths = new Map(
      environments.map((environment) => [environment, synthesizeIn(head.directory, environment)]),
    );
    const base = checkout(baseRef);
    checkouts.push(base);
    const pending = environments.map((environment) => ({
      environment,
      sides: Promise.all([
        synthesizeIn(base.directory, environment),
        headSynths.get(environment) ?? synthesizeIn(head.directory, environment),
      ]),
    }));
    const { describeForceNew, readForceNewTable, reviewEnvironment } = await import('./review.js');
    const { destructiveChanges, renderJson, renderMarkdown } = await import('./report.js');
    const { usageOf } = await import('./cost.js');
    const table = readForceNewTable();
    const reviews: EnvironmentReview[] = [];
    const synths = await Promise.all(
      pending.map(async ({ environment, sides }) => ({ environment, sides: await sides })),
    );
    outdirs.push(...synths.flatMap(({ sides }) => sides.map((side) => side.outdir)));
    for (const { environment, sides } of synths) {
      const [baseSynth, headSynth] = sides;
      const errors = [
        baseSynth.error !== undefined ? `The base does not synthesize ${environment}:\n${baseSynth.error}` : undefined,
        headSynth.error !== undefined ? `The head does not synthesize ${environment}:\n${headSynth.error}` : undefined,
      ].filter((error): error is string => error !== undefined);
      if (errors.length > 0) {
        reviews.push({ environment, stacks: [], policy: { added: [], resolved: [] }, errors });
        continue;
      }
      const usage = { base: usageOf(base.directory, environment), head: usageOf(head.directory, environment) };
      reviews.push(
        reviewEnvironment({
          environment,
          baseOutdir: baseSynth.outdir,
          headOutdir: headSynth.outdir,
          table,
          plans,
          usage,
        }),
      );
    }
    const review: Review = {
      base: base.label,
      head: head.label,
      forceNew: describeForceNew(table),
      environments: reviews,
    };
    const parts = values.format === 'json' ? [renderJson(review)] : renderMarkdown(review);
    if (values.out !== undefined) {
      const out = values.out;
      parts.forEach((part, index) => writeFileSync(partFile(out, index), part));
      console.error(`review: wrote ${parts.map((_, index) => partFile(out, index)).join(', ')}`);
    } else {
      process.stdout.write(parts.join('\n\n'));
    }

    let status = reviews.some((entry) => entry.errors.length > 0) ? 1 : 0;
    if (values['fail-on-destroy']) {
      const refused = destructiveChanges(review).filter(
        ({ environment, stack, change }) => isAllowed(allow, environment, stack, change.address) === undefined,
      );
      for (const { environment, stack, change } of refused)
        console.error(`review: ${change.action} ${environment}/${stack} ${change.address} is not in the allow-list`);
      if (refused.length > 0) status = 1;
    }
    return status;
  } finally {
    for (const entry of checkouts) entry.dispose();
    for (const outdir of outdirs) rmSync(dirname(outdir), { recursive: true, force: true });
  }
}

/** Runs the command and exits with its status (scripts/review/run.cjs calls it on the bundle). */
export function run(): void {
  main().then(
    (status) => process.exit(status),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(2);
    },
  );
}

if (require.main === module) run();
