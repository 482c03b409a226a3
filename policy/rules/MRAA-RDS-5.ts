import { mustBeTrue } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const auroraIamAuthentication: PolicyRule = {
  id: 'MRAA-RDS-5',
  checkovIds: ['CKV_AWS_162'],
  rationale: 'IAM database authentication lets tasks connect with short-lived tokens instead of a shared password.',
  fix: 'Set iamDatabaseAuthenticationEnabled: true on every cluster.',
  appliesTo: ['aws_rds_cluster'],
  check: (config) => mustBeTrue(config, 'iam_database_authentication_enabled'),
};
