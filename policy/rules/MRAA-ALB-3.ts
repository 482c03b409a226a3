import { LOAD_BALANCERS, mustBeTrue } from '../inspect.js';
import type { BlockConfig, PolicyRule } from '../rule.js';

/** An application load balancer: `load_balancer_type` unset or `application`. */
function isApplicationLoadBalancer(config: BlockConfig): boolean {
  return config.load_balancer_type === undefined || config.load_balancer_type === 'application';
}

export const loadBalancerDropsInvalidHeaders: PolicyRule = {
  id: 'MRAA-ALB-3',
  checkovIds: ['CKV_AWS_131'],
  rationale: 'Dropping malformed headers closes request-smuggling paths between the load balancer and the service.',
  fix: 'Set dropInvalidHeaderFields: true.',
  appliesTo: LOAD_BALANCERS,
  check: (config) => (isApplicationLoadBalancer(config) ? mustBeTrue(config, 'drop_invalid_header_fields') : []),
};
