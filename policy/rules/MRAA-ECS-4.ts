import { eachContainer, nestedBlocks } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

/** Environment variable names that say they hold a credential. */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY/i;

/** Names that hold where a secret is (an ARN, an id, a name), which is not itself secret. */
const SECRET_LOCATOR_NAME = /_(ARN|ID|NAME)$/i;

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
