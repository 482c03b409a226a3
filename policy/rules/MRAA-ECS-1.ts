import { isTrue, nestedBlock, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const serviceWithoutPublicIp: PolicyRule = {
  id: 'MRAA-ECS-1',
  checkovIds: ['CKV_AWS_333'],
  rationale:
    'Tasks run in private subnets and reach the internet through NAT; a public address bypasses the load balancer.',
  fix: 'Set networkConfiguration.assignPublicIp: false with private subnets.',
  appliesTo: ['aws_ecs_service'],
  check: (config) =>
    unless(
      !isTrue(nestedBlock(config, 'network_configuration').assign_public_ip),
      'network_configuration.assign_public_ip is true',
    ),
};
