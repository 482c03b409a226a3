// Another team's cdktf app: its own stacks and aliased providers, our modules from the installed
// package. A network stack per region, and one data stack with a DynamoDB global table, the
// database secret and an Aurora global database spanning both regions on those networks.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { AuroraGlobalDatabase, type DatabaseRegion } from '@mraa/aws-multi-region-modules/aurora-global-database';
import { DatabaseSecret } from '@mraa/aws-multi-region-modules/database-secret';
import { DynamoDbGlobalTable } from '@mraa/aws-multi-region-modules/dynamodb-global-table';
import { RegionalNetwork } from '@mraa/aws-multi-region-modules/regional-network';
import type { RegionPlacement } from '@mraa/aws-multi-region-modules/regions';

const REGIONS = [
  { region: 'us-east-2', cidr: '10.20.0.0/16' },
  { region: 'eu-central-1', cidr: '10.21.0.0/16' },
] as const;
const PRIMARY = 'us-east-2';

/** The stack's provider for `region`, aliased by the region's name (`aws.us_east_2`). */
function providerFor(stack: TerraformStack, region: string): AwsProvider {
  return new AwsProvider(stack, `aws-${region}`, { region, alias: region.replace(/-/g, '_') });
}

class NetworkStack extends TerraformStack {
  readonly network: RegionalNetwork;

  constructor(scope: Construct, region: string, cidr: string) {
    super(scope, `network-${region}`);
    this.network = new RegionalNetwork(this, 'network', {
      provider: providerFor(this, region),
      name: `shop-${region}`,
      cidr,
      availabilityZones: [`${region}a`, `${region}b`],
      servicePort: 8080,
      natGateways: 'single',
    });
  }
}

class DataStack extends TerraformStack {
  constructor(scope: Construct, networks: ReadonlyMap<string, RegionalNetwork>) {
    super(scope, 'data');
    const placements: RegionPlacement[] = REGIONS.map(({ region }) => ({
      region,
      provider: providerFor(this, region),
    }));
    // A value the team sets per environment: a Terraform variable, a token at synth.
    const recoveryDays = new TerraformVariable(this, 'point_in_time_recovery_days', { type: 'number', default: 14 });

    const table = new DynamoDbGlobalTable(this, 'carts', {
      name: 'Carts',
      primaryRegion: PRIMARY,
      regions: placements,
      hashKey: { name: 'cartId', type: 'S' },
      keyAlias: 'shop/carts',
      pointInTimeRecoveryDays: recoveryDays.numberValue,
      retainKeysOnDestroy: false,
    });
    const secret = new DatabaseSecret(this, 'secret', {
      name: 'shop/database-master',
      primaryRegion: PRIMARY,
      regions: placements,
      username: 'shop',
      randomProvider: new RandomProvider(this, 'random'),
      keyAlias: 'shop/database-secret',
    });
    const databaseRegions: DatabaseRegion[] = placements.map((placement) => {
      const network = networks.get(placement.region)!;
      return {
        ...placement,
        subnetIds: network.databaseSubnetIds,
        securityGroupIds: [network.databaseSecurityGroupId],
        instanceClass: 'db.r6g.large',
        instanceCount: 1,
      };
    });
    const database = new AuroraGlobalDatabase(this, 'database', {
      globalClusterIdentifier: 'shop',
      engineVersion: '8.0.mysql_aurora.3.10.0',
      databaseName: 'shop',
      masterUsername: secret.username,
      masterPassword: secret.password,
      primaryRegion: PRIMARY,
      regions: databaseRegions,
      creationId: '0a1b2c',
      retainOnDestroy: false,
    });
    new TerraformOutput(this, 'table_arn_eu_central_1', { value: table.forRegion('eu-central-1').tableArn });
    new TerraformOutput(this, 'writer_endpoint', { value: database.writerEndpoint });
  }
}

const app = new App();
const networks = new Map(
  REGIONS.map(({ region, cidr }) => [region, new NetworkStack(app, region, cidr).network] as const),
);
new DataStack(app, networks);
app.synth();
