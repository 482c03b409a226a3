import { isSet, isTrue, mustBeSet, nestedBlock, nestedBlocks, parseJsonArgument, unless } from '../inspect.js';
import type { BlockConfig, PolicyRule } from '../rule.js';

/** Environment variable names that say they hold a credential. */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY/i;
/** Names that hold where a secret is (an ARN, an id, a name), which is not itself secret. */
const SECRET_LOCATOR_NAME = /_(ARN|ID|NAME)$/i;

/**
 * Applies `check` to every container of a task definition (`container <name>: ` before its
 * messages), or reports why the container definitions cannot be read.
 */
function eachContainer(config: BlockConfig, check: (container: BlockConfig, where: string) => string[]): string[] {
  const parsed = parseJsonArgument(config, 'container_definitions');
  if ('problem' in parsed) return [parsed.problem];
  return nestedBlocks(parsed.value).flatMap((container) => check(container, `container ${String(container.name)}: `));
}

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

export const containersReadOnlyRoot: PolicyRule = {
  id: 'MRAA-ECS-2',
  checkovIds: ['CKV_AWS_336'],
  rationale: "A read-only root filesystem stops an intruder from changing the image's code or tools at run time.",
  fix: 'Set readonlyRootFilesystem: true on every container; mount a volume where the process must write (such as /tmp).',
  appliesTo: ['aws_ecs_task_definition'],
  check: (config) =>
    eachContainer(config, (container, where) =>
      unless(container.readonlyRootFilesystem === true, `${where}readonlyRootFilesystem is not true`),
    ),
};

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

export const noSecretsInEnvironment: PolicyRule = {
  id: 'MRAA-ECS-4',
  checkovIds: [],
  rationale:
    'Plain environment values are readable by anyone who may describe the task definition; secrets come from Secrets Manager.',
  fix: "Move the value to the container's secrets: [{ name, valueFrom: <secret ARN> }] and grant the execution role secretsmanager:GetSecretValue on it.",
  appliesTo: ['aws_ecs_task_definition'],
  check: (config) =>
    eachContainer(config, (container, where) =>
      nestedBlocks(container.environment)
        .map((variable) => String(variable.name))
        .filter((name) => SECRET_NAME.test(name) && !SECRET_LOCATOR_NAME.test(name))
        .map((name) => `${where}environment variable ${name} looks like a secret in plain text`),
    ),
};

export const clusterContainerInsights: PolicyRule = {
  id: 'MRAA-ECS-5',
  checkovIds: ['CKV_AWS_65'],
  rationale: 'Container Insights reports per-task CPU, memory and restarts, which the alarms and on-call need.',
  fix: 'Add setting: [{ name: "containerInsights", value: "enabled" }] (or "enhanced") to the cluster.',
  appliesTo: ['aws_ecs_cluster'],
  check: (config) =>
    unless(
      nestedBlocks(config.setting).some(
        (setting) => setting.name === 'containerInsights' && isSet(setting.value) && setting.value !== 'disabled',
      ),
      'setting containerInsights is not enabled',
    ),
};
