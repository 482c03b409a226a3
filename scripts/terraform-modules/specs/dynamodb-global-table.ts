import { DynamoDbGlobalTable } from '../../../modules/dynamodb-global-table/index.js';
import { integerBetween, type ModuleSpec } from '../spec.js';

export const dynamodbGlobalTable: ModuleSpec = {
  name: 'dynamodb-global-table',
  summary:
    'A DynamoDB global table (version 2019.11.21) keyed by one partition key: the table in the primary region and a replica in the secondary region, each encrypted with a customer-managed KMS key of its own region (kept on destroy, `prevent_destroy`), with point-in-time recovery, deletion protection, tag propagation and streams of new and old images (which replication needs). Billing is on demand and consistency is multi-Region eventual (last writer wins).',
  regions: {
    kind: 'aliases',
    aliases: ['primary', 'secondary'],
    why: "The table is created with the `aws.primary` provider and its replica, and the replica's KMS key, with `aws.secondary`: the construct places every region's resources with that region's provider, so the module takes one aliased provider per region. A Terraform module cannot take a variable number of provider configurations, so the region set is fixed at two; the AWS provider 6 per-resource `region` argument would allow a list, but the construct (shared with the cdktf stacks) is written for providers per region.",
  },
  inputs: {
    name: { type: 'string', description: 'Table name, the same in every region.' },
    hash_key_name: { type: 'string', description: 'Name of the partition key attribute.' },
    hash_key_type: {
      type: 'string',
      description: 'Type of the partition key: `S` string, `N` number or `B` binary.',
      default: 'S',
    },
    key_alias: {
      type: 'string',
      description: "Alias (without `alias/`) of the table's KMS key in every region, such as `orders/dynamodb`.",
    },
    deletion_protection: {
      type: 'bool',
      description: 'Refuse `DeleteTable` on the table and every replica.',
      default: true,
    },
    point_in_time_recovery_days: {
      type: 'number',
      description: 'Days of point-in-time recovery on the table and every replica (1-35).',
      default: 35,
      validations: [integerBetween('point_in_time_recovery_days', 1, 35, [0, 36, 7.5])],
    },
  },
  example: {
    name: 'orders',
    hash_key_name: 'orderId',
    key_alias: 'orders/dynamodb',
  },
  build(scope, input) {
    const hashKey = { name: input.string('hash_key_name'), type: input.string('hash_key_type') as 'S' | 'N' | 'B' };
    const table = new DynamoDbGlobalTable(scope, 'table', {
      name: input.string('name'),
      primaryRegion: input.region('primary'),
      regions: ['primary', 'secondary'].map((alias) => ({
        region: input.region(alias),
        provider: input.provider(alias),
      })),
      hashKey,
      keyAlias: input.string('key_alias'),
      deletionProtection: input.bool('deletion_protection'),
      pointInTimeRecoveryDays: input.number('point_in_time_recovery_days'),
    });
    const secondary = table.forRegion(input.region('secondary'));
    return {
      table_name: { value: table.tableName, description: "The table's name (the same in every region)." },
      table_arn: { value: table.tableArn, description: "The table's ARN in the primary region." },
      stream_arn: { value: table.streamArn, description: "The table's stream in the primary region." },
      primary_key_arn: {
        value: table.forRegion(input.region('primary')).keyArn,
        description: "The KMS key of the primary region's copy.",
      },
      secondary_table_arn: { value: secondary.tableArn, description: "The replica's ARN in the secondary region." },
      secondary_key_arn: { value: secondary.keyArn, description: "The KMS key of the secondary region's replica." },
    };
  },
};
