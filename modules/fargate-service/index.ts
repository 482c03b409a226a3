import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Fn, Op, TerraformIterator, TerraformLocal, Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { accountOf } from '../account.js';
import { EncryptedLogGroup } from '../encrypted-log-group/index.js';
import { isToken, JsonEncoded, jsonText, numberText } from '../tokens.js';
import {
  atLeastItems,
  compare,
  hclStringContent,
  matchesPattern,
  PropChecks,
  wholeNumber,
  type Rule,
} from '../validation.js';

export { tableAccessStatements } from './permissions.js';

/** The container's name in the task definition and in the target group registration. */
export const CONTAINER_NAME = 'service';

/** A variable the ECS agent fills from Secrets Manager when the task starts. */
export interface ContainerSecret {
  /** Environment variable name inside the container. */
  readonly name: string;
  /** ARN of the secret (the whole secret) or of one JSON key (`<arn>:<key>::`). */
  readonly secretArn: string;
  /** The customer KMS key that encrypts the secret; the execution role may decrypt through Secrets Manager only. */
  readonly keyArn: string;
}

/** Where the load balancer sends traffic; `LoadBalancer` of modules/load-balancer satisfies it. */
export interface ServiceTarget {
  readonly targetGroupArn: string;
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  /** The target group's deregistration delay: the task must outlive it when stopped. */
  readonly deregistrationDelaySeconds: number;
  /**
   * The listeners that forward to the target group: the service is created after them, since ECS
   * refuses a target group no load balancer uses yet ("The target group with targetGroupArn …
   * does not have an associated load balancer"; Amazon ECS Developer Guide, "Troubleshooting
   * service load balancers").
   */
  readonly listeners: readonly ITerraformDependable[];
}

export interface ScalingProps {
  /** Tasks when idle; also the desired count at creation. */
  readonly minTasks: number;
  readonly maxTasks: number;
  /**
   * Scale on CPU and requests per target (true), or run exactly `minTasks` (false).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Average CPU utilization (%) to hold.
   * @default 60
   */
  readonly cpuPercent?: number;
  /**
   * ALB requests per task per minute to hold.
   * @default 1000
   */
  readonly requestsPerTarget?: number;
}

export interface FargateServiceProps {
  /** The region's provider. */
  readonly provider: AwsProvider;
  /** Name of the cluster, service, task family and roles, such as `orders-production-eu-west-1`. */
  readonly name: string;
  /** Full image reference, `<repository-url>:<tag>`, from this region's registry. */
  readonly image: string;
  /** ARN of the image repository, which the execution role may pull from. */
  readonly repositoryArn: string;
  readonly containerPort: number;
  /** Fargate CPU units and memory (MiB); a combination Fargate accepts. */
  readonly cpu: number;
  readonly memoryMiB: number;
  /**
   * Plain environment variables: configuration only, never credentials. Values may be tokens; so
   * may the whole map (a Terraform map of strings), whose names and values Terraform then checks at
   * plan. No value may be empty: ECS drops a variable with an empty value from the task definition
   * it stores, so Terraform would see a difference and replace the task definition on every apply
   * (terraform-provider-aws issue #39533). Known values are checked at synth; a value that is a
   * token inside a known map (an attribute of another resource) is not checked.
   */
  readonly environment: Readonly<Record<string, string>>;
  /** Variables filled from Secrets Manager. */
  readonly secrets: readonly ContainerSecret[];
  /** What the application may do with AWS: the task role's only permissions. */
  readonly taskPermissions: readonly DataAwsIamPolicyDocumentStatement[];
  /** Private subnets the tasks run in (no public IP). */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly target: ServiceTarget;
  readonly scaling: ScalingProps;
  /**
   * Seconds ECS waits after SIGTERM before SIGKILL (Fargate allows 2-120); must exceed the
   * target's deregistration delay so requests still in flight finish.
   * @default 30
   */
  readonly stopTimeoutSeconds?: number;
  /**
   * Seconds after a task starts during which failing load-balancer health checks are ignored.
   * @default 30
   */
  readonly healthCheckGracePeriodSeconds?: number;
  /** Retention of the service's log group, in days (a value CloudWatch Logs accepts). */
  readonly logRetentionDays: number;
  /**
   * User the container runs as; never root.
   * @default '1000' — the `node` user of the official Node.js images
   */
  readonly user?: string;
  /**
   * CPU architecture of the image.
   * @default 'X86_64'
   */
  readonly cpuArchitecture?: 'X86_64' | 'ARM64';
}

/**
 * One region's service: an ECS cluster with Container Insights, a Fargate task definition with a
 * read-only root file system and a non-root user, logs to an encrypted log group, separate
 * execution and task roles, and a service in private subnets behind the load balancer with a
 * rolling-back deployment circuit breaker and target-tracking auto scaling.
 */
export class FargateService extends Construct {
  readonly clusterName: string;
  readonly serviceName: string;
  readonly taskRoleArn: string;
  readonly executionRoleArn: string;
  readonly logGroupName: string;
  readonly taskDefinitionArn: string;

  private readonly provider: AwsProvider;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    const stopTimeout = props.stopTimeoutSeconds ?? 30;
    const autoScaling = props.scaling.enabled ?? true;
    const checks = validateProps(this, props, stopTimeout);
    const { provider, name } = props;
    this.provider = provider;
    const region = provider.region!;
    const account = accountOf(this, provider).accountId;

    const logGroup = new EncryptedLogGroup(this, 'logs', {
      provider,
      name: `/ecs/${name}`,
      keyAlias: `${name}/service-logs`,
      purpose: `the service logs of ${name}`,
      retentionDays: props.logRetentionDays,
    });
    this.logGroupName = logGroup.logGroupName;

    const cluster = new EcsCluster(this, 'cluster', {
      provider,
      name,
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
    this.clusterName = cluster.name;

    const executionRole = this.role('execution-role', executionRoleName(name), account, [
      { sid: 'AuthenticateToRegistry', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
      {
        sid: 'PullImage',
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        resources: [props.repositoryArn],
      },
      {
        sid: 'WriteLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${logGroup.logGroupArn}:*`],
      },
      ...(props.secrets.length === 0
        ? []
        : [
            {
              sid: 'ReadSecrets',
              actions: ['secretsmanager:GetSecretValue'],
              resources: unique(props.secrets.map((secret) => secretArnOf(secret.secretArn))),
            },
            {
              sid: 'DecryptSecrets',
              actions: ['kms:Decrypt'],
              resources: unique(props.secrets.map((secret) => secret.keyArn)),
              condition: [
                {
                  test: 'StringEquals',
                  variable: 'kms:ViaService',
                  values: [`secretsmanager.${region}.amazonaws.com`],
                },
              ],
            },
          ]),
    ]);
    const taskRole = this.role('task-role', taskRoleName(name), account, props.taskPermissions);
    this.executionRoleArn = executionRole.arn;
    this.taskRoleArn = taskRole.arn;

    const taskDefinition = new EcsTaskDefinition(this, 'task-definition', {
      provider,
      family: name,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: numberText(props.cpu),
      memory: numberText(props.memoryMiB),
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: props.cpuArchitecture ?? 'X86_64' },
      containerDefinitions: jsonText([
        {
          name: CONTAINER_NAME,
          image: props.image,
          essential: true,
          user: props.user ?? '1000',
          readonlyRootFilesystem: true,
          privileged: false,
          stopTimeout,
          // An init process reaps zombies and forwards SIGTERM to the server, so it can drain.
          linuxParameters: { initProcessEnabled: true, capabilities: { drop: ['ALL'] } },
          portMappings: [
            { name: 'http', containerPort: props.containerPort, hostPort: props.containerPort, protocol: 'tcp' },
          ],
          environment: this.environmentEntries(props.environment),
          secrets: props.secrets.map((secret) => ({
            name: secret.name,
            valueFrom: this.plainReference(`secret-${secret.name}`, secret.secretArn),
          })),
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': logGroup.logGroupName,
              'awslogs-region': region,
              'awslogs-stream-prefix': CONTAINER_NAME,
              mode: 'non-blocking',
              'max-buffer-size': '4m',
            },
          },
        },
      ]),
    });
    this.taskDefinitionArn = taskDefinition.arn;

    const service = new EcsService(this, 'service', {
      provider,
      name,
      cluster: cluster.arn,
      taskDefinition: taskDefinition.arn,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      desiredCount: props.scaling.minTasks,
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds ?? 30,
      availabilityZoneRebalancing: 'ENABLED',
      enableExecuteCommand: false,
      enableEcsManagedTags: true,
      propagateTags: 'SERVICE',
      networkConfiguration: {
        subnets: [...props.subnetIds],
        securityGroups: [...props.securityGroupIds],
        assignPublicIp: false,
      },
      loadBalancer: [
        {
          targetGroupArn: props.target.targetGroupArn,
          containerName: CONTAINER_NAME,
          containerPort: props.containerPort,
        },
      ],
      // Auto scaling owns the task count; Terraform only sets it at creation.
      lifecycle: autoScaling ? { ignoreChanges: ['desired_count'] } : undefined,
      dependsOn: [...props.target.listeners],
    });
    checks.checkAtPlanOn(service);
    this.serviceName = service.name;

    if (autoScaling) this.autoScaling(cluster.name, service.name, props);
  }

  /**
   * The container's environment, sorted by name (names are unique), so the task definition does
   * not change with the props' order. A token map becomes a Terraform for expression, which
   * iterates a map in name order too.
   */
  private environmentEntries(environment: Readonly<Record<string, string>>): unknown {
    if (isToken(environment)) {
      return new JsonEncoded(
        TerraformIterator.fromMap(environment).forExpressionForList('{ name = key, value = val }'),
      );
    }
    return Object.entries(environment)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => ({ name: key, value: this.plainReference(`env-${key}`, value) }));
  }

  /**
   * A computed value as a local, so the container definitions stay JSON that policy checks and
   * reviewers can parse: an expression such as `replace(x, ":a:", ":b:")` would put unescaped
   * quotes into the JSON text, while `${local.name}` never does.
   */
  private plainReference(id: string, value: string): string {
    return Token.isUnresolved(value) ? new TerraformLocal(this, id, value).asString : value;
  }

  private role(
    id: string,
    roleName: string,
    account: string,
    statements: readonly DataAwsIamPolicyDocumentStatement[],
  ): IamRole {
    const provider = this.provider;
    const assume = new DataAwsIamPolicyDocument(this, `${id}-trust`, {
      provider,
      statement: [
        {
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['ecs-tasks.amazonaws.com'] }],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] }],
        },
      ],
    });
    const role = new IamRole(this, id, { provider, name: roleName, assumeRolePolicy: assume.json });
    if (statements.length > 0) {
      const policy = new DataAwsIamPolicyDocument(this, `${id}-permissions`, { provider, statement: [...statements] });
      new IamRolePolicy(this, `${id}-policy`, { provider, role: role.id, policy: policy.json });
    }
    return role;
  }

  private autoScaling(clusterName: string, serviceName: string, props: FargateServiceProps): void {
    const provider = this.provider;
    const { scaling, target } = props;
    const scalable = new AppautoscalingTarget(this, 'scaling-target', {
      provider,
      serviceNamespace: 'ecs',
      resourceId: `service/${clusterName}/${serviceName}`,
      scalableDimension: 'ecs:service:DesiredCount',
      minCapacity: scaling.minTasks,
      maxCapacity: scaling.maxTasks,
    });
    const policies = [
      {
        id: 'cpu',
        metric: 'ECSServiceAverageCPUUtilization',
        target: scaling.cpuPercent ?? 60,
        resourceLabel: undefined,
      },
      {
        id: 'requests',
        metric: 'ALBRequestCountPerTarget',
        target: scaling.requestsPerTarget ?? 1000,
        resourceLabel: `${target.loadBalancerArnSuffix}/${target.targetGroupArnSuffix}`,
      },
    ];
    for (const policy of policies) {
      new AppautoscalingPolicy(this, `scaling-${policy.id}`, {
        provider,
        name: `${props.name}-${policy.id}`,
        policyType: 'TargetTrackingScaling',
        serviceNamespace: scalable.serviceNamespace,
        resourceId: scalable.resourceId,
        scalableDimension: scalable.scalableDimension,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: policy.target,
          // Scale out fast, scale in slowly: a flapping count costs more than a spare task.
          scaleOutCooldown: 60,
          scaleInCooldown: 300,
          predefinedMetricSpecification: { predefinedMetricType: policy.metric, resourceLabel: policy.resourceLabel },
        },
      });
    }
  }
}

/** A secret reference may name one JSON key (`<arn>:<key>:<stage>:<version>`); IAM wants the secret's ARN. */
function secretArnOf(valueFrom: string): string {
  const parts = valueFrom.split(':');
  if (parts.length > 7) return parts.slice(0, 7).join(':');
  // `<token>:<key>::`, the ARN a reference: the token is the secret's ARN.
  const [first = ''] = parts;
  return parts.length > 1 && isToken(first) && !first.startsWith('arn') ? first : valueFrom;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The role ECS uses to start the task: pull the image, write logs, read the secrets. */
export function executionRoleName(name: string): string {
  return `${name}-execution`;
}

/** The role the application's code runs as. */
export function taskRoleName(name: string): string {
  return `${name}-task`;
}

/**
 * Names built from the service name and the longest AWS accepts: IAM role names have at most 64
 * characters (IAM User Guide, "IAM and AWS STS quotas"). The cluster, service and task family
 * (255) and the log group (512) allow more.
 */
function derivedNames(name: string): ReadonlyArray<{ what: string; name: string; maxLength: number }> {
  return [
    { what: 'execution role', name: executionRoleName(name), maxLength: 64 },
    { what: 'task role', name: taskRoleName(name), maxLength: 64 },
  ];
}

/** The longest service name whose every derived name fits. */
export const SERVICE_NAME_MAX_LENGTH = Math.min(
  ...derivedNames('').map(({ name, maxLength }) => maxLength - name.length),
);

const SERVICE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const SERVICE_NAME_ALLOWED = `1-${SERVICE_NAME_MAX_LENGTH} letters, digits, underscores or hyphens, starting with a letter or digit`;

function serviceNameProblems(name: string): string[] {
  const problems = SERVICE_NAME_PATTERN.test(name) ? [] : [`"${name}" must be ${SERVICE_NAME_ALLOWED}`];
  for (const derived of derivedNames(name)) {
    if (derived.name.length > derived.maxLength) {
      problems.push(
        `"${name}" is too long: the ${derived.what} ${derived.name} would have ${derived.name.length} characters, more than ${derived.maxLength}`,
      );
    }
  }
  return problems;
}

const SERVICE_NAME: Rule<string> = {
  allowed: SERVICE_NAME_ALLOWED,
  holds: (name) => serviceNameProblems(name).length === 0,
  problem: (name) => serviceNameProblems(name).join('; '),
  condition: (name) =>
    Op.and(matchesPattern(SERVICE_NAME_PATTERN, name), compare(Fn.lengthOf(name), 'lte', SERVICE_NAME_MAX_LENGTH)),
};

const VARIABLE_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** Terraform's check of a token environment map: upper-case names and non-empty values, no name also a secret's. */
function environmentCondition(environment: Readonly<Record<string, string>>, secretNames: string[]) {
  const entriesValid = Fn.alltrue(
    TerraformIterator.fromMap(environment).forExpressionForList(
      `can(regex("${hclStringContent(VARIABLE_NAME.source)}", key)) && val != ""`,
    ) as unknown as unknown[],
  );
  if (secretNames.length === 0) return entriesValid;
  return Op.and(
    entriesValid,
    compare(Fn.lengthOf(Fn.setintersection(Fn.keys(environment) as string[], [secretNames])), 'eq', 0),
  );
}

/** Root: `0`, `root`, or `0:<group>`. */
const ROOT_USER = /^(0|root|0:.*)$/;

/** A container user that is not root. */
const NOT_ROOT: Rule<string> = {
  allowed: 'a user other than root (0, root, 0:<group>)',
  holds: (user) => !ROOT_USER.test(user),
  problem: () => 'the container must not run as root',
  condition: (user) => Op.not(matchesPattern(ROOT_USER, user)),
};

function validateProps(service: FargateService, props: FargateServiceProps, stopTimeout: number): PropChecks {
  const checks = new PropChecks(service, `FargateService ${service.node.path}`);
  const { scaling } = props;
  const deregistrationDelay = props.target.deregistrationDelaySeconds;
  checks
    .check('name', props.name, SERVICE_NAME)
    .check('stopTimeoutSeconds', stopTimeout, wholeNumber(2, 120))
    .relation('stopTimeoutSeconds', [stopTimeout, deregistrationDelay], {
      allowed: "greater than the target group's deregistration delay",
      holds: () => stopTimeout > deregistrationDelay,
      problem: () =>
        `${stopTimeout} must exceed the target group's deregistration delay (${deregistrationDelay} s), or tasks are killed while still draining`,
      condition: () => compare(stopTimeout, 'gt', deregistrationDelay),
    })
    .check('scaling.minTasks', scaling.minTasks, wholeNumber(1))
    .relation('scaling.maxTasks', [scaling.minTasks, scaling.maxTasks], {
      allowed: 'a whole number no smaller than minTasks',
      holds: () => Number.isInteger(scaling.maxTasks) && scaling.maxTasks >= scaling.minTasks,
      problem: () => `${scaling.maxTasks} must be a whole number no smaller than minTasks (${scaling.minTasks})`,
      condition: () =>
        Op.and(
          compare(scaling.maxTasks, 'eq', Fn.floor(scaling.maxTasks)),
          compare(scaling.maxTasks, 'gte', scaling.minTasks),
        ),
    })
    .known('scaling.enabled', scaling.enabled, 'it decides whether auto scaling is created')
    .knownItems(
      'secrets[].name',
      props.secrets.map((secret) => secret.name),
      'the names are written into the task definition',
    );
  const secretNames = props.secrets.map((secret) => secret.name);
  if (isToken(props.environment)) {
    checks.relation('environment', [props.environment], {
      allowed: 'a map whose names are upper-case variable names that no secret also sets, with no empty value',
      holds: () => true,
      problem: () => '',
      condition: () => environmentCondition(props.environment, secretNames),
    });
  } else {
    const empty = Object.entries(props.environment).filter(([, value]) => value === '');
    for (const [variable] of empty) {
      checks.add(
        `environment: ${variable} is empty; ECS drops empty variables, so every apply would replace the task definition (leave it out instead)`,
      );
    }
  }
  const environmentNames = isToken(props.environment) ? [] : Object.keys(props.environment);
  const variableNames = [...environmentNames, ...secretNames];
  for (const variable of variableNames) {
    if (!VARIABLE_NAME.test(variable))
      checks.add(`environment/secrets: "${variable}" is not an upper-case variable name`);
  }
  const repeated = variableNames.filter((variable, index) => variableNames.indexOf(variable) !== index);
  if (repeated.length > 0) checks.add(`environment/secrets: ${unique(repeated).join(', ')} set more than once`);
  checks
    .checkOptional('user', props.user, NOT_ROOT)
    .check(
      'subnetIds',
      props.subnetIds,
      atLeastItems(1, () => 'needs at least one private subnet'),
    )
    .throwIfAny();
  return checks;
}
