import { Construct } from 'constructs';
import type { AlarmSpec, AlertTopic } from '../alert-topic/index.js';

export interface AlarmThresholds {
  /** Load-balancer 5XX responses (its own, not the targets') per period. */
  readonly loadBalancer5xx: number;
  /** Target 5XX responses per period. */
  readonly target5xx: number;
  /** Average service CPU utilization, %. */
  readonly cpuPercent: number;
  /** Average service memory utilization, %. */
  readonly memoryPercent: number;
  /** DynamoDB `ReplicationLatency` to any receiving region, ms (average). */
  readonly tableReplicationLatencyMs: number;
  /** Aurora `AuroraGlobalDBReplicationLag`, ms (maximum). */
  readonly databaseReplicationLagMs: number;
  /** Length of one evaluation period, seconds. */
  readonly periodSeconds: number;
  /** Consecutive breaching periods before an alarm fires. */
  readonly evaluationPeriods: number;
}

export interface RegionalAlarmsProps {
  /** The region's alert topic; every alarm is created in its region and notifies it. */
  readonly topic: AlertTopic;
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  readonly clusterName: string;
  readonly serviceName: string;
  /** The global table's name (the same in every region). */
  readonly tableName: string;
  /** Every other region of the table: `ReplicationLatency` is published per receiving region. */
  readonly otherRegions: readonly string[];
  /** This region's Aurora cluster; the lag metric exists while it is a secondary. */
  readonly databaseClusterIdentifier: string;
  readonly thresholds: AlarmThresholds;
}

/**
 * The alarms of one region's stack, all notifying the region's topic: load-balancer and target
 * 5XX, unhealthy targets, service CPU and memory, DynamoDB replication latency and throttling,
 * and Aurora global replication lag.
 */
export class RegionalAlarms extends Construct {
  /** Alarm names, for dashboards and runbooks. */
  readonly alarmNames: readonly string[];

  constructor(scope: Construct, id: string, props: RegionalAlarmsProps) {
    super(scope, id);
    validateThresholds(this.node.path, props.thresholds);
    const { thresholds: t } = props;
    const window = { periodSeconds: t.periodSeconds, evaluationPeriods: t.evaluationPeriods };
    const loadBalancer = { LoadBalancer: props.loadBalancerArnSuffix };
    const target = { LoadBalancer: props.loadBalancerArnSuffix, TargetGroup: props.targetGroupArnSuffix };
    const service = { ClusterName: props.clusterName, ServiceName: props.serviceName };
    const table = { TableName: props.tableName };

    const specs: AlarmSpec[] = [
      {
        name: 'alb-5xx',
        description:
          'The load balancer itself answers 5XX (no healthy target, timeouts, resets): check target health and the service.',
        metric: {
          namespace: 'AWS/ApplicationELB',
          metricName: 'HTTPCode_ELB_5XX_Count',
          dimensions: loadBalancer,
          statistic: 'Sum',
        },
        comparison: 'GreaterThanThreshold',
        threshold: t.loadBalancer5xx,
        ...window,
      },
      {
        name: 'target-5xx',
        description: 'Service tasks answer 5XX: check the service logs and its database and table.',
        metric: {
          namespace: 'AWS/ApplicationELB',
          metricName: 'HTTPCode_Target_5XX_Count',
          dimensions: target,
          statistic: 'Sum',
        },
        comparison: 'GreaterThanThreshold',
        threshold: t.target5xx,
        ...window,
      },
      {
        name: 'unhealthy-targets',
        description: 'Service tasks fail the load balancer liveness check: check stopped tasks and the service logs.',
        metric: {
          namespace: 'AWS/ApplicationELB',
          metricName: 'UnHealthyHostCount',
          dimensions: target,
          statistic: 'Maximum',
        },
        comparison: 'GreaterThanThreshold',
        threshold: 0,
        ...window,
      },
      {
        name: 'service-cpu',
        description: 'Service CPU stays high: auto scaling may be at its maximum.',
        metric: { namespace: 'AWS/ECS', metricName: 'CPUUtilization', dimensions: service, statistic: 'Average' },
        comparison: 'GreaterThanThreshold',
        threshold: t.cpuPercent,
        ...window,
      },
      {
        name: 'service-memory',
        description: 'Service memory stays high: tasks risk being stopped for running out of memory.',
        metric: { namespace: 'AWS/ECS', metricName: 'MemoryUtilization', dimensions: service, statistic: 'Average' },
        comparison: 'GreaterThanThreshold',
        threshold: t.memoryPercent,
        ...window,
      },
      {
        name: 'table-throttles',
        description: 'DynamoDB throttles reads or writes of the orders table in this region.',
        metric: {
          expression: 'reads + writes',
          label: 'Throttled events',
          metrics: {
            reads: { namespace: 'AWS/DynamoDB', metricName: 'ReadThrottleEvents', dimensions: table, statistic: 'Sum' },
            writes: {
              namespace: 'AWS/DynamoDB',
              metricName: 'WriteThrottleEvents',
              dimensions: table,
              statistic: 'Sum',
            },
          },
        },
        comparison: 'GreaterThanThreshold',
        threshold: 0,
        ...window,
      },
      ...props.otherRegions.map(
        (receivingRegion): AlarmSpec => ({
          name: `table-replication-latency-${receivingRegion}`,
          description: `Writes made in this region reach the ${receivingRegion} replica late: readers there see stale orders.`,
          metric: {
            namespace: 'AWS/DynamoDB',
            metricName: 'ReplicationLatency',
            dimensions: { ...table, ReceivingRegion: receivingRegion },
            statistic: 'Average',
          },
          comparison: 'GreaterThanThreshold',
          threshold: t.tableReplicationLatencyMs,
          ...window,
        }),
      ),
      {
        name: 'database-replication-lag',
        description:
          'This secondary Aurora cluster lags the writer region: reads here are stale and a failover would lose the lag.',
        metric: {
          namespace: 'AWS/RDS',
          metricName: 'AuroraGlobalDBReplicationLag',
          dimensions: { DBClusterIdentifier: props.databaseClusterIdentifier },
          statistic: 'Maximum',
        },
        comparison: 'GreaterThanThreshold',
        threshold: t.databaseReplicationLagMs,
        ...window,
      },
    ];
    this.alarmNames = specs.map((spec) => props.topic.alarm(spec).alarmName);
  }
}

function validateThresholds(path: string, thresholds: AlarmThresholds): void {
  const problems = Object.entries(thresholds)
    .filter(([, value]) => !Number.isFinite(value) || value <= 0)
    .map(([field, value]) => `thresholds.${field}: ${value} must be a number greater than 0`);
  if (problems.length > 0) throw new Error(`RegionalAlarms ${path}:\n  - ${problems.join('\n  - ')}`);
}
