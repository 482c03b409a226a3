import { LOAD_BALANCERS, mustBeTrue } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const loadBalancerDeletionProtection: PolicyRule = {
  id: 'MRAA-ALB-5',
  checkovIds: ['CKV_AWS_150'],
  rationale: "Deleting a region's load balancer takes the region out of DNS; it must take a deliberate change.",
  fix: 'Set enableDeletionProtection: true.',
  appliesTo: LOAD_BALANCERS,
  check: (config) => mustBeTrue(config, 'enable_deletion_protection'),
};
