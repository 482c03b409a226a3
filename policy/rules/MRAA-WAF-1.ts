import { nestedBlock, nestedBlocks, parseJsonArgument, stringList, unless } from '../inspect.js';
import type { BlockConfig, PolicyRule } from '../rule.js';

/** The AWS managed rule group that blocks known exploit payloads, Log4Shell (CVE-2021-44228) included. */
export const KNOWN_BAD_INPUTS_RULE_GROUP = 'AWSManagedRulesKnownBadInputsRuleSet';

/**
 * Names of the managed rule groups a web ACL uses, whether its rules are `rule` blocks or the
 * API's own JSON in `rule_json` (which checkov does not read).
 */
function managedRuleGroups(config: BlockConfig): { groups: string[]; problem?: string } {
  const fromBlocks = nestedBlocks(config.rule).map(
    (rule) => nestedBlock(nestedBlock(rule, 'statement'), 'managed_rule_group_statement').name,
  );
  if (config.rule_json === undefined) return { groups: stringList(fromBlocks) };
  const parsed = parseJsonArgument(config, 'rule_json');
  if ('problem' in parsed) return { groups: [], problem: parsed.problem };
  const fromJson = nestedBlocks(parsed.value).map(
    (rule) => nestedBlock(nestedBlock(rule, 'Statement'), 'ManagedRuleGroupStatement').Name,
  );
  return { groups: stringList([...fromBlocks, ...fromJson]) };
}

export const webAclBlocksKnownBadInputs: PolicyRule = {
  id: 'MRAA-WAF-1',
  checkovIds: ['CKV_AWS_175', 'CKV_AWS_192', 'CKV2_AWS_76'],
  rationale:
    "The load balancer's web ACL must block known exploit payloads (Log4Shell and the like) before they reach a task.",
  fix: `Add a rule with managedRuleGroupStatement { vendorName: "AWS", name: "${KNOWN_BAD_INPUTS_RULE_GROUP}" } and overrideAction none.`,
  appliesTo: ['aws_wafv2_web_acl'],
  check(config) {
    const { groups, problem } = managedRuleGroups(config);
    if (problem) return [problem];
    return unless(
      groups.includes(KNOWN_BAD_INPUTS_RULE_GROUP),
      `no rule uses the managed rule group ${KNOWN_BAD_INPUTS_RULE_GROUP}`,
    );
  },
};
