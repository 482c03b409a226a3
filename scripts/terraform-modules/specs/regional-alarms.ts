import { AlertTopic } from '../../../modules/alert-topic/index.js';
import { ALARM_PERIOD_SECONDS, RegionalAlarms, type AlarmThresholds } from '../../../modules/regional-alarms/index.js';
import { WRITER_UNREACHABLE_LOG } from '../../../service/src/contract.js';
import type { InputSpec, ModuleSpec, ValidationRule } from '../spec.js';

/** The table's other regions the generated alarms watch replication to: one alarm per region at synth time. */
const OTHER_REGIONS = 1;

/** Each threshold: its input, the construct's field, its description and default. */
const THRESHOLDS: ReadonlyArray<readonly [string, keyof AlarmThresholds, string, number]> = [
  [
    'load_balancer_5xx_threshold',
    'loadBalancer5xx',
    "Load-balancer 5XX responses (its own, not the targets') per period above which the alarm fires.",
    50,
  ],
  ['target_5xx_threshold', 'target5xx', 'Target (task) 5XX responses per period above which the alarm fires.', 50],
  ['cpu_percent', 'cpuPercent', 'Average service CPU utilization (%) above which the alarm fires.', 80],
  ['memory_percent', 'memoryPercent', 'Average service memory utilization (%) above which the alarm fires.', 80],
  [
    'table_replication_latency_ms',
    'tableReplicationLatencyMs',
    'DynamoDB `ReplicationLatency` (ms, average) to the other region above which the alarm fires.',
    30_000,
  ],
  [
    'database_replication_lag_ms',
    'databaseReplicationLagMs',
    'Aurora `AuroraGlobalDBReplicationLag` (ms, maximum) above which the alarm fires.',
    5_000,
  ],
  ['period_seconds', 'periodSeconds', 'Length of one evaluation period, in seconds.', 60],
  ['evaluation_periods', 'evaluationPeriods', 'Consecutive breaching periods before an alarm fires.', 2],
];

/** Thresholds may be 0: every alarm fires when its metric is greater than the threshold. */
function thresholdValidation(input: string): ValidationRule {
  return { condition: `var.${input} >= 0`, message: `${input} must be a number of at least 0.`, rejects: [-1] };
}

/** The alarm window's own rules. */
const VALIDATIONS: Partial<Record<keyof AlarmThresholds, (input: string) => ValidationRule>> = {
  periodSeconds: (input) => ({
    condition: `contains([${ALARM_PERIOD_SECONDS.subMinute.join(', ')}], var.${input}) || (var.${input} > 0 && var.${input} % ${ALARM_PERIOD_SECONDS.multipleOf} == 0)`,
    message: `${input} must be ${ALARM_PERIOD_SECONDS.subMinute.join(', ')} or a multiple of ${ALARM_PERIOD_SECONDS.multipleOf} (PutMetricAlarm accepts no other period).`,
    rejects: [0, 45, 90],
  }),
  evaluationPeriods: (input) => ({
    condition: `var.${input} == floor(var.${input}) && var.${input} >= 1`,
    message: `${input} must be a whole number of at least 1.`,
    rejects: [0, 1.5],
  }),
};

function thresholdInput([input, field, description, defaultValue]: (typeof THRESHOLDS)[number]): InputSpec {
  return {
    type: 'number',
    description,
    default: defaultValue,
    prop: `thresholds.${field}`,
    validations: [VALIDATIONS[field]?.(input) ?? thresholdValidation(input)],
  };
}

export const regionalAlarms: ModuleSpec = {
  name: 'regional-alarms',
  summary: `The alarms of one region's service, all notifying an SNS topic encrypted with a KMS key of its own that CloudWatch may use: load-balancer and target 5XX, unhealthy targets, service CPU and memory, DynamoDB replication latency to the other region and throttling, Aurora global replication lag, and failed connections to the Aurora writer, counted by a metric filter from the service's JSON log lines with \`${Object.entries(
    WRITER_UNREACHABLE_LOG,
  )
    .map(([field, value]) => `"${field}": "${value}"`)
    .join(
      ', ',
    )}\` (as the orders service writes them). The replication-lag alarm exists in every region: a cluster that holds the writer publishes no lag, which the alarm treats as not breaching, and after a switchover the alarm already watches the new secondary. Subscribe people or chat integrations to \`topic_arn\` outside the module.`,
  regions: {
    kind: 'single',
    why: 'Alarms notify topics of their own region only: the module creates the topic and the alarms with the `aws` provider the caller passes, the region whose service they watch.',
  },
  inputs: {
    name: {
      type: 'string',
      description: 'Topic name, also the prefix of every alarm name, such as `orders-production-us-east-1-alerts`.',
    },
    load_balancer_arn_suffix: {
      type: 'string',
      description: "The `LoadBalancer` dimension of the region's load balancer (`app/<name>/<id>`).",
    },
    target_group_arn_suffix: {
      type: 'string',
      description: "The `TargetGroup` dimension of the service's target group.",
    },
    cluster_name: { type: 'string', description: 'The ECS cluster.' },
    service_name: { type: 'string', description: 'The ECS service.' },
    table_name: { type: 'string', description: 'The DynamoDB global table (the same name in every region).' },
    other_regions: {
      type: 'list(string)',
      description: `The table's other region${OTHER_REGIONS === 1 ? '' : 's'} (exactly ${OTHER_REGIONS}): \`ReplicationLatency\` is published per receiving region.`,
      validations: [
        {
          condition: `length(var.other_regions) == ${OTHER_REGIONS}`,
          message: `other_regions must list exactly ${OTHER_REGIONS} region${OTHER_REGIONS === 1 ? '' : 's'} (the construct builds one alarm per region).`,
          rejects: [['eu-west-1', 'ap-southeast-2']],
          shape: true,
        },
      ],
    },
    database_cluster_identifier: { type: 'string', description: "This region's Aurora cluster." },
    service_log_group_name: { type: 'string', description: "The service's log group, which the metric filter reads." },
    writer_unreachable_metric_namespace: {
      type: 'string',
      description: 'Namespace of the metric the filter counts failed connections to the Aurora writer into.',
    },
    writer_unreachable_metric_name: {
      type: 'string',
      description: 'Name of the metric the filter counts failed connections to the Aurora writer into.',
      default: 'WriterUnreachable',
    },
    ...Object.fromEntries(THRESHOLDS.map((threshold) => [threshold[0], thresholdInput(threshold)])),
  },
  example: {
    name: 'orders-production-us-east-1-alerts',
    load_balancer_arn_suffix: 'app/orders-use1/0123456789abcdef',
    target_group_arn_suffix: 'targetgroup/orders20260101/0123456789abcdef',
    cluster_name: 'orders-production-us-east-1',
    service_name: 'orders-production-us-east-1',
    table_name: 'orders',
    other_regions: ['eu-west-1'],
    database_cluster_identifier: 'orders-us-east-1',
    service_log_group_name: '/ecs/orders-production-us-east-1',
    writer_unreachable_metric_namespace: 'orders/production',
  },
  build(scope, input) {
    const provider = input.provider();
    const topic = new AlertTopic(scope, 'topic', { provider, name: input.string('name') });
    const thresholds = Object.fromEntries(
      THRESHOLDS.map(([name, field]) => [field, input.number(name)]),
    ) as unknown as AlarmThresholds;
    const alarms = new RegionalAlarms(scope, 'alarms', {
      topic,
      provider,
      loadBalancerArnSuffix: input.string('load_balancer_arn_suffix'),
      targetGroupArnSuffix: input.string('target_group_arn_suffix'),
      clusterName: input.string('cluster_name'),
      serviceName: input.string('service_name'),
      tableName: input.string('table_name'),
      otherRegions: input.items('other_regions', OTHER_REGIONS, 'region'),
      databaseClusterIdentifier: input.string('database_cluster_identifier'),
      databaseIsSecondary: true,
      serviceLogGroupName: input.string('service_log_group_name'),
      writerUnreachableLog: WRITER_UNREACHABLE_LOG,
      writerUnreachableMetric: {
        namespace: input.string('writer_unreachable_metric_namespace'),
        metricName: input.string('writer_unreachable_metric_name'),
      },
      thresholds,
    });
    return {
      topic_arn: {
        value: topic.topicArn,
        description: 'The encrypted SNS topic every alarm notifies; subscribe to it.',
      },
      alarm_names: { value: alarms.alarmNames, description: 'The alarms, for dashboards and runbooks.' },
    };
  },
};
