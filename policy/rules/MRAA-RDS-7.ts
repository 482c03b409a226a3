import { mustBeTrue } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const auroraCopyTagsToSnapshots: PolicyRule = {
  id: 'MRAA-RDS-7',
  checkovIds: ['CKV_AWS_313'],
  rationale: "Snapshots carry the cluster's tags, so ownership and cost allocation survive a restore.",
  fix: 'Set copyTagsToSnapshot: true.',
  appliesTo: ['aws_rds_cluster'],
  check: (config) => mustBeTrue(config, 'copy_tags_to_snapshot'),
};
