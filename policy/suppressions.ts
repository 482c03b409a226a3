import type { Suppression } from './suppression.js';

/**
 * Every exception to the policy pack, each with the reason it is safe. `npm run
 * policy:suppressions` prints this list and how many findings each entry silences in every
 * environment; an entry that silences nothing anywhere fails that command (and CI).
 */
export const SUPPRESSIONS: readonly Suppression[] = [
  {
    path: 'network-*/network/load-balancer-in-443-*',
    ruleId: 'MRAA-NET-2',
    reason:
      'The public load balancer (IPv4 only) serves the API over HTTPS to the internet; these rules belong to its security group only.',
  },
  {
    path: 'network-*/network/load-balancer-in-80-*',
    ruleId: 'MRAA-NET-2',
    reason:
      'Port 80 on the public load balancer only answers with a 301 redirect to HTTPS (MRAA-ALB-1 enforces the redirect).',
  },
  {
    path: 'network-*/network/flow-log-group',
    ruleId: 'MRAA-LOG-2',
    environments: ['staging'],
    reason: 'Staging is not production: environments/staging.json keeps VPC flow logs for 90 days to limit cost.',
  },
  {
    path: 'data/database/*/cluster',
    ruleId: 'MRAA-RDS-4',
    environments: ['staging'],
    reason: 'Staging is not production: environments/staging.json keeps 3 days of Aurora backups to limit cost.',
  },
];
