import { mustBeSet, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const distinctTaskAndExecutionRoles: PolicyRule = {
  id: 'MRAA-ECS-3',
  checkovIds: ['CKV_AWS_249'],
  rationale:
    "The execution role (pull image, read secrets, write logs) is ECS's; the application must not hold its rights.",
  fix: 'Give the task definition a taskRoleArn and an executionRoleArn of two different roles.',
  appliesTo: ['aws_ecs_task_definition'],
  check(config) {
    const problems = [...mustBeSet(config, 'task_role_arn'), ...mustBeSet(config, 'execution_role_arn')];
    if (problems.length > 0) return problems;
    return unless(
      config.task_role_arn !== config.execution_role_arn,
      'task_role_arn and execution_role_arn are the same role',
    );
  },
};
