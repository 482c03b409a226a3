import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import type { DeploymentConfig } from '../config/index.js';
import { buildDeployment } from '../stacks/index.js';
import { findingMessage, PolicyPack, type Finding } from './aspect.js';
import type { Suppression } from './suppression.js';

/** How one suppression fared across environments. */
export interface SuppressionUse {
  readonly suppression: Suppression;
  /** Findings it silenced, by environment name. */
  readonly silenced: Readonly<Record<string, number>>;
}

export interface SuppressionAudit {
  readonly uses: readonly SuppressionUse[];
  /** Every finding no suppression covers (`[path] message`), by environment: these fail synthesis. */
  readonly unsuppressed: Readonly<Record<string, readonly string[]>>;
}

/**
 * Builds the whole deployment of each configuration, runs the policy pack over it the way
 * synthesis does, and counts what every suppression silences. A suppression can legitimately
 * silence nothing in one environment (a resource only some environments create), so staleness is
 * judged across all of them.
 */
export function auditSuppressions(configs: readonly DeploymentConfig[]): SuppressionAudit {
  const findingsByEnvironment = new Map(configs.map((config) => [config.environment, policyFindings(config)]));
  const suppressions = [...findingsByEnvironment.values()][0]?.pack.suppressions ?? [];
  const uses = suppressions.map((suppression) => ({
    suppression,
    silenced: Object.fromEntries(
      [...findingsByEnvironment].map(([environment, { findings }]) => [
        environment,
        findings.filter((finding) => finding.suppressedBy === suppression).length,
      ]),
    ),
  }));
  const unsuppressed = Object.fromEntries(
    [...findingsByEnvironment].map(([environment, { findings }]) => [
      environment,
      findings
        .filter((finding) => !finding.suppressedBy)
        .map((finding) => `[${finding.block.path}] ${findingMessage(finding)}`),
    ]),
  );
  return { uses, unsuppressed };
}

function policyFindings(config: DeploymentConfig): { pack: PolicyPack; findings: readonly Finding[] } {
  const outdir = mkdtempSync(join(tmpdir(), 'mraa-policy-audit-'));
  const previous = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  // Findings are collected from every stack, not just up to the first one with an error.
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
  try {
    const app = new App({ outdir, stackTraces: false });
    buildDeployment(app, config);
    app.synth();
    const pack = app.node
      .findAll()
      .filter((construct) => TerraformStack.isStack(construct))
      .map((stack) => PolicyPack.of(stack))
      .find((found) => found !== undefined);
    if (!pack) throw new Error('buildDeployment did not apply the policy pack to any stack');
    return { pack, findings: pack.findings };
  } finally {
    if (previous === undefined) delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    else process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = previous;
    rmSync(outdir, { recursive: true, force: true });
  }
}
