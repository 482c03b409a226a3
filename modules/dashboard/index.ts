import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { replicationLagQuery } from '../regional-alarms/index.js';
import { matching, PropChecks } from '../validation.js';

const DASHBOARD_NAME = matching(
  /^[A-Za-z0-9_-]{1,255}$/,
  '1-255 letters, digits, hyphens or underscores',
  (name) => `"${name}" must be 1-255 letters, digits, hyphens or underscores`,
);

/** What the dashboard shows of one region. */
export interface RegionPanels {
  readonly region: string;
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly tableName: string;
  readonly databaseClusterIdentifier: string;
  /** The region's Route 53 health check (its metrics are in us-east-1). */
  readonly healthCheckId: string;
  /** The table's other regions: `ReplicationLatency` is published per receiving region only. */
  readonly otherRegions: readonly string[];
  /** The metric counting the service's failed connections to the Aurora writer. */
  readonly writerUnreachableMetric: { readonly namespace: string; readonly metricName: string };
}

export interface ServiceDashboardProps {
  /** Provider of the region the dashboard is stored in; its widgets read every region. */
  readonly provider: AwsProvider;
  readonly name: string;
  readonly regions: readonly RegionPanels[];
}

/**
 * A metric of one widget: `[namespace, name, dimension, value, ...]` plus rendering options, or a
 * Metrics Insights query.
 */
type MetricLine = [...string[], { stat: string; label?: string }] | [{ expression: string; label: string; id: string }];

interface Row {
  readonly title: string;
  readonly metrics: (panels: RegionPanels) => MetricLine[];
  /** Region the metrics live in when it is not the panel's own (Route 53: us-east-1). */
  readonly metricRegion?: string;
}

const ROWS: readonly Row[] = [
  {
    title: 'Requests and 5XX',
    metrics: (p) => [
      [
        'AWS/ApplicationELB',
        'RequestCount',
        'LoadBalancer',
        p.loadBalancerArnSuffix,
        { stat: 'Sum', label: 'requests' },
      ],
      [
        'AWS/ApplicationELB',
        'HTTPCode_ELB_5XX_Count',
        'LoadBalancer',
        p.loadBalancerArnSuffix,
        { stat: 'Sum', label: 'load balancer 5XX' },
      ],
      [
        'AWS/ApplicationELB',
        'HTTPCode_Target_5XX_Count',
        'LoadBalancer',
        p.loadBalancerArnSuffix,
        'TargetGroup',
        p.targetGroupArnSuffix,
        { stat: 'Sum', label: 'target 5XX' },
      ],
    ],
  },
  {
    title: 'Response time',
    metrics: (p) =>
      ['p50', 'p99'].map(
        (stat): MetricLine => [
          'AWS/ApplicationELB',
          'TargetResponseTime',
          'LoadBalancer',
          p.loadBalancerArnSuffix,
          { stat, label: stat },
        ],
      ),
  },
  {
    title: 'Tasks',
    metrics: (p) => [
      [
        'AWS/ApplicationELB',
        'HealthyHostCount',
        'LoadBalancer',
        p.loadBalancerArnSuffix,
        'TargetGroup',
        p.targetGroupArnSuffix,
        { stat: 'Minimum', label: 'healthy' },
      ],
      [
        'AWS/ApplicationELB',
        'UnHealthyHostCount',
        'LoadBalancer',
        p.loadBalancerArnSuffix,
        'TargetGroup',
        p.targetGroupArnSuffix,
        { stat: 'Maximum', label: 'unhealthy' },
      ],
    ],
  },
  {
    title: 'Service CPU and memory (%)',
    metrics: (p) =>
      ['CPUUtilization', 'MemoryUtilization'].map(
        (metric): MetricLine => [
          'AWS/ECS',
          metric,
          'ClusterName',
          p.clusterName,
          'ServiceName',
          p.serviceName,
          { stat: 'Average', label: metric },
        ],
      ),
  },
  {
    title: 'DynamoDB throttles and replication latency (ms)',
    metrics: (p) => [
      ['AWS/DynamoDB', 'ReadThrottleEvents', 'TableName', p.tableName, { stat: 'Sum', label: 'read throttles' }],
      ['AWS/DynamoDB', 'WriteThrottleEvents', 'TableName', p.tableName, { stat: 'Sum', label: 'write throttles' }],
      // Published only with ReceivingRegion as well: one line per receiving region.
      ...p.otherRegions.map(
        (receiving): MetricLine => [
          'AWS/DynamoDB',
          'ReplicationLatency',
          'TableName',
          p.tableName,
          'ReceivingRegion',
          receiving,
          { stat: 'Average', label: `replication latency to ${receiving}` },
        ],
      ),
    ],
  },
  {
    title: 'Aurora global replication lag (ms)',
    // Published by secondaries under (DBClusterIdentifier, SourceRegion): the same query as the
    // alarm, empty while this region holds the writer.
    metrics: (p) => [[{ expression: replicationLagQuery(p.databaseClusterIdentifier), label: 'lag', id: 'lag' }]],
  },
  {
    title: 'Failed connections to the Aurora writer',
    metrics: (p) => [
      [p.writerUnreachableMetric.namespace, p.writerUnreachableMetric.metricName, { stat: 'Sum', label: 'failures' }],
    ],
  },
  {
    title: 'Route 53 health check (1 = healthy)',
    metricRegion: 'us-east-1',
    metrics: (p) => [
      ['AWS/Route53', 'HealthCheckStatus', 'HealthCheckId', p.healthCheckId, { stat: 'Minimum', label: 'status' }],
    ],
  },
];

const GRID_WIDTH = 24;
const WIDGET_HEIGHT = 6;

/** A CloudWatch dashboard with one row per signal and one column per region, side by side. */
export class ServiceDashboard extends Construct {
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const checks = new PropChecks(this, `ServiceDashboard ${this.node.path}`).check('name', props.name, DASHBOARD_NAME);
    if (props.regions.length === 0 || props.regions.length > GRID_WIDTH) {
      checks.add(`regions: must be 1-${GRID_WIDTH}, got ${props.regions.length}`);
    }
    for (const panels of props.regions) {
      checks
        .known('regions[].region', panels.region, "it names the region's widgets")
        .knownItems(`regions[${panels.region}].otherRegions`, panels.otherRegions, 'each region gets its own line');
    }
    checks.throwIfAny();
    const width = Math.floor(GRID_WIDTH / props.regions.length);
    const widgets = ROWS.flatMap((row, rowIndex) =>
      props.regions.map((panels, column) => ({
        type: 'metric',
        x: column * width,
        y: rowIndex * WIDGET_HEIGHT,
        width,
        height: WIDGET_HEIGHT,
        properties: {
          title: `${panels.region}: ${row.title}`,
          region: row.metricRegion ?? panels.region,
          metrics: row.metrics(panels),
          view: 'timeSeries',
          stacked: false,
          period: 60,
        },
      })),
    );
    const dashboard = new CloudwatchDashboard(this, 'dashboard', {
      provider: props.provider,
      dashboardName: props.name,
      dashboardBody: JSON.stringify({ widgets }),
    });
    checks.checkAtPlanOn(dashboard);
    this.dashboardName = dashboard.dashboardName;
  }
}
