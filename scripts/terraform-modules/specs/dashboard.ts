import { ServiceDashboard } from '../../../modules/dashboard/index.js';
import { matches, type ModuleSpec } from '../spec.js';

/** Regions (columns) of the generated dashboard: the construct lays out widgets per region at synth time. */
const REGIONS = 2;

const REGION_ATTRIBUTES = {
  region: 'region',
  loadBalancerArnSuffix: 'load_balancer_arn_suffix',
  targetGroupArnSuffix: 'target_group_arn_suffix',
  clusterName: 'cluster_name',
  serviceName: 'service_name',
  databaseClusterIdentifier: 'database_cluster_identifier',
  healthCheckId: 'health_check_id',
} as const;

export const dashboard: ModuleSpec = {
  name: 'dashboard',
  summary: `A CloudWatch dashboard of the service in ${REGIONS} regions, one column per region and one row per signal: requests and 5XX, response time, healthy tasks, service CPU and memory, DynamoDB throttles and replication latency, Aurora global replication lag, failed connections to the Aurora writer, and the Route 53 health check.`,
  regions: {
    kind: 'single',
    why: "The dashboard is stored in the region of the `aws` provider the caller passes; its widgets read each region's metrics by name (`regions[*].region`), and the Route 53 health-check metrics from us-east-1.",
  },
  inputs: {
    name: {
      type: 'string',
      description: 'Dashboard name (1-255 letters, digits, hyphens or underscores).',
      validations: [
        matches('name', '^[A-Za-z0-9_-]{1,255}$', '1-255 letters, digits, hyphens or underscores', [
          'orders dashboard',
          '',
        ]),
      ],
    },
    regions: {
      type: `list(object({ ${Object.values(REGION_ATTRIBUTES)
        .map((attribute) => `${attribute} = string`)
        .join(', ')} }))`,
      description: `What the dashboard shows of each of ${REGIONS} regions: the load balancer and target group (their ARN suffixes), the ECS cluster and service, the regional Aurora cluster, and the region's Route 53 health check.`,
      validations: [
        {
          condition: `length(var.regions) == ${REGIONS}`,
          message: `regions must list exactly ${REGIONS} regions (the construct lays out one column per region).`,
          rejects: [[]],
        },
      ],
    },
    table_name: { type: 'string', description: 'The DynamoDB global table (the same name in every region).' },
    writer_unreachable_metric_namespace: {
      type: 'string',
      description: "Namespace of the metric counting the service's failed connections to the Aurora writer.",
    },
    writer_unreachable_metric_name: {
      type: 'string',
      description: "Name of the metric counting the service's failed connections to the Aurora writer.",
      default: 'WriterUnreachable',
    },
  },
  example: {
    name: 'orders-production',
    regions: ['us-east-1', 'eu-west-1'].map((region, index) => ({
      region,
      load_balancer_arn_suffix: `app/orders-${index + 1}/0123456789abcdef`,
      target_group_arn_suffix: `targetgroup/orders${index + 1}/0123456789abcdef`,
      cluster_name: `orders-production-${region}`,
      service_name: `orders-production-${region}`,
      database_cluster_identifier: `orders-${region}`,
      health_check_id: `00000000-0000-0000-0000-00000000000${index + 1}`,
    })),
    table_name: 'orders',
    writer_unreachable_metric_namespace: 'orders/production',
  },
  build(scope, input) {
    const regions = input.records('regions', REGIONS, 'region', REGION_ATTRIBUTES);
    const metric = {
      namespace: input.string('writer_unreachable_metric_namespace'),
      metricName: input.string('writer_unreachable_metric_name'),
    };
    const tableName = input.string('table_name');
    const dashboard = new ServiceDashboard(scope, 'dashboard', {
      provider: input.provider(),
      name: input.string('name'),
      regions: regions.map((panels) => ({
        ...panels,
        tableName,
        otherRegions: regions.filter((other) => other !== panels).map((other) => other.region),
        writerUnreachableMetric: metric,
      })),
    });
    return { dashboard_name: { value: dashboard.dashboardName, description: 'The dashboard.' } };
  },
};
