import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Fn, TerraformIterator, Token, type TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { EncryptionKey } from '../encryption-key/index.js';
import { placementProblems, primaryAndOthers, RegionalValues, type RegionPlacement } from '../regions.js';
import { PropChecks, wholeNumber } from '../validation.js';
import { capacityRules, consistencyProblems, type ConsistencyMode, type ProvisionedCapacity } from './rules.js';

export * from './rules.js';

export interface KeyAttribute {
  readonly name: string;
  /** `S` string, `N` number, `B` binary. */
  readonly type: 'S' | 'N' | 'B';
}

/** A global secondary index that projects every attribute of the item. */
export interface GlobalSecondaryIndex {
  readonly name: string;
  readonly hashKey: KeyAttribute;
  /** @default none — the index has a partition key only */
  readonly rangeKey?: KeyAttribute;
}

export interface DynamoDbGlobalTableProps {
  /** Table name, the same in every region. */
  readonly name: string;
  /** Where the table is created; the other regions receive replicas of it. */
  readonly primaryRegion: string;
  /** Every region of the table, the primary and one or more replica regions. */
  readonly regions: readonly RegionPlacement[];
  readonly hashKey: KeyAttribute;
  /** @default none — items are addressed by the partition key alone */
  readonly rangeKey?: KeyAttribute;
  /** @default [] — no secondary indexes */
  readonly globalSecondaryIndexes?: readonly GlobalSecondaryIndex[];
  /**
   * Attribute holding an item's expiry time (epoch seconds); DynamoDB deletes expired items, and
   * items without the attribute never expire.
   * @default none — items never expire
   */
  readonly timeToLiveAttribute?: string;
  /**
   * Provisioned capacity with auto scaling (read and write in the primary region, whose write
   * settings DynamoDB copies to every replica; read in each replica region). Terraform then
   * ignores capacity drift on the table and its indexes, so index definitions stay as created.
   * @default none — PAY_PER_REQUEST, billed per request with no capacity to manage
   */
  readonly provisioned?: ProvisionedCapacity;
  /**
   * `eventual` (MREC): each region accepts writes and concurrent writes to one item are settled by
   * last writer wins. `strong` (MRSC): writes are replicated synchronously, which needs three
   * regions, or two and a witness, in one region set. Fixed when the table is created.
   * @default 'eventual'
   */
  readonly consistency?: ConsistencyMode;
  /**
   * A region that holds no replica but votes in strong consistency (strong only, two replicas).
   * @default none
   */
  readonly witnessRegion?: string;
  /** Alias (without `alias/`) of the table's KMS key in every region, such as `orders/dynamodb`. */
  readonly keyAlias: string;
  /**
   * Refuse `DeleteTable` on the table and every replica.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Days of point-in-time recovery on the table and every replica (1-35).
   * @default 35 — the longest window DynamoDB keeps
   */
  readonly pointInTimeRecoveryDays?: number;
  /**
   * Keep the tables' KMS keys when the stack is destroyed (Terraform `prevent_destroy`; release
   * them with `terraform state rm` before `destroy`). Deleting a table with point-in-time recovery
   * makes DynamoDB keep a system backup of it for 35 days, encrypted with the table's key; KMS
   * deletes a key at most 30 days after it is scheduled, and a key pending deletion cannot
   * decrypt, so a destroyed key strands that backup. (Amazon DynamoDB Developer Guide, "Enable
   * point-in-time recovery in DynamoDB", section "Delete a table with PITR enabled":
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery_Howitworks.html)
   * @default true
   */
  readonly retainKeysOnDestroy?: boolean;
}

/** The table as one region sees it. */
export interface RegionalTable {
  /** The ARN of the table or replica in this region. */
  readonly tableArn: string;
  /** The KMS key that encrypts this region's copy. */
  readonly keyArn: string;
}

/**
 * A DynamoDB global table (version 2019.11.21): the table in its primary region and a replica in
 * every other region, each encrypted with a customer-managed key of its own region, with
 * point-in-time recovery, deletion protection and tag propagation everywhere, and streams of new
 * and old images (which replication needs).
 */
export class DynamoDbGlobalTable extends Construct {
  readonly tableName: string;
  readonly tableArn: string;
  readonly streamArn: string;
  /** What a destroy must leave behind (the keys of every region, when retained); empty otherwise. */
  readonly retainedOnDestroy: readonly TerraformResource[];

  private readonly regional: RegionalValues<RegionalTable>;

  constructor(scope: Construct, id: string, props: DynamoDbGlobalTableProps) {
    super(scope, id);
    const checks = validateProps(this, props);
    const { provisioned } = props;
    const strong = props.consistency === 'strong';
    const deletionProtection = props.deletionProtection ?? true;
    const recoveryPeriodInDays = props.pointInTimeRecoveryDays ?? 35;
    const indexes = props.globalSecondaryIndexes ?? [];

    // Every regional part lives under a scope named for its region.
    const regionalPart = ({ region, provider }: RegionPlacement) => {
      const regionScope = new Construct(this, region);
      const key = new EncryptionKey(regionScope, 'key', {
        provider,
        alias: props.keyAlias,
        description: `Encrypts the ${region} copy of the DynamoDB table ${props.name}`,
        retainOnDestroy: props.retainKeysOnDestroy ?? true,
      });
      return { region, provider, scope: regionScope, keyArn: key.keyArn, key: key.key };
    };
    const placements = primaryAndOthers(props.primaryRegion, props.regions);
    const primary = regionalPart(placements.primary);
    const replicas = placements.others.map(regionalPart);
    this.retainedOnDestroy = (props.retainKeysOnDestroy ?? true) ? [primary, ...replicas].map(({ key }) => key) : [];

    const table = new DynamodbTable(this, 'table', {
      provider: primary.provider,
      name: props.name,
      billingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
      readCapacity: provisioned?.read.min,
      writeCapacity: provisioned?.write.min,
      hashKey: props.hashKey.name,
      rangeKey: props.rangeKey?.name,
      attribute: keyAttributes(props),
      globalSecondaryIndex: indexes.map((index) => ({
        name: index.name,
        hashKey: index.hashKey.name,
        rangeKey: index.rangeKey?.name,
        projectionType: 'ALL',
        readCapacity: provisioned?.read.min,
        writeCapacity: provisioned?.write.min,
      })),
      ttl:
        props.timeToLiveAttribute === undefined
          ? undefined
          : { enabled: true, attributeName: props.timeToLiveAttribute },
      streamEnabled: true,
      streamViewType: 'NEW_AND_OLD_IMAGES',
      pointInTimeRecovery: { enabled: true, recoveryPeriodInDays },
      deletionProtectionEnabled: deletionProtection,
      serverSideEncryption: { enabled: true, kmsKeyArn: primary.keyArn },
      replica: replicas.map(({ region, keyArn }) => ({
        regionName: region,
        kmsKeyArn: keyArn,
        pointInTimeRecovery: true,
        deletionProtectionEnabled: deletionProtection,
        propagateTags: true,
        consistencyMode: strong ? 'STRONG' : 'EVENTUAL',
      })),
      globalTableWitness: props.witnessRegion === undefined ? undefined : { regionName: props.witnessRegion },
      tags: { Name: props.name },
      // Auto scaling moves the table's and the indexes' capacities, and every apply would reset
      // them; the price is that index definitions are fixed once a provisioned table exists.
      lifecycle: provisioned
        ? { ignoreChanges: ['read_capacity', 'write_capacity', 'global_secondary_index'] }
        : undefined,
    });
    checks.checkAtPlanOn(table);
    this.tableName = table.name;
    this.tableArn = table.arn;
    this.streamArn = table.streamArn;

    const replicaList = TerraformIterator.fromList(table.replica);
    this.regional = new RegionalValues(`DynamoDbGlobalTable ${this.node.path}`, [
      [primary.region, { tableArn: table.arn, keyArn: primary.keyArn }],
      ...replicas.map(
        ({ region, keyArn }) =>
          [
            region,
            {
              tableArn: Token.asString(
                Fn.one(replicaList.forExpressionForList(`val.arn if val.region_name == "${region}"`)),
              ),
              keyArn,
            },
          ] as const,
      ),
    ]);

    if (provisioned) {
      const indexNames = indexes.map((index) => index.name);
      scaleCapacity(primary.scope, primary.provider, table, provisioned, indexNames, ['read', 'write']);
      // DynamoDB copies the primary region's write scaling to every replica; reads scale per region.
      for (const { scope: regionScope, provider } of replicas) {
        scaleCapacity(regionScope, provider, table, provisioned, indexNames, ['read']);
      }
    }
  }

  /** The table as `region` sees it: its replica's ARN and key. */
  forRegion(region: string): RegionalTable {
    return this.regional.forRegion(region);
  }
}

type CapacityKind = 'read' | 'write';

/** Target-tracking auto scaling of the table's and its indexes' capacity in one region. */
function scaleCapacity(
  scope: Construct,
  provider: AwsProvider,
  table: DynamodbTable,
  capacity: ProvisionedCapacity,
  indexNames: readonly string[],
  kinds: readonly CapacityKind[],
): void {
  const targets = [
    { id: 'table', resourceId: `table/${table.name}`, dimension: 'table' },
    ...indexNames.map((name) => ({
      id: `index-${name}`,
      resourceId: `table/${table.name}/index/${name}`,
      dimension: 'index',
    })),
  ];
  for (const target of targets) {
    for (const kind of kinds) {
      const scalable = new AppautoscalingTarget(scope, `${target.id}-${kind}-target`, {
        provider,
        serviceNamespace: 'dynamodb',
        resourceId: target.resourceId,
        scalableDimension: `dynamodb:${target.dimension}:${kind === 'read' ? 'ReadCapacityUnits' : 'WriteCapacityUnits'}`,
        minCapacity: capacity[kind].min,
        maxCapacity: capacity[kind].max,
      });
      new AppautoscalingPolicy(scope, `${target.id}-${kind}-policy`, {
        provider,
        name: `${target.id}-${kind}-utilization`,
        policyType: 'TargetTrackingScaling',
        serviceNamespace: scalable.serviceNamespace,
        resourceId: scalable.resourceId,
        scalableDimension: scalable.scalableDimension,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: capacity.targetUtilizationPercent ?? 70,
          predefinedMetricSpecification: {
            predefinedMetricType:
              kind === 'read' ? 'DynamoDBReadCapacityUtilization' : 'DynamoDBWriteCapacityUtilization',
          },
        },
      });
    }
  }
}

/** Every key attribute of the table and its indexes, in order, repeats included. */
function keyAttributeUses(props: DynamoDbGlobalTableProps): KeyAttribute[] {
  const indexKeys = (props.globalSecondaryIndexes ?? []).flatMap((index) => [index.hashKey, index.rangeKey]);
  return [props.hashKey, props.rangeKey, ...indexKeys].filter((key): key is KeyAttribute => key !== undefined);
}

/** The attribute definitions: each key attribute once. */
function keyAttributes(props: DynamoDbGlobalTableProps): KeyAttribute[] {
  return [...new Map(keyAttributeUses(props).map((attribute) => [attribute.name, attribute])).values()];
}

function validateProps(table: DynamoDbGlobalTable, props: DynamoDbGlobalTableProps): PropChecks {
  const checks = new PropChecks(table, `DynamoDbGlobalTable ${table.node.path}`);
  const allRegions = props.regions.map((placement) => placement.region);
  if (allRegions.length < 2) checks.add('regions: a global table needs at least one replica region');
  checks.add(...placementProblems(props.regions, props.primaryRegion));
  checks.known('consistency', props.consistency, 'it decides how replicas are created');
  checks.known('witnessRegion', props.witnessRegion, 'it decides where the witness is created');
  const consistency = {
    mode: props.consistency ?? 'eventual',
    replicaRegions: allRegions,
    witnessRegion: props.witnessRegion,
  };
  for (const problem of consistencyProblems(consistency)) {
    checks.add(`${problem.subject === 'witness' ? 'witnessRegion' : 'consistency'}: ${problem.message}`);
  }
  for (const index of props.globalSecondaryIndexes ?? []) {
    checks.known('globalSecondaryIndexes[].name', index.name, 'it names the index scaling resources');
  }
  const attributeTypes = new Map<string, string>();
  for (const attribute of keyAttributeUses(props)) {
    const earlier = attributeTypes.get(attribute.name);
    if (earlier !== undefined && earlier !== attribute.type) {
      checks.add(
        `${attribute.name}: used as a key of types ${earlier} and ${attribute.type}; an attribute has one type`,
      );
    }
    attributeTypes.set(attribute.name, attribute.type);
  }
  checks.check('pointInTimeRecoveryDays', props.pointInTimeRecoveryDays ?? 35, wholeNumber(1, 35));
  for (const rule of props.provisioned ? capacityRules(props.provisioned) : []) {
    checks.relation(`provisioned.${rule.field}`, rule.values, rule);
  }
  checks.throwIfAny();
  return checks;
}
