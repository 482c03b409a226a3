/**
 * Prints every active policy suppression (policy/suppressions.ts) with its reason and how
 * many findings it silences in each environment (`default` and every environments/*.json).
 * Exits non-zero when a suppression is invalid or silences nothing in any environment: a stale
 * suppression would quietly cover the next resource that happens to match it.
 *
 *   npm run policy:suppressions                  # plain text
 *   npm run policy:suppressions -- --markdown    # the table kept in the README
 */
import { DEFAULT_ENVIRONMENT, listEnvironments, loadDeploymentConfig } from '../config/index.js';
import { auditSuppressions, type SuppressionUse } from '../policy/audit.js';
import { describeSuppression, POLICY_RULES, SUPPRESSIONS, suppressionProblems } from '../policy/index.js';
import { silenceCdktfDeprecations } from '../stacks/dependency-warnings.js';
import { ENVIRONMENTS_DIRECTORY } from '../stacks/synthesize.js';

// This script builds every environment's stacks in-process, as npm run synth does.
silenceCdktfDeprecations();

function silencedSummary(use: SuppressionUse): string {
  return Object.entries(use.silenced)
    .map(([environment, count]) => `${environment} ${count}`)
    .join(', ');
}

function isUnused(use: SuppressionUse): boolean {
  return Object.values(use.silenced).every((count) => count === 0);
}

function markdown(uses: readonly SuppressionUse[]): string[] {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  return [
    '| Rule | Construct path | Environments | Reason | Findings silenced |',
    '| --- | --- | --- | --- | --- |',
    ...uses.map(
      ({ suppression, ...use }) =>
        `| ${suppression.ruleId} | \`${suppression.path}\` | ${suppression.environments?.join(', ') ?? 'all'} | ${cell(suppression.reason)} | ${silencedSummary({ suppression, ...use })} |`,
    ),
  ];
}

function text(uses: readonly SuppressionUse[]): string[] {
  return uses.flatMap((use) => [
    describeSuppression(use.suppression),
    `  reason:   ${use.suppression.reason}`,
    `  silences: ${silencedSummary(use)}${isUnused(use) ? '  <- UNUSED: silences nothing in any environment; remove it' : ''}`,
  ]);
}

function run(argv: readonly string[]): number {
  const invalid = suppressionProblems(
    SUPPRESSIONS,
    POLICY_RULES.map((rule) => rule.id),
  );
  const environments = [DEFAULT_ENVIRONMENT, ...listEnvironments(ENVIRONMENTS_DIRECTORY)];
  const configs = environments.map((environment) =>
    loadDeploymentConfig({ environment, directory: ENVIRONMENTS_DIRECTORY }),
  );
  const { uses, unsuppressed } = auditSuppressions(configs);
  const lines = argv.includes('--markdown')
    ? markdown(uses)
    : [`Policy suppressions (policy/suppressions.ts), checked against: ${environments.join(', ')}`, '', ...text(uses)];
  process.stdout.write(`${lines.join('\n')}\n`);

  const unused = uses.filter(isUnused);
  const failing = Object.entries(unsuppressed).filter(([, findings]) => findings.length > 0);
  const problems = [
    ...invalid,
    ...unused.map((use) => `${describeSuppression(use.suppression)} silences nothing in any environment`),
  ];
  for (const [environment, findings] of failing) {
    process.stderr.write(
      `note: ${environment} has ${findings.length} unsuppressed finding(s); its synth fails:\n${findings.map((f) => `  ${f}`).join('\n')}\n`,
    );
  }
  if (problems.length > 0) {
    process.stderr.write(`${problems.length} suppression problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = run(process.argv.slice(2));
