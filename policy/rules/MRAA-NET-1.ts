import { eachNested, mustBeSet, SECURITY_GROUP_RULE_TYPES } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const securityGroupDescriptions: PolicyRule = {
  id: 'MRAA-NET-1',
  checkovIds: ['CKV_AWS_23'],
  rationale: 'A description on every group and rule says why the opening exists, so a review can tell a stale one.',
  fix: 'Set description on the security group and on every rule, saying which traffic it admits and why.',
  appliesTo: SECURITY_GROUP_RULE_TYPES,
  check: (config) => [
    ...mustBeSet(config, 'description'),
    ...eachNested(config, 'ingress', (rule, where) => mustBeSet(rule, 'description', where)),
    ...eachNested(config, 'egress', (rule, where) => mustBeSet(rule, 'description', where)),
  ],
};
