import { isTrue, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const databaseNotPublic: PolicyRule = {
  id: 'MRAA-RDS-8',
  checkovIds: ['CKV_AWS_17'],
  rationale: 'A database instance must never get a public address; only the service tier reaches it.',
  fix: 'Remove publiclyAccessible (it defaults to false) or set it to false.',
  appliesTo: ['aws_rds_cluster_instance', 'aws_db_instance'],
  check: (config) => unless(!isTrue(config.publicly_accessible), 'publicly_accessible is true'),
};
