import { ANYWHERE, SECURITY_GROUP_RULE_TYPES, trafficRules } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const noUnrestrictedEgress: PolicyRule = {
  id: 'MRAA-NET-3',
  checkovIds: ['CKV_AWS_382'],
  rationale: 'Egress names its protocol and ports, so a compromised task cannot open any connection it likes.',
  fix: 'Allow egress per protocol and port (such as tcp 443) or to a security group, not all traffic to 0.0.0.0/0 or ::/0.',
  appliesTo: SECURITY_GROUP_RULE_TYPES,
  check: (config, context) =>
    trafficRules(context.block.type, config)
      .filter((rule) => rule.direction === 'egress' && rule.protocol === 'all protocols')
      .flatMap((rule) =>
        rule.cidrs
          .filter((cidr) => ANYWHERE.includes(cidr))
          .map((cidr) => `${rule.where}egress to ${cidr} on all protocols and ports`),
      ),
};
