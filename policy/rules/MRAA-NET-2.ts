import { ANYWHERE, SECURITY_GROUP_RULE_TYPES, trafficRules } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const noIngressFromAnywhere: PolicyRule = {
  id: 'MRAA-NET-2',
  checkovIds: ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_AWS_260', 'CKV_AWS_277'],
  rationale: 'Only the load balancer faces the internet; every other tier admits the tier in front of it alone.',
  fix: "Admit a security group (referencedSecurityGroupId) or a private range instead of 0.0.0.0/0 or ::/0; the load balancer's 443/80 are suppressed by name.",
  appliesTo: SECURITY_GROUP_RULE_TYPES,
  check: (config, context) =>
    trafficRules(context.block.type, config)
      .filter((rule) => rule.direction === 'ingress')
      .flatMap((rule) =>
        rule.cidrs
          .filter((cidr) => ANYWHERE.includes(cidr))
          .map((cidr) => `${rule.where}ingress from ${cidr} on ${rule.protocol} ${rule.ports}`),
      ),
};
