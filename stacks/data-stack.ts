import { Id } from '@cdktf/provider-random/lib/id';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { TerraformOutput, type TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import {
  AuroraGlobalDatabase,
  CREATION_ID_HEX_DIGITS,
  type DatabaseRegion,
} from '../modules/aurora-global-database/index.js';
import { DatabaseSecret } from '../modules/database-secret/index.js';
import { DynamoDbGlobalTable, type GlobalSecondaryIndex } from '../modules/dynamodb-global-table/index.js';
import { RegionalValues, type RegionPlacement } from '../modules/regions.js';
import type { DeploymentConfig } from '../config/index.js';
import { DeploymentStack } from './deployment-stack.js';
import type { NetworkStack } from './network-stack.js';
import { ORDERS_TABLE } from '../service/src/contract.js';

/** The index the service lists a customer's orders with, newest or oldest first. */
export const CUSTOMER_ORDERS_INDEX: GlobalSecondaryIndex = {
  name: ORDERS_TABLE.customerIndex.name,
  hashKey: { name: ORDERS_TABLE.customerIndex.partitionKey, type: 'S' },
  rangeKey: { name: ORDERS_TABLE.customerIndex.sortKey, type: 'S' },
};

/** What a region's service needs from the data layer. */
export interface RegionalData {
  readonly region: string;
  readonly tableName: string;
  /** The table or replica ARN in this region. */
  readonly tableArn: string;
  /** The KMS key that encrypts this region's replica. */
  readonly tableKeyArn: string;
  /** The global cluster's writer endpoint (follows switchover and failover). */
  readonly databaseWriterEndpoint: string;
  /** This region's cluster reader endpoint. */
  readonly databaseReaderEndpoint: string;
  /** This region's cluster identifier (for alarms). */
  readonly databaseClusterIdentifier: string;
  /** This region's replica of the database secret (same name, this region's ARN). */
  readonly databaseSecretArn: string;
  /** The KMS key that encrypts this region's secret replica. */
  readonly databaseSecretKeyArn: string;
  readonly databaseName: string;
  readonly databasePort: number;
}

/**
 * `data`: both global stores in one state, with a provider per region. The DynamoDB orders table
 * lives in the primary region with a replica everywhere else; the Aurora MySQL global database
 * writes in the primary region and keeps a secondary cluster in every other region, in the
 * database subnets and security group of that region's network stack. The master password is
 * generated into a secret replicated to every region.
 */
export class DataStack extends DeploymentStack {
  readonly table: DynamoDbGlobalTable;
  readonly secret: DatabaseSecret;
  readonly database: AuroraGlobalDatabase;

  constructor(scope: Construct, config: DeploymentConfig, networks: readonly NetworkStack[]) {
    super(scope, 'data', config);
    // Fully qualified, like aws, so Terraform and OpenTofu resolve the same provider.
    this.addOverride('terraform.required_providers.random.source', 'hashicorp/random');
    const randomProvider = new RandomProvider(this, 'random');

    const { primaryRegion } = config;
    const regions = this.regionPlacements();
    const namePrefix = `${config.project}/${config.environment}`;

    const { dynamodb, aurora } = config;
    this.table = new DynamoDbGlobalTable(this, 'orders-table', {
      name: dynamodb.tableName,
      primaryRegion,
      regions,
      hashKey: { name: ORDERS_TABLE.partitionKey, type: 'S' },
      globalSecondaryIndexes: [CUSTOMER_ORDERS_INDEX],
      timeToLiveAttribute: ORDERS_TABLE.expiryAttribute,
      provisioned: dynamodb.billingMode === 'PROVISIONED' ? dynamodb.provisionedCapacity : undefined,
      consistency: dynamodb.consistency,
      witnessRegion: dynamodb.witnessRegion,
      keyAlias: `${namePrefix}/dynamodb`,
    });

    this.secret = new DatabaseSecret(this, 'database-secret', {
      name: `${namePrefix}/database-master`,
      primaryRegion,
      regions,
      username: aurora.masterUsername,
      randomProvider,
      keyAlias: `${namePrefix}/database-secret`,
    });

    const networkOf = new RegionalValues(
      'DataStack networks',
      networks.map((stack) => [stack.regionConfig.region, stack] as const),
    );
    const databaseRegion = (placement: RegionPlacement): DatabaseRegion => {
      const { network, regionConfig } = networkOf.forRegion(placement.region);
      return {
        ...placement,
        subnetIds: network.databaseSubnetIds,
        securityGroupIds: [network.databaseSecurityGroupId],
        instanceClass: regionConfig.aurora.instanceClass,
        instanceCount: regionConfig.aurora.instanceCount,
      };
    };
    // New on every create of this stack (a new state), fixed for its life: no keepers, so no
    // plan ever replaces it. It makes the names that outlive a destroy unique per create.
    const creation = new Id(this, 'creation-id', { provider: randomProvider, byteLength: CREATION_ID_HEX_DIGITS / 2 });
    this.database = new AuroraGlobalDatabase(this, 'database', {
      creationId: creation.hex,
      globalClusterIdentifier: aurora.globalClusterIdentifier,
      engineVersion: aurora.engineVersion,
      databaseName: aurora.databaseName,
      masterUsername: this.secret.username,
      masterPassword: this.secret.password,
      primaryRegion,
      regions: regions.map(databaseRegion),
      backupRetentionDays: aurora.backupRetentionDays,
      backupPlanRetentionDays: aurora.backupPlanRetentionDays,
      deletionProtection: aurora.deletionProtection,
      writeForwarding: aurora.writeForwarding,
      logRetentionDays: aurora.logRetentionDays,
    });

    this.outputs();
  }

  /**
   * What `terraform destroy` of this stack must leave behind, by address: the keys of the table
   * and the database (which encrypt the table's system backup, the writer's final snapshot and the
   * AWS Backup recovery points) and the backup vaults. They refuse destruction (`prevent_destroy`)
   * until released with `terraform state rm`; see docs/deploy.md.
   */
  get retainedOnDestroy(): readonly TerraformResource[] {
    return [...this.table.retainedOnDestroy, ...this.database.retainedOnDestroy];
  }

  /** What the service in `region` reads and writes. */
  forRegion(region: string): RegionalData {
    const table = this.table.forRegion(region);
    const secret = this.secret.forRegion(region);
    const database = this.database.forRegion(region);
    return {
      region,
      tableName: this.table.tableName,
      tableArn: table.tableArn,
      tableKeyArn: table.keyArn,
      databaseWriterEndpoint: this.database.writerEndpoint,
      databaseReaderEndpoint: database.readerEndpoint,
      databaseClusterIdentifier: database.clusterIdentifier,
      databaseSecretArn: secret.secretArn,
      databaseSecretKeyArn: secret.keyArn,
      databaseName: this.database.databaseName,
      databasePort: this.database.port,
    };
  }

  /** The shared values once, and every region's own values under `regions.<region>`. */
  private outputs(): void {
    new TerraformOutput(this, 'table_name', { value: this.table.tableName });
    new TerraformOutput(this, 'database_writer_endpoint', { value: this.database.writerEndpoint });
    new TerraformOutput(this, 'database_name', { value: this.database.databaseName });
    new TerraformOutput(this, 'database_port', { value: this.database.port });
    new TerraformOutput(this, 'global_cluster_identifier', { value: this.database.globalClusterIdentifier });
    new TerraformOutput(this, 'retained_on_destroy', {
      description:
        'Addresses to release with `terraform state rm` before destroying this stack: keys and vaults that outlive it so its backups stay restorable',
      value: this.retainedOnDestroy.map((resource) => `${resource.terraformResourceType}.${resource.friendlyUniqueId}`),
    });
    new TerraformOutput(this, 'regions', {
      description:
        'Per region: the table replica and its key, the regional cluster, and the secret replica and its key',
      value: Object.fromEntries(
        this.config.regions.map(({ region }) => {
          const data = this.forRegion(region);
          return [
            region,
            {
              table_arn: data.tableArn,
              table_key_arn: data.tableKeyArn,
              database_reader_endpoint: data.databaseReaderEndpoint,
              database_cluster_identifier: data.databaseClusterIdentifier,
              database_secret_arn: data.databaseSecretArn,
              database_secret_key_arn: data.databaseSecretKeyArn,
            },
          ];
        }),
      ),
    });
  }
}
