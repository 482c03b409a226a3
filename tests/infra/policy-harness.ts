import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { applyPolicyPack, type Finding, type PolicyPackOptions } from '../../policy/index.js';
import { errorAnnotations } from '../../stacks/synthesize.js';

/** What the policy pack said about a small stack built for a test. */
export interface PackResult {
  readonly findings: readonly Finding[];
  /** Error annotations as synthesis prints them: `[<construct path>] <message>`. */
  readonly errors: readonly string[];
}

/**
 * Builds one stack (`test`, with a us-east-1 provider) with `build`, applies the policy pack the
 * way `buildDeployment` does, and runs cdktf's aspect pass over it.
 */
export function checkStack(
  build: (stack: TerraformStack, provider: AwsProvider) => void,
  options: Partial<PolicyPackOptions> = {},
): PackResult {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  build(stack, new AwsProvider(stack, 'aws', { region: 'us-east-1' }));
  const pack = applyPolicyPack(app, { environment: 'test', suppressions: [], ...options });
  Testing.synth(stack);
  return { findings: pack.findings, errors: errorAnnotations(app) };
}

/** A finding as `<construct path>: <rule id> <problem>`, for exact comparisons. */
export function describeFinding(finding: Finding): string {
  return `${finding.block.path}: ${finding.rule.id} ${finding.problem}`;
}
