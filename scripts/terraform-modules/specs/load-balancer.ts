import { DEFAULT_TLS_POLICY, LoadBalancer } from '../../../modules/load-balancer/index.js';
import { absolutePath, integerBetween, type ModuleSpec } from '../spec.js';

export const loadBalancer: ModuleSpec = {
  name: 'load-balancer',
  summary:
    'An internet-facing Application Load Balancer: HTTPS with a TLS 1.2+ policy, HTTP answered with a permanent redirect to HTTPS, invalid headers dropped, deletion protection, access logs to an S3 bucket of its own, a WAF web ACL with AWS managed rules and its logs, and one IP target group for the service tasks.',
  regions: {
    kind: 'single',
    why: 'A load balancer serves one region: the module uses the `aws` provider the caller passes.',
  },
  inputs: {
    name: {
      type: 'string',
      description:
        "Name of the load balancer (1-29 lower-case letters, digits or hyphens: the access-log bucket `<name>-<account>-<region>-logs` takes it, and S3 bucket names are lower case); its first six characters are the target group's name prefix.",
      validations: [
        {
          condition:
            'can(regex("^[a-z0-9](?:[a-z0-9-]{0,27}[a-z0-9])?$", var.name)) && !startswith(var.name, "internal-")',
          message:
            'name must be 1-29 lower-case letters, digits or hyphens (the access-log bucket takes the name, and S3 bucket names are lower case), not starting or ending with a hyphen, not starting with internal-.',
          rejects: ['-orders', 'orders-load-balancer-in-us-east-1', 'internal-orders', 'Orders-use1'],
        },
      ],
    },
    vpc_id: { type: 'string', description: 'The VPC of the target group.' },
    subnet_ids: {
      type: 'list(string)',
      description: 'Public subnets, one per zone (two or more).',
      validations: [
        {
          condition: 'length(var.subnet_ids) >= 2',
          message: 'subnet_ids must list subnets in two or more zones (an Application Load Balancer needs two).',
          rejects: [['subnet-0a1b2c3d4e5f60001']],
        },
      ],
    },
    security_group_id: {
      type: 'string',
      description: "The load balancer tier's security group (HTTPS and HTTP in, the service port out).",
    },
    certificate_arn: {
      type: 'string',
      description: 'A validated ACM certificate of this region for the HTTPS listener.',
    },
    target_port: { type: 'number', description: 'Port the service tasks listen on.' },
    health_check_path: {
      type: 'string',
      description: 'Path of the target-group health check: a shallow liveness route.',
      default: '/health/live',
      validations: [absolutePath('health_check_path')],
    },
    idle_timeout_seconds: {
      type: 'number',
      description: "Seconds an idle client connection stays open; keep it below the service's keep-alive timeout.",
      default: 60,
      validations: [integerBetween('idle_timeout_seconds', 1, 4000, [0, 4001])],
    },
    deregistration_delay_seconds: {
      type: 'number',
      description:
        "Seconds a deregistering task keeps receiving in-flight requests; keep it below the task's stop timeout.",
      default: 15,
      validations: [integerBetween('deregistration_delay_seconds', 0, 3600, [-1, 3601])],
    },
    deletion_protection: {
      type: 'bool',
      description: 'Refuse `destroy` until deletion protection is turned off.',
      default: true,
    },
    tls_policy: {
      type: 'string',
      description: 'TLS policy of the HTTPS listener (TLS 1.2 and 1.3 by default).',
      default: DEFAULT_TLS_POLICY,
    },
    log_retention_days: { type: 'number', description: 'Days access logs and WAF logs are kept.', default: 365 },
  },
  example: {
    name: 'orders-use1',
    vpc_id: 'vpc-0a1b2c3d4e5f60001',
    subnet_ids: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
    security_group_id: 'sg-0a1b2c3d4e5f60001',
    certificate_arn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
    target_port: 8080,
  },
  build(scope, input) {
    const loadBalancer = new LoadBalancer(scope, 'load-balancer', {
      provider: input.provider(),
      name: input.string('name'),
      vpcId: input.string('vpc_id'),
      subnetIds: input.list('subnet_ids'),
      securityGroupId: input.string('security_group_id'),
      certificateArn: input.string('certificate_arn'),
      targetPort: input.number('target_port'),
      healthCheckPath: input.string('health_check_path'),
      idleTimeoutSeconds: input.number('idle_timeout_seconds'),
      deregistrationDelaySeconds: input.number('deregistration_delay_seconds'),
      deletionProtection: input.bool('deletion_protection'),
      tlsPolicy: input.string('tls_policy'),
      logRetentionDays: input.number('log_retention_days'),
    });
    return {
      load_balancer_arn: { value: loadBalancer.loadBalancerArn, description: 'The load balancer.' },
      load_balancer_arn_suffix: {
        value: loadBalancer.loadBalancerArnSuffix,
        description: 'The `LoadBalancer` dimension of its CloudWatch metrics.',
      },
      dns_name: { value: loadBalancer.dnsName, description: "The load balancer's DNS name, for alias records." },
      hosted_zone_id: {
        value: loadBalancer.hostedZoneId,
        description: "The load balancer's own hosted zone, for alias records.",
      },
      target_group_arn: {
        value: loadBalancer.targetGroupArn,
        description: 'The IP target group of the service tasks.',
      },
      target_group_arn_suffix: {
        value: loadBalancer.targetGroupArnSuffix,
        description: 'The `TargetGroup` dimension of its CloudWatch metrics.',
      },
      https_listener_arn: {
        value: loadBalancer.httpsListenerArn,
        description: 'The HTTPS listener; an ECS service using the target group must be created after it.',
      },
    };
  },
};
