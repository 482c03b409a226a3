import { eachContainer, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

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
