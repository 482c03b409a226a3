/**
 * Policy-pack findings of a synthesized output: the pack's rules (policy/) applied to every block
 * of every `cdk.tf.json`, the way the aspect applies them at synth, suppressions included. The
 * review runs the head's pack over both base and head, so a finding is new or resolved because the
 * configuration changed.
 */
// The rules and suppressions directly: policy/index.js also loads the aspect, and with it cdktf.
import type { SynthesizedBlock } from '../../policy/rule.js';
import { POLICY_RULES } from '../../policy/rules/index.js';
import { SUPPRESSIONS } from '../../policy/suppressions.js';
import { suppresses } from '../../policy/suppression.js';
import type { StackJson, SynthOutput } from './diff.js';

export interface PolicyFinding {
  readonly stack: string;
  readonly rule: string;
  readonly address: string;
  readonly constructPath: string;
  readonly problem: string;
  /** The suppression's reason, when one silences the finding. */
  readonly suppressed?: string;
}

function blocksOf(stack: StackJson): SynthesizedBlock[] {
  return (['resource', 'data'] as const).flatMap((kind) =>
    Object.entries(stack[kind] ?? {}).flatMap(([type, blocks]) =>
      Object.entries(blocks).map(([id, body]) => {
        const { '//': metadata, ...config } = body;
        const path = (metadata as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? id;
        const fullType = kind === 'data' ? `data.${type}` : type;
        return { type: fullType, address: `${fullType}.${id}`, path, config };
      }),
    ),
  );
}

export function policyFindings(synth: SynthOutput, environment: string): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  for (const [stack, json] of synth.stacks) {
    const blocks = blocksOf(json);
    const byType = new Map<string, SynthesizedBlock[]>();
    for (const block of blocks) byType.set(block.type, [...(byType.get(block.type) ?? []), block]);
    for (const block of blocks) {
      for (const rule of POLICY_RULES.filter((candidate) => candidate.appliesTo.includes(block.type))) {
        for (const problem of rule.check(block.config, { block, blocksOfType: (type) => byType.get(type) ?? [] })) {
          const suppression = SUPPRESSIONS.find((candidate) => suppresses(candidate, rule.id, block.path, environment));
          findings.push({
            stack,
            rule: rule.id,
            address: block.address,
            constructPath: block.path,
            problem,
            suppressed: suppression?.reason,
          });
        }
      }
    }
  }
  return findings;
}

function key(finding: PolicyFinding): string {
  return [finding.stack, finding.rule, finding.address, finding.problem, finding.suppressed ?? ''].join('\u0000');
}

/** Findings only the head has (new) and only the base has (resolved). */
export function policyDelta(
  base: readonly PolicyFinding[],
  head: readonly PolicyFinding[],
): { added: PolicyFinding[]; resolved: PolicyFinding[] } {
  const baseKeys = new Set(base.map(key));
  const headKeys = new Set(head.map(key));
  return {
    added: head.filter((finding) => !baseKeys.has(key(finding))),
    resolved: base.filter((finding) => !headKeys.has(key(finding))),
  };
}
