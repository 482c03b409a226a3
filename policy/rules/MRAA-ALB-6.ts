import { blocksReferring, isTrue, LOAD_BALANCERS, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const loadBalancerWaf: PolicyRule = {
  id: 'MRAA-ALB-6',
  checkovIds: ['CKV2_AWS_28'],
  rationale: 'An internet-facing load balancer sits behind a WAF web ACL (managed rule groups, rate limits).',
  fix: 'Add an aws_wafv2_web_acl_association in the same stack with resourceArn of this load balancer.',
  appliesTo: LOAD_BALANCERS,
  check: (config, context) =>
    isTrue(config.internal)
      ? []
      : unless(
          blocksReferring(context, 'aws_wafv2_web_acl_association', 'resource_arn').length > 0,
          'internet-facing and no aws_wafv2_web_acl_association in the stack protects it',
        ),
};
