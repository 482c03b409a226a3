import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Fn, Op, Token, type IResolvable } from 'cdktf';
import { Construct } from 'constructs';
import type { AlarmSpec, AlertTopic } from '../alert-topic/index.js';
import { compare, PropChecks, wholeNumber, type Rule } from '../validation.js';

/** A metric the service's own log lines make (through a metric filter), without dimensions. */
export interface LogMetric {
  readonly namespace: string;
  readonly metricName: string;
}

/** A CloudWatch Logs filter pattern matching JSON log lines whose top-level fields have these values. */
export function jsonLogPattern(fields: Readonly<Record<string, string>>): string {
  const terms = Object.entries(fields).map(([field, value]) => `$.${field} = ${JSON.stringify(value)}`);
  return `{ ${terms.join(' && ')} }`;
}

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
  /**
   * Whether this region's cluster is a secondary of the global database (the configured writer
   * is elsewhere). Only secondaries publish `AuroraGlobalDBReplicationLag`, so only they get the
   * replication-lag alarm.
   */
  readonly databaseIsSecondary: boolean;
  /** The region's provider, for the log metric filter. */
  readonly provider: AwsProvider;
  /**
   * The service's log group and the JSON fields of its "writer unreachable" line: a metric filter
   * counts those lines into `writerUnreachableMetric`, and an alarm fires when they persist.
   */
  readonly serviceLogGroupName: string;
  readonly writerUnreachableLog: Readonly<Record<string, string>>;
  readonly writerUnreachableMetric: LogMetric;
  readonly thresholds: AlarmThresholds;
}

/**
 * The alarms of one region's stack, all notifying the region's topic: load-balancer and target
 * 5XX, unhealthy targets, service CPU and memory, DynamoDB replication latency and throttling,
 * Aurora global replication lag (secondaries), and failed connections to the Aurora writer
 * (counted from the service's log lines by a metric filter).
 */
export class RegionalAlarms extends Construct {
  /** Alarm names, for dashboards and runbooks. */
  readonly alarmNames: readonly string[];

  constructor(scope: Construct, id: string, props: RegionalAlarmsProps) {
    super(scope, id);
    const checks = validateProps(this, props);
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
        // ReadThrottleEvents and WriteThrottleEvents are published only for periods in which
        // something was throttled, and metric math over a period where one input is missing
        // yields no value: `reads + writes` was empty whenever only one kind throttled. FILL
        // counts a missing period as 0 (CloudWatch User Guide, "Using metric math", FILL).
        metric: {
          expression: 'FILL(reads, 0) + FILL(writes, 0)',
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
      // Aurora publishes AuroraGlobalDBReplicationLag from each secondary cluster, in the
      // secondary's region, under the dimensions DBClusterIdentifier *and* SourceRegion (the
      // writer's region); the primary publishes none. An alarm names an exact dimension set, so
      // one on DBClusterIdentifier alone never sees a value. A Metrics Insights query over the
      // (DBClusterIdentifier, SourceRegion) schema, filtered by this cluster, keeps matching when a
      // switchover moves the writer to another region. Aurora User Guide, "Amazon CloudWatch
      // metrics for Amazon Aurora" (cluster-level metrics, AuroraGlobalDBReplicationLag) and
      // "Amazon CloudWatch dimensions for Aurora" (DBClusterIdentifier, SourceRegion); AWS
      // Database Blog, "Monitor Amazon Aurora Global Database replication at scale using Amazon
      // CloudWatch Metrics Insights"; CloudWatch User Guide, "Create alarms on Metrics Insights
      // queries".
      ...(props.databaseIsSecondary
        ? [
            {
              name: 'database-replication-lag',
              description:
                'This secondary Aurora cluster lags the writer region: reads here are stale and a failover would lose the lag.',
              metric: {
                query: replicationLagQuery(props.databaseClusterIdentifier),
                label: 'Aurora global replication lag (ms)',
              },
              comparison: 'GreaterThanThreshold',
              threshold: t.databaseReplicationLagMs,
              ...window,
            } satisfies AlarmSpec,
          ]
        : []),
      {
        name: 'writer-unreachable',
        description:
          'Service tasks in this region fail to connect to the Aurora writer: orders cannot be placed here. Check the path to the writer region and the global cluster.',
        metric: { ...props.writerUnreachableMetric, dimensions: {}, statistic: 'Sum' },
        comparison: 'GreaterThanThreshold',
        threshold: 0,
        // Per minute, whatever the configured window: two minutes with failures out of three.
        periodSeconds: 60,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        // No failed connection writes no line, so no data point: that is the healthy case.
        treatMissingData: 'notBreaching',
      },
    ];
    const filter = new CloudwatchLogMetricFilter(this, 'writer-unreachable-filter', {
      provider: props.provider,
      name: props.writerUnreachableMetric.metricName,
      logGroupName: props.serviceLogGroupName,
      pattern: jsonLogPattern(props.writerUnreachableLog),
      metricTransformation: {
        namespace: props.writerUnreachableMetric.namespace,
        name: props.writerUnreachableMetric.metricName,
        value: '1',
        unit: 'Count',
      },
    });
    checks.checkAtPlanOn(filter);
    this.alarmNames = specs.map((spec) => props.topic.alarm(spec).alarmName);
  }
}

/** A Metrics Insights query for the replication lag one cluster reports, from whichever region it replicates. */
export function replicationLagQuery(clusterIdentifier: string): string {
  return `SELECT MAX(AuroraGlobalDBReplicationLag) FROM SCHEMA("AWS/RDS", DBClusterIdentifier, SourceRegion) WHERE DBClusterIdentifier = '${clusterIdentifier}'`;
}

/** A threshold: 0 too, since every alarm compares with GreaterThanThreshold. */
const THRESHOLD: Rule<number> = {
  allowed: 'a number of at least 0',
  holds: (value) => Number.isFinite(value) && value >= 0,
  problem: (value) => `${value} must be a number of at least 0`,
  condition: (value) => compare(value, 'gte', 0),
};

/** Periods PutMetricAlarm accepts: 10, 20, 30 or a multiple of 60 (CloudWatch API Reference, PutMetricAlarm, Period). */
export const ALARM_PERIOD_SECONDS = { subMinute: [10, 20, 30], multipleOf: 60 } as const;
const PERIOD_ALLOWED = `${ALARM_PERIOD_SECONDS.subMinute.join(', ')} or a multiple of ${ALARM_PERIOD_SECONDS.multipleOf} seconds`;
const ALARM_PERIOD: Rule<number> = {
  allowed: PERIOD_ALLOWED,
  holds: (value) =>
    (ALARM_PERIOD_SECONDS.subMinute as readonly number[]).includes(value) ||
    (Number.isInteger(value) && value > 0 && value % ALARM_PERIOD_SECONDS.multipleOf === 0),
  problem: (value) => `${value} must be ${PERIOD_ALLOWED}`,
  condition: (value) =>
    Op.or(
      Fn.contains([...ALARM_PERIOD_SECONDS.subMinute], value) as IResolvable,
      Op.and(compare(value, 'gt', 0), compare(Token.asNumber(Op.mod(value, ALARM_PERIOD_SECONDS.multipleOf)), 'eq', 0)),
    ),
};

/** The rule of each field of the thresholds: the window has rules of its own. */
function thresholdRule(field: keyof AlarmThresholds): Rule<number> {
  if (field === 'periodSeconds') return ALARM_PERIOD;
  if (field === 'evaluationPeriods') return wholeNumber(1);
  return THRESHOLD;
}

function validateProps(alarms: RegionalAlarms, props: RegionalAlarmsProps): PropChecks {
  const checks = new PropChecks(alarms, `RegionalAlarms ${alarms.node.path}`);
  for (const [field, value] of Object.entries(props.thresholds) as Array<[keyof AlarmThresholds, number]>) {
    checks.check(`thresholds.${field}`, value, thresholdRule(field));
  }
  return checks
    .knownItems('otherRegions', props.otherRegions, 'each region gets its own replication alarm')
    .known('databaseIsSecondary', props.databaseIsSecondary, 'it decides whether the replication-lag alarm exists')
    .known('writerUnreachableLog', props.writerUnreachableLog, 'its fields are written into the filter pattern')
    .throwIfAny();
}
