export { applyPolicyPack, findingMessage, PolicyPack, type Finding, type PolicyPackOptions } from './aspect.js';
export type { BlockConfig, PolicyRule, RuleContext, SynthesizedBlock } from './rule.js';
export { POLICY_RULES } from './rules/index.js';
export { describeSuppression, pathMatches, suppressionProblems, type Suppression } from './suppression.js';
export { SUPPRESSIONS } from './suppressions.js';
