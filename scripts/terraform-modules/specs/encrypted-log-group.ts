import { EncryptedLogGroup } from '../../../modules/encrypted-log-group/index.js';
import type { ModuleSpec } from '../spec.js';

export const encryptedLogGroup: ModuleSpec = {
  name: 'encrypted-log-group',
  summary:
    "A CloudWatch log group with a retention period, encrypted with a customer-managed KMS key of its own (yearly rotation, an alias) whose policy lets CloudWatch Logs of its region use it for this account's log groups.",
  regions: {
    kind: 'single',
    why: 'The log group and its key live in the region of the `aws` provider the caller passes.',
  },
  inputs: {
    name: { type: 'string', description: 'Log group name, such as `/ecs/orders-production-us-east-1`.' },
    key_alias: { type: 'string', description: 'Alias of the key, without `alias/`.' },
    purpose: {
      type: 'string',
      description: "What the logs are, for the key's description, such as `the service logs of orders`.",
    },
    retention_days: {
      type: 'number',
      description: 'Days CloudWatch Logs keeps events (a value it accepts).',
      default: 365,
    },
  },
  example: {
    name: '/ecs/orders-production-us-east-1',
    key_alias: 'orders/us-east-1/service-logs',
    purpose: 'the service logs of orders in us-east-1',
  },
  build(scope, input) {
    const logGroup = new EncryptedLogGroup(scope, 'log-group', {
      provider: input.provider(),
      name: input.string('name'),
      keyAlias: input.string('key_alias'),
      purpose: input.string('purpose'),
      retentionDays: input.number('retention_days'),
    });
    return {
      log_group_name: { value: logGroup.logGroupName, description: 'The log group.' },
      log_group_arn: { value: logGroup.logGroupArn, description: "The log group's ARN." },
    };
  },
};
