import { LOAD_BALANCERS, mustBeSet, mustBeTrue, nestedBlock } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const loadBalancerAccessLogs: PolicyRule = {
  id: 'MRAA-ALB-4',
  checkovIds: ['CKV_AWS_91'],
  rationale: 'Access logs are the only record of every request that reached the load balancer, blocked or not.',
  fix: "Set accessLogs: { enabled: true, bucket } with an S3 bucket the region's load-balancer service may write to.",
  appliesTo: LOAD_BALANCERS,
  check(config) {
    const logs = nestedBlock(config, 'access_logs');
    return [...mustBeTrue(logs, 'enabled', 'access_logs.'), ...mustBeSet(logs, 'bucket', 'access_logs.')];
  },
};
