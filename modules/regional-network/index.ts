import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';
import { EncryptionKey } from '../encryption-key/index.js';
import { PropChecks } from '../validation.js';
import { subnetCidr, VPC_CIDR_RULE, zoneCountProblem, type SubnetTier } from './layout.js';

export { SUBNET_NEWBITS, SUBNET_TIERS, subnetCidr, type SubnetTier } from './layout.js';

export type NatGatewayMode = 'per-az' | 'single';

export interface RegionalNetworkProps {
  /** The region's aliased provider; every resource of the network is created with it. */
  readonly provider: AwsProvider;
  /** The VPC's `Name` tag and the prefix of its parts' names, such as `main-us-east-1`. */
  readonly name: string;
  /** The VPC's IPv4 block, /16 to /19 (tier subnets are 8 bits longer, and a load balancer's must be /27 or larger). */
  readonly cidr: string;
  /** Two to six zone names of the provider's region; one subnet per tier in each. */
  readonly availabilityZones: readonly string[];
  /** Port the service listens on; the load balancer may reach the service tier only there. */
  readonly servicePort: number;
  /**
   * Port of the database tier; only the service tier may reach it.
   * @default 3306 — MySQL
   */
  readonly databasePort?: number;
  /**
   * `per-az` puts a NAT gateway in every zone, so losing a zone cuts no other zone off the
   * internet; `single` shares one (in the first zone) to save cost.
   * @default 'per-az'
   */
  readonly natGateways?: NatGatewayMode;
  /**
   * Retention of the flow-log group, in days (a value CloudWatch Logs accepts).
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
}

/**
 * One region's network: a VPC with public, private and database subnets in every zone, internet
 * and NAT egress, DynamoDB and S3 gateway endpoints, flow logs to an encrypted log group, the default
 * security group closed, and one security group per tier (load balancer, service, database)
 * wired so each tier admits only the tier in front of it.
 */
export class RegionalNetwork extends Construct {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
  readonly databaseSubnetIds: string[];
  /** The private (service) subnets' blocks, one per zone in zone order; known at synth time. */
  readonly privateSubnetCidrs: string[];
  /** The database subnets' blocks, one per zone in zone order; known at synth time. */
  readonly databaseSubnetCidrs: string[];
  /** The private subnets' route tables, one per zone in zone order (each zone has its own NAT route). */
  readonly privateRouteTableIds: string[];
  /** The database subnets' route tables (one shared by every zone). */
  readonly databaseRouteTableIds: string[];
  readonly loadBalancerSecurityGroupId: string;
  readonly serviceSecurityGroupId: string;
  readonly databaseSecurityGroupId: string;

  private readonly provider: AwsProvider;
  private readonly vpc: Vpc;

  constructor(scope: Construct, id: string, props: RegionalNetworkProps) {
    super(scope, id);
    const checks = validateProps(this, props);
    const { provider, name } = props;
    this.provider = provider;
    const databasePort = props.databasePort ?? 3306;

    this.vpc = new Vpc(this, 'vpc', {
      provider,
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: name },
    });
    checks.checkAtPlanOn(this.vpc);
    this.vpcId = this.vpc.id;
    this.vpcCidr = props.cidr;
    new DefaultSecurityGroup(this, 'default-security-group', {
      provider,
      vpcId: this.vpc.id,
      tags: { Name: `${name}-default-closed` },
    });

    const zones = props.availabilityZones;
    const publicSubnets = this.subnets('public', zones, name);
    const privateSubnets = this.subnets('private', zones, name);
    const databaseSubnets = this.subnets('database', zones, name);
    this.publicSubnetIds = publicSubnets.map((subnet) => subnet.id);
    this.privateSubnetIds = privateSubnets.map((subnet) => subnet.id);
    this.databaseSubnetIds = databaseSubnets.map((subnet) => subnet.id);
    this.privateSubnetCidrs = zones.map((_, index) => subnetCidr(this.vpcCidr, 'private', index));
    this.databaseSubnetCidrs = zones.map((_, index) => subnetCidr(this.vpcCidr, 'database', index));

    const internetGateway = new InternetGateway(this, 'internet-gateway', {
      provider,
      vpcId: this.vpc.id,
      tags: { Name: name },
    });
    const publicRoutes = this.routeTable('public', `${name}-public`, publicSubnets);
    new Route(this, 'public-default-route', {
      provider,
      routeTableId: publicRoutes.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: internetGateway.id,
    });

    const natZones = props.natGateways === 'single' ? zones.slice(0, 1) : zones;
    const natGateways = natZones.map((zone, index) => {
      const address = new Eip(this, `nat-address-${zone}`, {
        provider,
        domain: 'vpc',
        tags: { Name: `${name}-nat-${zone}` },
        dependsOn: [internetGateway],
      });
      return new NatGateway(this, `nat-${zone}`, {
        provider,
        allocationId: address.allocationId,
        subnetId: itemAt(publicSubnets, index, 'public subnet').id,
        tags: { Name: `${name}-${zone}` },
        dependsOn: [internetGateway],
      });
    });
    const privateRouteTables = zones.map((zone, index) => {
      const table = this.routeTable(`private-${zone}`, `${name}-private-${zone}`, [
        itemAt(privateSubnets, index, 'private subnet'),
      ]);
      new Route(this, `private-default-route-${zone}`, {
        provider,
        routeTableId: table.id,
        destinationCidrBlock: '0.0.0.0/0',
        // Per zone, or the single gateway for every zone.
        natGatewayId: itemAt(natGateways, Math.min(index, natGateways.length - 1), 'NAT gateway').id,
      });
      return table;
    });
    this.privateRouteTableIds = privateRouteTables.map((table) => table.id);
    // The database tier gets no route to the internet; only routes to peered VPCs (added by the
    // peering stack) leave the VPC.
    this.databaseRouteTableIds = [this.routeTable('database', `${name}-database`, databaseSubnets).id];

    // Gateway endpoints keep AWS traffic of the private subnets off the NAT gateways (no NAT data
    // processing charge, no NAT in the path): DynamoDB for the orders table, S3 for the ECR image
    // layers, which ECR serves from S3.
    for (const service of ['dynamodb', 's3'] as const) {
      new VpcEndpoint(this, `${service}-endpoint`, {
        provider,
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${provider.region}.${service}`,
        vpcEndpointType: 'Gateway',
        routeTableIds: this.privateRouteTableIds,
        tags: { Name: `${name}-${service}` },
      });
    }

    this.flowLogs(name, props.flowLogRetentionDays ?? 365);

    const loadBalancer = this.securityGroup(
      'load-balancer',
      `${name}-alb`,
      'Load balancer: HTTPS and HTTP from the internet',
    );
    const service = this.securityGroup(
      'service',
      `${name}-service`,
      'Service tasks: traffic from the load balancer only',
    );
    const database = this.securityGroup('database', `${name}-database`, 'Aurora: MySQL from the service tasks only');
    this.loadBalancerSecurityGroupId = loadBalancer.id;
    this.serviceSecurityGroupId = service.id;
    this.databaseSecurityGroupId = database.id;

    for (const [port, purpose] of [
      [443, 'HTTPS'],
      [80, 'HTTP, redirected to HTTPS'],
    ] as const) {
      // IPv4 only: the load balancer is `ipv4` (the VPC and subnets have no IPv6 block), so an
      // IPv6 rule would only open the group to whatever is later given an IPv6 address in it.
      new VpcSecurityGroupIngressRule(this, `load-balancer-in-${port}-ipv4`, {
        provider,
        securityGroupId: loadBalancer.id,
        description: `${purpose} from the internet (ipv4)`,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrIpv4: '0.0.0.0/0',
      });
    }
    this.allowBetween(
      loadBalancer,
      service,
      props.servicePort,
      'load-balancer-to-service',
      'Load balancer to service tasks',
    );
    this.allowBetween(service, database, databasePort, 'service-to-database', 'Service tasks to Aurora MySQL');
    new VpcSecurityGroupEgressRule(this, 'service-out-https', {
      provider,
      securityGroupId: service.id,
      description: 'HTTPS to AWS APIs (DynamoDB, Secrets Manager, ECR, CloudWatch) through NAT or endpoints',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
    });
  }

  private subnets(tier: SubnetTier, zones: readonly string[], name: string): Subnet[] {
    return zones.map(
      (zone, index) =>
        new Subnet(this, `${tier}-${zone}`, {
          provider: this.provider,
          vpcId: this.vpc.id,
          availabilityZone: zone,
          cidrBlock: subnetCidr(this.vpcCidr, tier, index),
          mapPublicIpOnLaunch: false,
          tags: { Name: `${name}-${tier}-${zone}`, tier },
        }),
    );
  }

  private routeTable(id: string, name: string, subnets: readonly Subnet[]): RouteTable {
    const table = new RouteTable(this, `routes-${id}`, {
      provider: this.provider,
      vpcId: this.vpc.id,
      tags: { Name: name },
    });
    subnets.forEach(
      (subnet, index) =>
        new RouteTableAssociation(this, `routes-${id}-${index}`, {
          provider: this.provider,
          routeTableId: table.id,
          subnetId: subnet.id,
        }),
    );
    return table;
  }

  /**
   * A tier group. The groups are attached in other stacks (load balancer, tasks, Aurora), so a
   * replacement must create the new group before the old one can go: `create_before_destroy`
   * stays, and with it the group takes a generated name (`name_prefix`), because a group name is
   * unique in its VPC and a fixed one would make the new group's creation fail on the old one's
   * name. The `Name` tag keeps the readable name.
   */
  private securityGroup(id: string, name: string, description: string): SecurityGroup {
    return new SecurityGroup(this, id, {
      provider: this.provider,
      vpcId: this.vpc.id,
      namePrefix: `${name}-`,
      description,
      tags: { Name: name },
      lifecycle: { createBeforeDestroy: true },
    });
  }

  /** Lets `from` reach `to` on one TCP port: an egress rule on one side, ingress on the other. */
  private allowBetween(from: SecurityGroup, to: SecurityGroup, port: number, id: string, description: string): void {
    const rule = { provider: this.provider, description, ipProtocol: 'tcp', fromPort: port, toPort: port };
    new VpcSecurityGroupEgressRule(this, `${id}-out`, {
      ...rule,
      securityGroupId: from.id,
      referencedSecurityGroupId: to.id,
    });
    new VpcSecurityGroupIngressRule(this, `${id}-in`, {
      ...rule,
      securityGroupId: to.id,
      referencedSecurityGroupId: from.id,
    });
  }

  private flowLogs(name: string, retentionInDays: number): void {
    const provider = this.provider;
    const key = new EncryptionKey(this, 'flow-log-key', {
      provider,
      alias: `${name}/flow-logs`,
      description: `Encrypts the VPC flow logs of ${name}`,
      allowCloudWatchLogs: true,
    });
    const logGroup = new CloudwatchLogGroup(this, 'flow-log-group', {
      provider,
      name: `/vpc/${name}/flow-logs`,
      retentionInDays,
      kmsKeyId: key.keyArn,
    });
    const assumeRole = new DataAwsIamPolicyDocument(this, 'flow-log-assume-role', {
      provider,
      statement: [
        {
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['vpc-flow-logs.amazonaws.com'] }],
        },
      ],
    });
    const role = new IamRole(this, 'flow-log-role', {
      provider,
      name: `${name}-flow-logs`,
      assumeRolePolicy: assumeRole.json,
    });
    const writeLogs = new DataAwsIamPolicyDocument(this, 'flow-log-write', {
      provider,
      statement: [
        {
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [logGroup.arn, `${logGroup.arn}:*`],
        },
      ],
    });
    new IamRolePolicy(this, 'flow-log-role-policy', { provider, role: role.id, policy: writeLogs.json });
    new FlowLog(this, 'flow-log', {
      provider,
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: name },
    });
  }
}

/** `items[index]`, for lists built one per zone; a missing one is a bug in this construct. */
function itemAt<T>(items: readonly T[], index: number, what: string): T {
  const item = items[index];
  if (item === undefined) throw new Error(`RegionalNetwork: no ${what} at zone index ${index}`);
  return item;
}

function validateProps(network: RegionalNetwork, props: RegionalNetworkProps): PropChecks {
  const checks = new PropChecks(network, `RegionalNetwork ${network.node.path}`);
  checks.check('cidr', props.cidr, VPC_CIDR_RULE);
  const zones = props.availabilityZones;
  checks.knownItems('availabilityZones', zones, 'each zone gets its own subnets, named after it');
  const zoneProblem = zoneCountProblem(zones.length);
  if (zoneProblem) checks.add(`availabilityZones: ${zoneProblem}`);
  if (new Set(zones).size !== zones.length) checks.add('availabilityZones: a zone is listed more than once');
  checks.known('natGateways', props.natGateways, 'it decides how many NAT gateways are created');
  checks.throwIfAny();
  return checks;
}
