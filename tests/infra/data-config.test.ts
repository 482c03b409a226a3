import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { AuroraGlobalDatabase } from '../../modules/aurora-global-database/index.js';
import { DatabaseSecret } from '../../modules/database-secret/index.js';
import { DynamoDbGlobalTable } from '../../modules/dynamodb-global-table/index.js';
import { ConfigError, resolveConfig } from '../../config/index.js';

/** Expects `overrides` to be refused with exactly `problems` (`field: message` each), in order. */
function expectRefused(overrides: object, ...problems: string[]): void {
  const expected = new ConfigError(
    'the test',
    problems.map((line) => {
      const [field = '', ...message] = line.split(': ');
      return { field, message: message.join(': ') };
    }),
  );
  expect(() => resolveConfig(overrides, 'test', 'the test')).toThrow(expected);
}

function expectAccepted(overrides: object): void {
  expect(() => resolveConfig(overrides, 'test', 'the test')).not.toThrow();
}

const regions = (...names: string[]) => ({ primaryRegion: names[0], regions: names.map((region) => ({ region })) });

const REGION_SETS =
  'the sets are US (us-east-1, us-east-2, us-west-2), EU (eu-west-1, eu-west-2, eu-west-3, eu-central-1), AP (ap-northeast-1, ap-northeast-2, ap-northeast-3)';

describe('the DynamoDB consistency mode', () => {
  it('accepts strong consistency for three replicas in one region set', () => {
    expectAccepted({ ...regions('us-east-1', 'us-east-2', 'us-west-2'), dynamodb: { consistency: 'strong' } });
    expectAccepted({
      ...regions('ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3'),
      dynamodb: { consistency: 'strong' },
    });
  });

  it('accepts strong consistency for two replicas and a witness in one region set', () => {
    expectAccepted({
      ...regions('eu-west-1', 'eu-west-2'),
      dynamodb: { consistency: 'strong', witnessRegion: 'eu-central-1' },
    });
  });

  it("refuses strong consistency for the seed's us-east-1 and eu-west-1, saying why and what would do", () => {
    expectRefused(
      { dynamodb: { consistency: 'strong' } },
      `dynamodb.consistency: strong consistency (MRSC) needs every replica region and the witness in one region set, but us-east-1 is in the US set, eu-west-1 is in the EU set; ${REGION_SETS}`,
      'dynamodb.consistency: strong consistency (MRSC) needs 3 replica regions, or 2 and a witness; got 2 (us-east-1, eu-west-1) and no witness',
    );
  });

  it('refuses a region outside every set, and a witness from another set', () => {
    expectRefused(
      { ...regions('us-east-1', 'us-east-2', 'sa-east-1'), dynamodb: { consistency: 'strong' } },
      `dynamodb.consistency: strong consistency (MRSC) needs every replica region and the witness in one region set, but us-east-1 is in the US set, us-east-2 is in the US set, sa-east-1 is in no set; ${REGION_SETS}`,
    );
    expectRefused(
      { ...regions('eu-west-1', 'eu-west-2'), dynamodb: { consistency: 'strong', witnessRegion: 'us-east-2' } },
      `dynamodb.consistency: strong consistency (MRSC) needs every replica region and the witness in one region set, but eu-west-1 is in the EU set, eu-west-2 is in the EU set, us-east-2 is in the US set; ${REGION_SETS}`,
    );
  });

  it('refuses a witness beside three replicas, and a witness that is a replica region', () => {
    expectRefused(
      {
        ...regions('us-east-1', 'us-east-2', 'us-west-2'),
        dynamodb: { consistency: 'strong', witnessRegion: 'us-east-2' },
      },
      'dynamodb.witnessRegion: "us-east-2" already holds a replica; the witness must be a region of the same region set without a replica',
      'dynamodb.consistency: strong consistency (MRSC) needs 3 replica regions, or 2 and a witness; got 3 (us-east-1, us-east-2, us-west-2) and the witness us-east-2',
    );
  });

  it('refuses four replicas, even within one set', () => {
    expectRefused(
      { ...regions('eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1'), dynamodb: { consistency: 'strong' } },
      'dynamodb.consistency: strong consistency (MRSC) needs 3 replica regions, or 2 and a witness; got 4 (eu-west-1, eu-west-2, eu-west-3, eu-central-1) and no witness',
    );
  });

  it('refuses a witness with eventual consistency', () => {
    expectRefused(
      { ...regions('eu-west-1', 'eu-west-2'), dynamodb: { witnessRegion: 'eu-central-1' } },
      'dynamodb.witnessRegion: "eu-central-1" is set, but only strong consistency (MRSC) has a witness; remove the witness or choose strong consistency',
    );
  });
});

describe('the other data settings', () => {
  it('refuse provisioned capacity ranges that cannot scale and targets outside 20-90 %', () => {
    expectRefused(
      {
        dynamodb: {
          provisionedCapacity: { read: { min: 10, max: 5 }, write: { min: 0, max: 5 }, targetUtilizationPercent: 95 },
        },
      },
      // Each field's own checks come first, then the rules that span fields (min against max).
      'dynamodb.provisionedCapacity.targetUtilizationPercent: 95 is outside 20-90',
      'dynamodb.provisionedCapacity.read: min 10 and max 5 must be whole numbers with 1 <= min <= max',
      'dynamodb.provisionedCapacity.write: min 0 and max 5 must be whole numbers with 1 <= min <= max',
    );
  });

  it('accept a cluster identifier whose longest instance identifier fits 63 characters, and refuse a longer one or capitals', () => {
    expectAccepted({
      aurora: { globalClusterIdentifier: 'orders-production-global-database-cluster-x' },
      regions: [{ region: 'us-east-1' }, { region: 'ap-southeast-2', aurora: { instanceCount: 12 } }],
    });
    expectRefused(
      {
        aurora: { globalClusterIdentifier: 'orders-production-global-database-cluster-name-x' },
        regions: [{ region: 'us-east-1' }, { region: 'ap-southeast-2', aurora: { instanceCount: 12 } }],
      },
      'aurora.globalClusterIdentifier: "orders-production-global-database-cluster-name-x" is too long: the instance identifier orders-production-global-database-cluster-name-x-ap-southeast-2-12 would have 66 characters, more than 63',
      'aurora.globalClusterIdentifier: "orders-production-global-database-cluster-name-x" is too long: the AWS Backup vault orders-production-global-database-cluster-name-x-xxxxxx would have 55 characters, more than 50',
    );
    expectRefused(
      { aurora: { globalClusterIdentifier: 'My-Global-DB' } },
      'aurora.globalClusterIdentifier: "My-Global-DB" is not a valid cluster identifier (1-63 lowercase letters, digits and hyphens, starting with a letter, no two hyphens in a row, not ending with a hyphen)',
    );
  });

  it('refuse an identifier too long for the backup vault (named with the creation id) and the IAM roles named after it', () => {
    // 43 characters: the vault name (plus `-` and 6 hex digits) fits 50; 44 do not.
    const fortyThree = 'orders-production-global-database-cluster-x';
    expectAccepted({ aurora: { globalClusterIdentifier: fortyThree } });
    expectRefused(
      { aurora: { globalClusterIdentifier: `${fortyThree}y` } },
      `aurora.globalClusterIdentifier: "${fortyThree}y" is too long: the AWS Backup vault ${fortyThree}y-xxxxxx would have 51 characters, more than 50`,
    );
    const fifty = 'orders-production-global-database-cluster-name-xyz';
    expectRefused(
      { aurora: { globalClusterIdentifier: `${fifty}z` } },
      `aurora.globalClusterIdentifier: "${fifty}z" is too long: the AWS Backup plan ${fifty}z would have 51 characters, more than 50`,
      `aurora.globalClusterIdentifier: "${fifty}z" is too long: the AWS Backup vault ${fifty}z-xxxxxx would have 58 characters, more than 50`,
      `aurora.globalClusterIdentifier: "${fifty}z" is too long: the IAM role ${fifty}z-rds-monitoring would have 66 characters, more than 64`,
    );
  });

  it('keep backup plan recovery points from one day to 100 years, in whole days', () => {
    expectAccepted({ aurora: { backupPlanRetentionDays: 1 } });
    expectAccepted({ aurora: { backupPlanRetentionDays: 36_500 } });
    for (const days of [0, 7.5, 36_501]) {
      expectRefused(
        { aurora: { backupPlanRetentionDays: days } },
        `aurora.backupPlanRetentionDays: ${days} is outside 1-36500 days`,
      );
    }
  });

  it('refuse a master user name RDS keeps for itself and a log retention CloudWatch does not offer', () => {
    expectRefused(
      { aurora: { masterUsername: 'rdsadmin', logRetentionDays: 10 } },
      'aurora.masterUsername: "rdsadmin" is not a valid Aurora MySQL master user name (1-16 letters, digits and underscores, starting with a letter, not one of rdsadmin, rdsrepladmin, rdsproxyadmin)',
      'aurora.logRetentionDays: 10 is not allowed; allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
    );
  });
});

/** A stack with one aws provider per region, for constructing the modules directly. */
function stackWithProviders(...names: string[]): {
  stack: TerraformStack;
  at: (region: string) => { region: string; provider: AwsProvider };
} {
  const stack = new TerraformStack(Testing.app(), 'modules');
  const providers = new Map(
    names.map((region) => [region, new AwsProvider(stack, region, { region, alias: region.replace(/-/g, '_') })]),
  );
  const at = (region: string) => {
    const provider = providers.get(region);
    if (provider === undefined) throw new Error(`no provider for ${region}`);
    return { region, provider };
  };
  return { stack, at };
}

describe('the data modules refuse props they cannot build, listing every problem', () => {
  it('DynamoDbGlobalTable', () => {
    const { stack, at } = stackWithProviders('us-east-1', 'eu-west-1');
    expect(
      () =>
        new DynamoDbGlobalTable(stack, 'table', {
          name: 'Orders',
          primaryRegion: 'us-east-1',
          regions: [at('us-east-1'), at('eu-west-1')],
          hashKey: { name: 'orderId', type: 'S' },
          globalSecondaryIndexes: [{ name: 'byOrder', hashKey: { name: 'orderId', type: 'N' } }],
          consistency: 'strong',
          keyAlias: 'orders/dynamodb',
          pointInTimeRecoveryDays: 40,
        }),
    ).toThrow(
      [
        'DynamoDbGlobalTable modules/table:',
        `  - consistency: strong consistency (MRSC) needs every replica region and the witness in one region set, but us-east-1 is in the US set, eu-west-1 is in the EU set; ${REGION_SETS}`,
        '  - consistency: strong consistency (MRSC) needs 3 replica regions, or 2 and a witness; got 2 (us-east-1, eu-west-1) and no witness',
        '  - orderId: used as a key of types S and N; an attribute has one type',
        '  - pointInTimeRecoveryDays: 40 is outside 1-35',
      ].join('\n'),
    );
  });

  it('AuroraGlobalDatabase', () => {
    const { stack, at } = stackWithProviders('us-east-1', 'eu-west-1');
    const region = (name: string, instanceCount: number) => ({
      ...at(name),
      subnetIds: ['subnet-a'],
      securityGroupIds: ['sg-a'],
      instanceClass: 'db.r6g.large',
      instanceCount,
    });
    expect(
      () =>
        new AuroraGlobalDatabase(stack, 'database', {
          globalClusterIdentifier: 'Orders',
          engineVersion: '8.0.mysql_aurora.3.04',
          databaseName: 'orders',
          masterUsername: 'admin',
          masterPassword: 'unused',
          primaryRegion: 'us-east-1',
          regions: [region('us-east-1', 0), region('eu-west-1', 1)],
          backupPlanRetentionDays: 0,
          monitoringIntervalSeconds: 2,
          creationId: 'run-1',
        }),
    ).toThrow(
      [
        'AuroraGlobalDatabase modules/database:',
        '  - engineVersion: "8.0.mysql_aurora.3.04" is not an Aurora MySQL 3 version such as 8.0.mysql_aurora.3.10.0',
        '  - globalClusterIdentifier: "Orders" is not a valid cluster identifier (1-63 lowercase letters, digits and hyphens, starting with a letter, no two hyphens in a row, not ending with a hyphen)',
        '  - us-east-1: instanceCount 0 is outside 1-16',
        '  - us-east-1: subnetIds needs subnets in two or more zones, got 1',
        '  - eu-west-1: subnetIds needs subnets in two or more zones, got 1',
        '  - backupPlanRetentionDays: 0 is outside 1-36500',
        '  - creationId: "run-1" must be 6 lowercase hex digits',
        '  - monitoringIntervalSeconds: 2 is not allowed; allowed: 1, 5, 10, 15, 30, 60',
      ].join('\n'),
    );
  });

  it('DatabaseSecret', () => {
    const { stack, at } = stackWithProviders('us-east-1', 'eu-west-1');
    expect(
      () =>
        new DatabaseSecret(stack, 'secret', {
          name: 'orders database',
          primaryRegion: 'us-east-1',
          regions: [at('us-east-1'), at('us-east-1')],
          username: 'admin',
          randomProvider: new RandomProvider(stack, 'random'),
          keyAlias: 'orders/secret',
          passwordLength: 50,
        }),
    ).toThrow(
      [
        'DatabaseSecret modules/secret:',
        '  - regions: each region may appear once, got us-east-1, us-east-1',
        '  - passwordLength: 50 is outside 16-41',
        '  - name: "orders database" must be 1-512 letters, digits and /_+=.@- characters',
      ].join('\n'),
    );
  });
});
