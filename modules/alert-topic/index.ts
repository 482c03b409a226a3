import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmMetricQuery,
} from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { accountOf } from '../account.js';
import { EncryptionKey } from '../encryption-key/index.js';
import { isToken } from '../tokens.js';
import { matching, PropChecks } from '../validation.js';

const EMAIL_ADDRESS = matching(
  /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
  'an email address',
  (email) => `"${email}" is not an email address`,
);

export interface AlertTopicProps {
  /** The provider of the region whose alarms publish here (alarms can only notify topics of their own region). */
  readonly provider: AwsProvider;
  /** Topic name, also the prefix of every alarm name, such as `orders-production-us-east-1-alerts`. */
  readonly name: string;
  /**
   * Email addresses subscribed to the topic; each must confirm the subscription by mail.
   * @default [] — subscribe pagers or chat integrations outside this project
   */
  readonly emailEndpoints?: readonly string[];
}

export type ComparisonOperator =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

/** One CloudWatch metric: the namespace, name, dimensions and statistic the alarm evaluates. */
export interface MetricSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: 'Sum' | 'Average' | 'Maximum' | 'Minimum' | 'SampleCount';
}

export interface AlarmSpec {
  /** Appended to the topic name to form the alarm name, such as `alb-5xx`. */
  readonly name: string;
  /** What the alarm means and what to look at first; shown in the notification. */
  readonly description: string;
  /**
   * A single metric; `expression`, metric math over named metrics (for sums of several); or
   * `query`, a CloudWatch Metrics Insights query (`SELECT MAX(m) FROM SCHEMA(...) WHERE ...`),
   * which matches a metric whatever the value of a dimension it does not name.
   */
  readonly metric:
    | MetricSpec
    | { readonly expression: string; readonly label: string; readonly metrics: Readonly<Record<string, MetricSpec>> }
    | { readonly query: string; readonly label: string };
  readonly comparison: ComparisonOperator;
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  /**
   * Breaching periods among the last `evaluationPeriods` that fire the alarm ("M out of N").
   * @default evaluationPeriods — every one
   */
  readonly datapointsToAlarm?: number;
  /**
   * Notify the topic also when the alarm enters INSUFFICIENT_DATA: for metrics that always
   * report, where silence means the source stopped (a deleted or broken health check).
   * @default false
   */
  readonly notifyOnInsufficientData?: boolean;
  /**
   * How periods without data count. Request and error counts publish nothing while idle.
   * @default 'notBreaching' — silence is not an outage; health checks pass 'breaching'
   */
  readonly treatMissingData?: 'notBreaching' | 'breaching' | 'missing' | 'ignore';
}

/**
 * An SNS topic for one region's alerts, encrypted with a customer key that CloudWatch may use,
 * whose policy admits only this account's CloudWatch alarms and TLS; `alarm()` creates alarms
 * that notify it on ALARM and on OK.
 */
export class AlertTopic extends Construct {
  readonly topicArn: string;
  private readonly provider: AwsProvider;
  private readonly name: string;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const { provider, name } = props;
    const emailEndpoints = props.emailEndpoints ?? [];
    const checks = new PropChecks(this, `AlertTopic ${this.node.path}`).known(
      'emailEndpoints',
      emailEndpoints,
      'each address gets its own subscription',
    );
    emailEndpoints.forEach((email, index) => checks.check(`emailEndpoints[${index}]`, email, EMAIL_ADDRESS));
    checks.throwIfAny();
    this.provider = provider;
    this.name = name;
    // The key policy grants cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*, the
    // statement the SNS Developer Guide documents for alarms publishing to an encrypted topic
    // ("Encrypting messages published to Amazon SNS with AWS KMS", section "Enable compatibility
    // between event sources from AWS services and encrypted topics"). Its only condition is
    // aws:SourceAccount, a key CloudWatch's requests carry (AWS's construct library scopes the same
    // grant with it, MDAA grantCloudWatchAlarmsTopicAccess); no kms:ViaService or encryption
    // context, which an alarm's request does not carry and which would drop every alert silently.
    const key = new EncryptionKey(this, 'key', {
      provider,
      alias: `${name}/sns`,
      description: `Encrypts the ${name} alert topic`,
      servicePrincipals: ['cloudwatch.amazonaws.com'],
      deletionWindowInDays: 7,
    });
    const topic = new SnsTopic(this, 'topic', { provider, name, kmsMasterKeyId: key.keyArn });
    checks.checkAtPlanOn(topic);
    this.topicArn = topic.arn;

    const { accountId: account, partition } = accountOf(this, provider);
    const policy = new DataAwsIamPolicyDocument(this, 'policy', {
      provider,
      statement: [
        {
          sid: 'AccountManages',
          actions: [
            'SNS:GetTopicAttributes',
            'SNS:SetTopicAttributes',
            'SNS:Subscribe',
            'SNS:ListSubscriptionsByTopic',
            'SNS:DeleteTopic',
          ],
          resources: [topic.arn],
          principals: [{ type: 'AWS', identifiers: [`arn:${partition}:iam::${account}:root`] }],
        },
        {
          sid: 'CloudWatchAlarmsPublish',
          actions: ['SNS:Publish'],
          resources: [topic.arn],
          principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] }],
        },
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          actions: ['SNS:Publish'],
          resources: [topic.arn],
          principals: [{ type: '*', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new SnsTopicPolicy(this, 'topic-policy', { provider, arn: topic.arn, policy: policy.json });
    emailEndpoints.forEach(
      (email, index) =>
        new SnsTopicSubscription(this, `email-${index}`, {
          provider,
          topicArn: topic.arn,
          protocol: 'email',
          endpoint: email,
        }),
    );
  }

  /** A CloudWatch alarm named `<topic>-<spec.name>` that notifies this topic when it fires and when it clears. */
  alarm(spec: AlarmSpec): CloudwatchMetricAlarm {
    if (isToken(spec.name) || !/^[a-z0-9][a-z0-9-]*$/.test(spec.name)) {
      throw new Error(
        `AlertTopic ${this.node.path}: alarm name "${spec.name}" must be lowercase letters, digits and hyphens, known at synth (it names the alarm's resource)`,
      );
    }
    const metric = spec.metric;
    const metricFields =
      'query' in metric
        ? {
            metricQuery: [
              {
                id: 'result',
                expression: metric.query,
                label: metric.label,
                period: spec.periodSeconds,
                returnData: true,
              },
            ],
          }
        : 'expression' in metric
          ? { metricQuery: metricQueries(metric.expression, metric.label, metric.metrics, spec.periodSeconds) }
          : {
              namespace: metric.namespace,
              metricName: metric.metricName,
              // A metric without dimensions (one a metric filter makes) has no `dimensions` at all.
              dimensions: Object.keys(metric.dimensions).length > 0 ? { ...metric.dimensions } : undefined,
              statistic: metric.statistic,
              period: spec.periodSeconds,
            };
    return new CloudwatchMetricAlarm(this, `alarm-${spec.name}`, {
      provider: this.provider,
      alarmName: `${this.name}-${spec.name}`,
      alarmDescription: spec.description,
      comparisonOperator: spec.comparison,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      treatMissingData: spec.treatMissingData ?? 'notBreaching',
      alarmActions: [this.topicArn],
      okActions: [this.topicArn],
      insufficientDataActions: spec.notifyOnInsufficientData ? [this.topicArn] : undefined,
      ...metricFields,
    });
  }
}

function metricQueries(
  expression: string,
  label: string,
  metrics: Readonly<Record<string, MetricSpec>>,
  period: number,
): CloudwatchMetricAlarmMetricQuery[] {
  return [
    { id: 'result', expression, label, returnData: true },
    ...Object.entries(metrics).map(([id, metric]) => ({
      id,
      returnData: false,
      metric: {
        namespace: metric.namespace,
        metricName: metric.metricName,
        dimensions: { ...metric.dimensions },
        stat: metric.statistic,
        period,
      },
    })),
  ];
}
