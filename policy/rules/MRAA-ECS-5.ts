import { isSet, nestedBlocks, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

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
