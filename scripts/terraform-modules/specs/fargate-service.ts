import { FargateService, SERVICE_NAME_MAX_LENGTH } from '../../../modules/fargate-service/index.js';
import { integerBetween, matches, type ModuleSpec } from '../spec.js';

export const fargateService: ModuleSpec = {
  name: 'fargate-service',
  summary:
    "One region's container service: an ECS cluster with Container Insights, a Fargate task definition with a read-only root file system and a non-root user, logs to a KMS-encrypted log group, separate execution and task roles, and a service in private subnets (no public IP) behind a load balancer's target group, with a rolling-back deployment circuit breaker and target-tracking auto scaling on CPU and requests per task. The task role has no permissions of its own: attach policies to the role of `task_role_arn`. The container's plain environment variables come from `environment`; secrets from Secrets Manager are not an input (the execution role's permissions for them are built at synth time), so pass configuration only.",
  regions: {
    kind: 'single',
    why: 'A service runs in one region: the module uses the `aws` provider the caller passes. ECS refuses a service whose target group no listener uses yet, so give the module call `depends_on` on the listener (or on the load-balancer module).',
  },
  inputs: {
    name: {
      type: 'string',
      description: `Name of the cluster, service, task family and roles (1-${SERVICE_NAME_MAX_LENGTH} letters, digits, underscores or hyphens; the execution role \`<name>-execution\` must fit IAM's 64 characters).`,
      validations: [
        matches(
          'name',
          `^[A-Za-z0-9][A-Za-z0-9_-]{0,${SERVICE_NAME_MAX_LENGTH - 1}}$`,
          `1-${SERVICE_NAME_MAX_LENGTH} letters, digits, underscores or hyphens, starting with a letter or digit`,
          ['-orders', 'o'.repeat(SERVICE_NAME_MAX_LENGTH + 1)],
        ),
      ],
    },
    image: {
      type: 'string',
      description: "Full image reference, `<repository-url>:<tag>`, from this region's registry.",
    },
    repository_arn: {
      type: 'string',
      description: 'ARN of the image repository, which the execution role may pull from.',
    },
    container_port: { type: 'number', description: 'Port the container listens on.' },
    cpu: {
      type: 'number',
      description: 'Fargate CPU units of the task (with `memory_mib`, a combination Fargate accepts).',
      default: 512,
    },
    memory_mib: { type: 'number', description: 'Memory of the task, in MiB.', default: 1024 },
    subnet_ids: {
      type: 'list(string)',
      description: 'Private subnets the tasks run in.',
      validations: [
        {
          condition: 'length(var.subnet_ids) >= 1',
          message: 'subnet_ids must list at least one private subnet.',
          rejects: [[]],
        },
      ],
    },
    security_group_ids: { type: 'list(string)', description: 'Security groups of the tasks.' },
    target_group_arn: { type: 'string', description: 'The target group the service registers its tasks in.' },
    load_balancer_arn_suffix: {
      type: 'string',
      description: 'The `LoadBalancer` dimension of the load balancer, for request-count scaling.',
    },
    target_group_arn_suffix: {
      type: 'string',
      description: 'The `TargetGroup` dimension of the target group, for request-count scaling.',
    },
    deregistration_delay_seconds: {
      type: 'number',
      description: "The target group's deregistration delay: the task's stop timeout must exceed it.",
      default: 15,
      prop: 'stopTimeoutSeconds',
    },
    min_tasks: {
      type: 'number',
      description: 'Tasks when idle; also the desired count at creation.',
      default: 2,
      prop: 'scaling.minTasks',
      validations: [
        {
          condition: 'var.min_tasks == floor(var.min_tasks) && var.min_tasks >= 1',
          message: 'min_tasks must be a whole number of at least 1.',
          rejects: [0, 1.5],
        },
      ],
    },
    max_tasks: {
      type: 'number',
      description: 'Most tasks auto scaling may run.',
      default: 6,
      prop: 'scaling.maxTasks',
      validations: [
        {
          condition: 'var.max_tasks == floor(var.max_tasks) && var.max_tasks >= var.min_tasks',
          message: 'max_tasks must be a whole number no smaller than min_tasks.',
          rejects: [1, 6.5],
        },
      ],
    },
    cpu_percent: { type: 'number', description: 'Average CPU utilization (%) auto scaling holds.', default: 60 },
    requests_per_target: {
      type: 'number',
      description: 'Load-balancer requests per task per minute auto scaling holds.',
      default: 1000,
    },
    stop_timeout_seconds: {
      type: 'number',
      description: 'Seconds ECS waits after SIGTERM before SIGKILL (2-120); must exceed the deregistration delay.',
      default: 30,
      validations: [
        integerBetween('stop_timeout_seconds', 2, 120, [1, 121]),
        {
          condition: 'var.stop_timeout_seconds > var.deregistration_delay_seconds',
          message:
            'stop_timeout_seconds must exceed deregistration_delay_seconds, or tasks are killed while still draining.',
          rejects: [15],
        },
      ],
    },
    health_check_grace_period_seconds: {
      type: 'number',
      description: 'Seconds after a task starts during which failing load-balancer health checks are ignored.',
      default: 30,
    },
    log_retention_days: {
      type: 'number',
      description: "Retention of the service's log group, in days (a value CloudWatch Logs accepts).",
      default: 365,
    },
    user: {
      type: 'string',
      description:
        'User the container runs as; never root (the default is the `node` user of the official Node.js images).',
      default: '1000',
      validations: [
        {
          condition: '!can(regex("^(0|root|0:.*)$", var.user))',
          message: 'user must not be root (0, root, 0:<group>).',
          rejects: ['0', 'root', '0:0'],
        },
      ],
    },
    environment: {
      type: 'map(string)',
      description:
        'Plain environment variables of the container (upper-case names, no empty value: ECS drops empty variables, which would replace the task definition on every apply): configuration only, never credentials.',
      default: {},
      validations: [
        {
          condition: 'alltrue([for name in keys(var.environment) : can(regex("^[A-Z_][A-Z0-9_]*$", name))])',
          message: 'environment must have upper-case variable names (A-Z, 0-9, _; not starting with a digit).',
          rejects: [{ table: 'orders' }, { '2X': 'x' }],
        },
        {
          condition: 'alltrue([for value in values(var.environment) : value != ""])',
          message:
            'environment must have no empty value (ECS drops it, and every apply would replace the task definition).',
          rejects: [{ TABLE: '' }],
        },
      ],
    },
    cpu_architecture: {
      type: 'string',
      description: 'CPU architecture of the image: `X86_64` or `ARM64`.',
      default: 'X86_64',
    },
  },
  example: {
    name: 'orders-production-us-east-1',
    image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:1.0.0',
    repository_arn: 'arn:aws:ecr:us-east-1:123456789012:repository/orders',
    container_port: 8080,
    subnet_ids: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
    security_group_ids: ['sg-0a1b2c3d4e5f60001'],
    target_group_arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders/0123456789abcdef',
    load_balancer_arn_suffix: 'app/orders-use1/0123456789abcdef',
    target_group_arn_suffix: 'targetgroup/orders/0123456789abcdef',
  },
  build(scope, input) {
    const service = new FargateService(scope, 'service', {
      provider: input.provider(),
      name: input.string('name'),
      image: input.string('image'),
      repositoryArn: input.string('repository_arn'),
      containerPort: input.number('container_port'),
      cpu: input.number('cpu'),
      memoryMiB: input.number('memory_mib'),
      environment: input.map('environment'),
      secrets: [],
      taskPermissions: [],
      subnetIds: input.list('subnet_ids'),
      securityGroupIds: input.list('security_group_ids'),
      target: {
        targetGroupArn: input.string('target_group_arn'),
        loadBalancerArnSuffix: input.string('load_balancer_arn_suffix'),
        targetGroupArnSuffix: input.string('target_group_arn_suffix'),
        deregistrationDelaySeconds: input.number('deregistration_delay_seconds'),
        listeners: [],
      },
      scaling: {
        minTasks: input.number('min_tasks'),
        maxTasks: input.number('max_tasks'),
        cpuPercent: input.number('cpu_percent'),
        requestsPerTarget: input.number('requests_per_target'),
      },
      stopTimeoutSeconds: input.number('stop_timeout_seconds'),
      healthCheckGracePeriodSeconds: input.number('health_check_grace_period_seconds'),
      logRetentionDays: input.number('log_retention_days'),
      user: input.string('user'),
      cpuArchitecture: input.string('cpu_architecture') as 'X86_64' | 'ARM64',
    });
    return {
      cluster_name: { value: service.clusterName, description: 'The ECS cluster.' },
      service_name: { value: service.serviceName, description: 'The ECS service.' },
      task_definition_arn: { value: service.taskDefinitionArn, description: 'The task definition.' },
      task_role_arn: {
        value: service.taskRoleArn,
        description: "The task role: the application's AWS permissions; attach policies to it.",
      },
      execution_role_arn: {
        value: service.executionRoleArn,
        description: 'The execution role, which pulls the image and writes logs.',
      },
      log_group_name: { value: service.logGroupName, description: "The service's log group." },
    };
  },
};
