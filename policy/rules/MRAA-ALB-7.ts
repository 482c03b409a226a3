import { isFalse, mustBeSet, nestedBlock, nestedBlocks, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const targetGroupHealthCheck: PolicyRule = {
  id: 'MRAA-ALB-7',
  checkovIds: ['CKV_AWS_261'],
  rationale: 'The load balancer sends traffic only to tasks that answer a real health endpoint.',
  fix: 'Set healthCheck: { enabled: true, path: "/health", matcher: "200" }.',
  appliesTo: ['aws_lb_target_group', 'aws_alb_target_group'],
  check(config) {
    if (nestedBlocks(config.health_check).length === 0) return ['health_check is not configured'];
    const healthCheck = nestedBlock(config, 'health_check');
    const httpProtocol = config.protocol === undefined || config.protocol === 'HTTP' || config.protocol === 'HTTPS';
    return [
      ...unless(!isFalse(healthCheck.enabled), 'health_check.enabled is false'),
      ...(httpProtocol ? mustBeSet(healthCheck, 'path', 'health_check.') : []),
    ];
  },
};
