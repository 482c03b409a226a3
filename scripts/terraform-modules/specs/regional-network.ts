import { RegionalNetwork } from '../../../modules/regional-network/index.js';
import { SMALLEST_SUBNET_PREFIX, VPC_PREFIX } from '../../../modules/regional-network/layout.js';
import type { ModuleSpec } from '../spec.js';

/** Zones of the generated network: the construct makes one subnet per zone per tier at synth time. */
const ZONES = 3;

export const regionalNetwork: ModuleSpec = {
  name: 'regional-network',
  summary:
    "One region's network: a VPC with public, private and database subnets in three zones, an internet gateway and a NAT gateway per zone, DynamoDB and S3 gateway endpoints, flow logs to a KMS-encrypted log group, the default security group closed, and one security group per tier (load balancer, service, database) that admits only the tier in front of it.",
  regions: {
    kind: 'single',
    why: 'Everything lives in one region: the module uses the `aws` provider the caller passes (or its default one).',
  },
  inputs: {
    name: {
      type: 'string',
      description: "The VPC's `Name` tag and the prefix of its parts' names, such as `main-us-east-1`.",
    },
    cidr: {
      type: 'string',
      description: `The VPC's IPv4 block, /${VPC_PREFIX.largest} to /${VPC_PREFIX.smallest}; the tier subnets are 8 bits longer (\`cidrsubnet(cidr, 8, n)\`).`,
      validations: [
        {
          condition: 'can(cidrnetmask(var.cidr))',
          message: 'cidr must be an IPv4 CIDR block such as 10.0.0.0/16.',
          rejects: ['10.0.0.0', 'ten/16'],
        },
        {
          condition: 'try(cidrhost(var.cidr, 0) == split("/", var.cidr)[0], false)',
          message: 'cidr must start at its network address (no host bits set).',
          rejects: ['10.0.1.0/16'],
        },
        {
          condition: `try(tonumber(split("/", var.cidr)[1]) >= ${VPC_PREFIX.largest} && tonumber(split("/", var.cidr)[1]) <= ${VPC_PREFIX.smallest}, false)`,
          message: `cidr must have a prefix from /${VPC_PREFIX.largest} to /${VPC_PREFIX.smallest} (AWS allows /${VPC_PREFIX.largest} at most for a VPC; each tier takes blocks 8 bits longer, and a load balancer's subnets must be /${SMALLEST_SUBNET_PREFIX} or larger).`,
          rejects: ['10.0.0.0/8', '10.0.0.0/20', '10.0.0.0/24'],
        },
      ],
    },
    availability_zones: {
      type: 'list(string)',
      description: `Exactly ${ZONES} distinct zone names of the provider's region; one subnet per tier in each.`,
      validations: [
        {
          condition: `length(var.availability_zones) == ${ZONES}`,
          message: `availability_zones must list exactly ${ZONES} zones (the construct builds one subnet per zone and tier; the load balancer and Aurora need two or more).`,
          rejects: [['us-east-1a']],
        },
        {
          condition: 'length(distinct(var.availability_zones)) == length(var.availability_zones)',
          message: 'availability_zones must not list a zone more than once.',
          rejects: [['us-east-1a', 'us-east-1a', 'us-east-1b']],
        },
      ],
    },
    service_port: {
      type: 'number',
      description: 'Port the service listens on; the load balancer may reach the service tier only there.',
    },
    database_port: {
      type: 'number',
      description: 'Port of the database tier; only the service tier may reach it.',
      default: 3306,
    },
    flow_log_retention_days: {
      type: 'number',
      description: 'Retention of the flow-log group, in days (a value CloudWatch Logs accepts).',
      default: 365,
    },
  },
  example: {
    name: 'orders-us-east-1',
    cidr: '10.0.0.0/16',
    availability_zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    service_port: 8080,
  },
  build(scope, input) {
    const network = new RegionalNetwork(scope, 'network', {
      provider: input.provider(),
      name: input.string('name'),
      cidr: input.string('cidr'),
      availabilityZones: input.items('availability_zones', ZONES, 'zone'),
      servicePort: input.number('service_port'),
      databasePort: input.number('database_port'),
      flowLogRetentionDays: input.number('flow_log_retention_days'),
    });
    return {
      vpc_id: { value: network.vpcId, description: 'The VPC.' },
      vpc_cidr: { value: network.vpcCidr, description: "The VPC's IPv4 block." },
      public_subnet_ids: { value: network.publicSubnetIds, description: 'Public subnets, one per zone in zone order.' },
      private_subnet_ids: {
        value: network.privateSubnetIds,
        description: 'Private (service) subnets, one per zone in zone order.',
      },
      database_subnet_ids: {
        value: network.databaseSubnetIds,
        description: 'Database subnets, one per zone in zone order.',
      },
      private_subnet_cidrs: {
        value: network.privateSubnetCidrs,
        description: "The private subnets' blocks, in zone order.",
      },
      database_subnet_cidrs: {
        value: network.databaseSubnetCidrs,
        description: "The database subnets' blocks, in zone order.",
      },
      private_route_table_ids: {
        value: network.privateRouteTableIds,
        description: "The private subnets' route tables, one per zone (each with its own NAT route).",
      },
      database_route_table_ids: {
        value: network.databaseRouteTableIds,
        description: "The database subnets' route table (no route to the internet).",
      },
      load_balancer_security_group_id: {
        value: network.loadBalancerSecurityGroupId,
        description: 'Security group of the load balancer tier: HTTPS and HTTP from the internet.',
      },
      service_security_group_id: {
        value: network.serviceSecurityGroupId,
        description: 'Security group of the service tier: the service port from the load balancer tier.',
      },
      database_security_group_id: {
        value: network.databaseSecurityGroupId,
        description: 'Security group of the database tier: the database port from the service tier.',
      },
    };
  },
};
