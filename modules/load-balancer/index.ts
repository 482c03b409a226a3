import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Fn, Op, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { isToken, numberText } from '../tokens.js';
import { atLeastItems, matchesPattern, PropChecks, URL_PATH, wholeNumber, type Rule } from '../validation.js';
import { AccessLogBucket } from './access-log-bucket.js';
import { LoadBalancerWebAcl } from './web-acl.js';

/** TLS 1.3 and 1.2 only, forward-secret ciphers. */
export const DEFAULT_TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export interface LoadBalancerProps {
  /** The region's provider. */
  readonly provider: AwsProvider;
  /**
   * Name of the load balancer (1-29 characters: letters, digits, hyphens); its first six
   * characters are the target group's name prefix.
   */
  readonly name: string;
  readonly vpcId: string;
  /** Public subnets, one per zone (two or more). */
  readonly subnetIds: readonly string[];
  /** The load balancer tier's security group (HTTPS and HTTP in, the service port out). */
  readonly securityGroupId: string;
  /** A validated ACM certificate of this region for the HTTPS listener. */
  readonly certificateArn: string;
  /** Port the service tasks listen on. */
  readonly targetPort: number;
  /**
   * Path of the target-group health check. A shallow liveness route: a deep check that fails
   * while a dependency is down would make ECS replace every healthy task at once.
   * @default '/health/live'
   */
  readonly healthCheckPath?: string;
  /**
   * Seconds an idle client connection stays open; must stay below the service's keep-alive
   * timeout, or the service may close a connection the load balancer is about to reuse (502s).
   * @default 60
   */
  readonly idleTimeoutSeconds?: number;
  /**
   * Seconds a deregistering task keeps receiving in-flight requests; must stay below the task's
   * stop timeout so the task is still alive while it drains.
   * @default 15
   */
  readonly deregistrationDelaySeconds?: number;
  /**
   * Refuse `destroy` until deletion protection is turned off.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * TLS policy of the HTTPS listener.
   * @default DEFAULT_TLS_POLICY — TLS 1.2 and 1.3
   */
  readonly tlsPolicy?: string;
  /**
   * Days access logs and WAF logs are kept.
   * @default 365
   */
  readonly logRetentionDays?: number;
}

/**
 * An internet-facing Application Load Balancer in the public subnets: HTTPS with a TLS 1.2+
 * policy, HTTP answered with a permanent redirect to HTTPS, invalid headers dropped, deletion
 * protection, access logs to S3, a WAF web ACL, and one IP target group for the service tasks.
 */
export class LoadBalancer extends Construct {
  readonly loadBalancerArn: string;
  /** The `LoadBalancer` dimension of its CloudWatch metrics (`app/<name>/<id>`). */
  readonly loadBalancerArnSuffix: string;
  readonly dnsName: string;
  /** The load balancer's own hosted zone, for alias records. */
  readonly hostedZoneId: string;
  readonly targetGroupArn: string;
  /** The `TargetGroup` dimension of its CloudWatch metrics. */
  readonly targetGroupArnSuffix: string;
  readonly httpsListenerArn: string;
  /**
   * The listeners that forward to the target group. ECS refuses a service whose target group no
   * listener uses yet ("The target group … does not have an associated load balancer"), so a
   * service must be created after them (`dependsOn`).
   */
  readonly listeners: readonly ITerraformDependable[];
  readonly deregistrationDelaySeconds: number;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const idleTimeout = props.idleTimeoutSeconds ?? 60;
    const deregistrationDelay = props.deregistrationDelaySeconds ?? 15;
    const logRetentionDays = props.logRetentionDays ?? 365;
    const checks = validateProps(this, props, idleTimeout, deregistrationDelay);
    const { provider, name } = props;

    const logs = new AccessLogBucket(this, 'access-logs', { provider, name, retentionDays: logRetentionDays });
    const loadBalancer = new Lb(this, 'load-balancer', {
      provider,
      name,
      loadBalancerType: 'application',
      internal: false,
      subnets: [...props.subnetIds],
      securityGroups: [props.securityGroupId],
      idleTimeout,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: 'defensive',
      enableDeletionProtection: props.deletionProtection ?? true,
      accessLogs: { bucket: logs.bucketName, enabled: true },
      dependsOn: logs.writable,
    });
    checks.checkAtPlanOn(loadBalancer);
    const targetGroup = new LbTargetGroup(this, 'target-group', {
      provider,
      // A prefix (Terraform appends a unique suffix; AWS allows 32 characters, the provider 6 for
      // the prefix) and create_before_destroy: a change that replaces the group (port, protocol,
      // target type) creates the new one, moves the listener to it, then deletes the old one.
      // With a fixed name the new group would collide with the old ("DuplicateTargetGroupName"),
      // and without create_before_destroy the old one cannot be deleted while the listener uses
      // it (ResourceInUse).
      namePrefix: targetGroupNamePrefix(name),
      tags: { Name: name },
      lifecycle: { createBeforeDestroy: true },
      vpcId: props.vpcId,
      targetType: 'ip',
      protocol: 'HTTP',
      port: props.targetPort,
      deregistrationDelay: numberText(deregistrationDelay),
      healthCheck: {
        enabled: true,
        path: props.healthCheckPath ?? '/health/live',
        protocol: 'HTTP',
        port: 'traffic-port',
        matcher: '200',
        interval: 10,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });
    const https = new LbListener(this, 'https', {
      provider,
      loadBalancerArn: loadBalancer.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: props.tlsPolicy ?? DEFAULT_TLS_POLICY,
      certificateArn: props.certificateArn,
      defaultAction: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
    });
    new LbListener(this, 'http-redirect', {
      provider,
      loadBalancerArn: loadBalancer.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [
        {
          type: 'redirect',
          redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' },
        },
      ],
    });
    new LoadBalancerWebAcl(this, 'waf', { provider, name, loadBalancerArn: loadBalancer.arn, logRetentionDays });

    this.loadBalancerArn = loadBalancer.arn;
    this.loadBalancerArnSuffix = loadBalancer.arnSuffix;
    this.dnsName = loadBalancer.dnsName;
    this.hostedZoneId = loadBalancer.zoneId;
    this.targetGroupArn = targetGroup.arn;
    this.targetGroupArnSuffix = targetGroup.arnSuffix;
    this.httpsListenerArn = https.arn;
    this.listeners = [https];
    this.deregistrationDelaySeconds = deregistrationDelay;
  }
}

/** The target group's `name_prefix`: the load balancer's name cut to the provider's six-character limit. */
export function targetGroupNamePrefix(name: string): string {
  return isToken(name) ? Fn.substr(name, 0, 6) : name.slice(0, 6);
}

/**
 * 1-29 letters, digits or hyphens, not starting or ending with a hyphen; `internal-` is reserved.
 * Lower case only, although load balancer names may hold upper case: the access-log bucket
 * `<name>-<account>-<region>-logs` takes the name, and S3 bucket names are lower case (S3 User
 * Guide, "General purpose bucket naming rules").
 */
const LOAD_BALANCER_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,27}[a-z0-9])?$/;
const LOAD_BALANCER_NAME_ALLOWED =
  '1-29 lower-case letters, digits or hyphens (the access-log bucket takes the name, and S3 bucket names are lower case), not starting or ending with a hyphen, not starting with internal-';
const LOAD_BALANCER_NAME: Rule<string> = {
  allowed: LOAD_BALANCER_NAME_ALLOWED,
  holds: (name) => LOAD_BALANCER_NAME_PATTERN.test(name) && !name.startsWith('internal-'),
  problem: (name) => `"${name}" must be ${LOAD_BALANCER_NAME_ALLOWED}`,
  condition: (name) =>
    Op.and(matchesPattern(LOAD_BALANCER_NAME_PATTERN, name), Op.not(Fn.startswith(name, 'internal-'))),
};

function validateProps(
  loadBalancer: LoadBalancer,
  props: LoadBalancerProps,
  idleTimeout: number,
  deregistrationDelay: number,
): PropChecks {
  return new PropChecks(loadBalancer, `LoadBalancer ${loadBalancer.node.path}`)
    .check('name', props.name, LOAD_BALANCER_NAME)
    .check(
      'subnetIds',
      props.subnetIds,
      atLeastItems(2, (count) => `an Application Load Balancer needs subnets in two or more zones, got ${count}`),
    )
    .check('idleTimeoutSeconds', idleTimeout, wholeNumber(1, 4000))
    .check('deregistrationDelaySeconds', deregistrationDelay, wholeNumber(0, 3600))
    .checkOptional('healthCheckPath', props.healthCheckPath, URL_PATH)
    .throwIfAny();
}
