/**
 * One environment's review from two synthesized output folders: the structural diff, real plans
 * where given, and the policy pack's findings on both sides.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffSynths, readSynthOutput, withCrossStackImpacts, type ForceNewTable, type StackReview } from './diff.js';
import { costChange, type UsageSource } from './cost.js';
import { planChanges, type PlanJson } from './plan.js';
import { policyDelta, policyFindings } from './policy.js';
import type { EnvironmentReview } from './report.js';

export const FORCE_NEW_FILE = join(__dirname, '..', '..', 'review', 'force-new.json');

export function readForceNewTable(file = FORCE_NEW_FILE): ForceNewTable | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ForceNewTable) : undefined;
}

export function describeForceNew(table: ForceNewTable | undefined): string {
  return table === undefined
    ? 'no force-new table: replacements are not predicted'
    : `force-new facts of ${table.provider} ${table.version}, generated ${table.generated}`;
}

/** Compares the base and head output folders of one environment. */
export function reviewEnvironment(options: {
  environment: string;
  baseOutdir: string;
  headOutdir: string;
  table: ForceNewTable | undefined;
  /** Real plans by stack name (`terraform show -json`). */
  plans?: ReadonlyMap<string, PlanJson>;
  /** Each side's usage assumptions: with them the review prices both sides (scripts/review/cost.ts). */
  usage?: { base: UsageSource; head: UsageSource };
}): EnvironmentReview {
  const base = readSynthOutput(options.baseOutdir);
  const head = readSynthOutput(options.headOutdir);
  let stacks: StackReview[] = diffSynths(base, head, options.table);
  if (options.plans !== undefined && options.plans.size > 0) {
    const plans = options.plans;
    stacks = withCrossStackImpacts(
      stacks.map((stack) => {
        const plan = plans.get(stack.stack);
        if (plan === undefined) return stack;
        const { resources, dataSources } = planChanges(plan);
        const status =
          resources.length + dataSources.length + stack.outputs.length + stack.values.length > 0
            ? 'changed'
            : 'unchanged';
        return {
          ...stack,
          resources,
          dataSources,
          planned: true,
          status: stack.status === 'changed' || stack.status === 'unchanged' ? status : stack.status,
        };
      }),
      head,
    );
  }
  return {
    environment: options.environment,
    stacks,
    policy: policyDelta(policyFindings(base, options.environment), policyFindings(head, options.environment)),
    errors: [],
    cost:
      options.usage === undefined
        ? undefined
        : costChange({ environment: options.environment, base, head, usage: options.usage }),
  };
}
