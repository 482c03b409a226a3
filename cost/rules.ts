/**
 * The decision for every resource type the stacks create: priced (a function turning the block and
 * the usage assumptions into charges), free (with the reason), or unpriced (it costs something the
 * model does not estimate, with the reason). A type without a decision stops the estimate
 * (tests/infra/cost.test.ts synthesizes every committed environment to catch a new one).
 *
 * AWS billing rules behind the functions are on the pricing pages named in cost/prices/*.json;
 * the ones the code depends on are cited where they are used.
 */
import type { Usage } from './usage.js';
import { nested, referencedBlock, refersTo, type Block } from './inventory.js';
import { GLOBAL_REGION } from './prices.js';

/** AWS prices hourly resources for a 730-hour month (the AWS Pricing Calculator's convention). */
export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const KB_PER_GB = 1024 * 1024;
const MILLION = 1_000_000;
/** Steady state of data kept `days` days: the month's volume times the months it stays. */
const MONTHS_PER_DAY = 12 / 365;

export type Component =
  | 'network'
  | 'load balancer'
  | 'compute'
  | 'aurora'
  | 'dynamodb'
  | 'dns'
  | 'waf'
  | 'kms'
  | 'secrets'
  | 'monitoring'
  | 'logs'
  | 'registry'
  | 'backup'
  | 'storage'
  | 'data transfer';

/** One priced quantity: `quantity` units of `priceKey` in `region` (whose table prices it). */
export interface Charge {
  readonly region: string;
  readonly component: Component;
  readonly item: string;
  readonly quantity: number;
  readonly priceKey: string;
  readonly address: string;
}

/** What a pricing function may read besides its own block. */
export interface PricingContext {
  readonly usage: Usage;
  readonly blocks: readonly Block[];
  /** Regions that serve traffic (those with a load balancer): requests, reads and writes split evenly among them. */
  readonly servingRegions: readonly string[];
}

export type Decision =
  | { readonly kind: 'priced'; price(block: Block, context: PricingContext): Charge[] }
  | { readonly kind: 'free'; readonly reason: string }
  | { readonly kind: 'unpriced'; readonly reason: string };

/** A string attribute's value; anything else (absent, an object) is the empty string. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function free(reason: string): Decision {
  return { kind: 'free', reason };
}

function priced(price: (block: Block, context: PricingContext) => Charge[]): Decision {
  return { kind: 'priced', price };
}

function charge(
  block: Block,
  component: Component,
  item: string,
  quantity: number,
  priceKey: string,
  region = block.region,
): Charge {
  return { region, component, item, quantity, priceKey, address: block.address };
}

function sameStack(context: PricingContext, block: Block, type: string): Block[] {
  return context.blocks.filter((other) => other.stack === block.stack && other.type === type);
}

function share(context: PricingContext, perSecond: number): number {
  return perSecond / Math.max(1, context.servingRegions.length);
}

function gigabytesPerMonth(perSecond: number, kilobytes: number): number {
  return (perSecond * kilobytes * SECONDS_PER_MONTH) / KB_PER_GB;
}

function millionsPerMonth(perSecond: number): number {
  return (perSecond * SECONDS_PER_MONTH) / MILLION;
}

// Load balancer capacity units: the largest of new connections (25/s), active connections
// (3,000 per minute), processed bytes (1 GB per hour for instance and IP targets) and rule
// evaluations (1,000/s, the first 10 rules free) — Elastic Load Balancing pricing page, as quoted
// by https://handbook.vantage.sh/aws/services/elb-pricing. The listeners here have no more than
// 10 rules, so rule evaluations are free.
function loadBalancerCapacityUnits(block: Block, context: PricingContext): number {
  const { usage } = context;
  const requests = share(context, usage.requestsPerSecond);
  const newConnections = requests / usage.requestsPerConnection;
  // A keep-alive connection stays open up to the idle timeout after its last request.
  const idleSeconds = typeof block.body.idle_timeout === 'number' ? block.body.idle_timeout : 60;
  const activeConnections = newConnections * idleSeconds;
  const gigabytesPerHour = (requests * usage.transferKBPerRequest * 3600) / KB_PER_GB;
  return Math.max(newConnections / 25, activeConnections / 3000, gigabytesPerHour / 1);
}

const loadBalancer = priced((block, context) => {
  const subnets = Array.isArray(block.body.subnets)
    ? block.body.subnets.length
    : nested(block.body.subnet_mapping).length;
  const internetFacing = block.body.internal !== true;
  const charges = [
    charge(block, 'load balancer', 'Application Load Balancer hours', HOURS_PER_MONTH, 'alb.hour'),
    charge(
      block,
      'load balancer',
      'load balancer capacity unit (LCU) hours',
      loadBalancerCapacityUnits(block, context) * HOURS_PER_MONTH,
      'alb.lcuHour',
    ),
  ];
  if (!internetFacing) return charges;
  const { usage } = context;
  return [
    ...charges,
    // An internet-facing ALB holds a public IPv4 address in every subnet (zone) it serves.
    charge(
      block,
      'load balancer',
      'public IPv4 addresses of the load balancer',
      subnets * HOURS_PER_MONTH,
      'publicIpv4.hour',
    ),
    charge(
      block,
      'data transfer',
      'responses out to the internet',
      gigabytesPerMonth(share(context, usage.requestsPerSecond), usage.transferKBPerRequest),
      'transfer.internetGB',
    ),
  ];
});

const natGateway = priced((block, context) => {
  const inRegion = context.blocks.filter((other) => other.type === block.type && other.region === block.region);
  return [
    charge(block, 'network', 'NAT gateway hours', HOURS_PER_MONTH, 'nat.hour'),
    charge(block, 'network', 'NAT gateway data processed', context.usage.natGBPerMonth / inRegion.length, 'nat.gb'),
  ];
});

const fargateService = priced((block, context) => {
  if (block.body.launch_type !== 'FARGATE') return [charge(block, 'compute', 'non-Fargate tasks', 1, 'ecs.nonFargate')];
  const task = referencedBlock(context.blocks, block, block.body.task_definition);
  if (task === undefined) throw new Error(`${block.address}: its task definition is not in the stack`);
  // The running count: desired_count is the configured minimum (auto scaling starts there).
  const tasks = Number(block.body.desired_count ?? 1);
  const vcpu = Number(task.body.cpu) / 1024;
  const memoryGB = Number(task.body.memory) / 1024;
  const architecture = text(nested(task.body.runtime_platform)[0]?.cpu_architecture) || 'X86_64';
  const prefix = architecture === 'X86_64' ? 'fargate' : `fargate.${architecture.toLowerCase()}`;
  return [
    charge(block, 'compute', 'Fargate vCPU hours', tasks * vcpu * HOURS_PER_MONTH, `${prefix}.vcpuHour`),
    charge(block, 'compute', 'Fargate memory GB-hours', tasks * memoryGB * HOURS_PER_MONTH, `${prefix}.gbHour`),
  ];
});

const auroraInstance = priced((block) => [
  charge(
    block,
    'aurora',
    'Aurora instance hours',
    HOURS_PER_MONTH,
    `aurora.instanceHour.${String(block.body.instance_class)}`,
  ),
]);

// Aurora Standard bills storage per GB-month and I/O per million requests; I/O-Optimized has other
// prices (none in the tables yet, so such a cluster stops the estimate naming its price keys).
const auroraCluster = priced((block, context) => {
  const prefix = block.body.storage_type === 'aurora-iopt1' ? 'aurora.ioOptimized' : 'aurora';
  return [
    charge(block, 'aurora', 'Aurora storage', context.usage.auroraStorageGB, `${prefix}.storageGBMonth`),
    charge(
      block,
      'aurora',
      'Aurora I/O requests',
      millionsPerMonth(context.usage.auroraIoPerSecond),
      `${prefix}.ioMillion`,
    ),
  ];
});

// The global database bills replicated write I/Os in every secondary region and the data it sends
// there as inter-region transfer (Aurora pricing page, "Global Database"). Orders written in a
// region without the writer send their statement to the writer across regions (VPC peering).
const auroraGlobalCluster = priced((block, context) => {
  const writer = block.region;
  const { usage } = context;
  const members = context.blocks.filter((other) => other.type === 'aws_rds_cluster' && refersTo(other.body, block));
  const secondaries = [...new Set(members.map((member) => member.region))].filter((region) => region !== writer);
  const changesGB = gigabytesPerMonth(usage.orderWritesPerSecond, usage.crossRegionKBPerWrite);
  return [
    ...secondaries.flatMap((region) => [
      charge(
        block,
        'aurora',
        'Aurora replicated write I/Os',
        millionsPerMonth(usage.auroraWriteIoPerSecond),
        'aurora.replicatedWriteIoMillion',
        region,
      ),
      charge(block, 'data transfer', 'Aurora global database replication', changesGB, 'transfer.interRegionGB', writer),
    ]),
    ...context.servingRegions
      .filter((region) => region !== writer)
      .map((region) =>
        charge(
          block,
          'data transfer',
          'writes sent to the Aurora writer',
          gigabytesPerMonth(share(context, usage.orderWritesPerSecond), usage.crossRegionKBPerWrite),
          'transfer.interRegionGB',
          region,
        ),
      ),
  ];
});

/** Capacity units auto scaling holds for `needed` units in `region`: target utilization, within min and max. */
function provisionedUnits(
  context: PricingContext,
  table: Block,
  dimension: string,
  region: string,
  fixed: number,
  needed: number,
): number {
  const targets = context.blocks.filter(
    (block) =>
      block.type === 'aws_appautoscaling_target' &&
      block.body.scalable_dimension === dimension &&
      refersTo(block.body, table),
  );
  // Write capacity is set once for the global table, so its targets live in one region only.
  const target = targets.find((candidate) => candidate.region === region) ?? targets[0];
  if (target === undefined) return fixed;
  const policy = context.blocks.find(
    (block) => block.type === 'aws_appautoscaling_policy' && refersTo(block.body, target),
  );
  const utilization = Number(nested(policy?.body.target_tracking_scaling_policy_configuration)[0]?.target_value ?? 100);
  const wanted = Math.ceil(needed / (utilization / 100));
  return Math.min(Number(target.body.max_capacity), Math.max(Number(target.body.min_capacity), wanted));
}

// Global tables bill a replicated write unit in every replica for each write, index updates as
// ordinary write units in every replica, and the replication traffic as inter-region transfer
// ("Understanding Amazon DynamoDB billing for global tables", DynamoDB Developer Guide).
const dynamodbTable = priced((block, context) => {
  const { usage } = context;
  const replicas = nested(block.body.replica);
  const regions = [block.region, ...replicas.map((replica) => String(replica.region_name))];
  const indexes = nested(block.body.global_secondary_index);
  const writeUnits = usage.orderWritesPerSecond * Math.ceil(usage.itemSizeKB);
  const readUnits = (region: string): number =>
    context.servingRegions.includes(region)
      ? share(context, usage.orderReadsPerSecond) * Math.ceil(usage.itemSizeKB / 4)
      : 0;
  const pitr = (region: string): boolean =>
    region === block.region
      ? nested(block.body.point_in_time_recovery)[0]?.enabled === true
      : replicas.find((replica) => replica.region_name === region)?.point_in_time_recovery === true;
  const onDemand = block.body.billing_mode !== 'PROVISIONED';
  return regions.flatMap((region) => {
    const capacity = onDemand
      ? [
          charge(
            block,
            'dynamodb',
            'replicated write request units',
            (writeUnits * SECONDS_PER_MONTH) / MILLION,
            'dynamodb.replicatedWriteRequestMillion',
            region,
          ),
          charge(
            block,
            'dynamodb',
            'index write request units',
            (indexes.length * writeUnits * SECONDS_PER_MONTH) / MILLION,
            'dynamodb.writeRequestMillion',
            region,
          ),
          charge(
            block,
            'dynamodb',
            'read request units',
            (readUnits(region) * SECONDS_PER_MONTH) / MILLION,
            'dynamodb.readRequestMillion',
            region,
          ),
        ]
      : [
          charge(
            block,
            'dynamodb',
            'replicated write capacity unit hours',
            provisionedUnits(
              context,
              block,
              'dynamodb:table:WriteCapacityUnits',
              region,
              Number(block.body.write_capacity),
              writeUnits,
            ) * HOURS_PER_MONTH,
            'dynamodb.replicatedWcuHour',
            region,
          ),
          charge(
            block,
            'dynamodb',
            'read capacity unit hours',
            provisionedUnits(
              context,
              block,
              'dynamodb:table:ReadCapacityUnits',
              region,
              Number(block.body.read_capacity),
              readUnits(region),
            ) * HOURS_PER_MONTH,
            'dynamodb.rcuHour',
            region,
          ),
          ...indexes.flatMap((index) => [
            charge(
              block,
              'dynamodb',
              'index write capacity unit hours',
              provisionedUnits(
                context,
                block,
                'dynamodb:index:WriteCapacityUnits',
                region,
                Number(index.write_capacity),
                writeUnits,
              ) * HOURS_PER_MONTH,
              'dynamodb.wcuHour',
              region,
            ),
            charge(
              block,
              'dynamodb',
              'index read capacity unit hours',
              provisionedUnits(
                context,
                block,
                'dynamodb:index:ReadCapacityUnits',
                region,
                Number(index.read_capacity),
                0,
              ) * HOURS_PER_MONTH,
              'dynamodb.rcuHour',
              region,
            ),
          ]),
        ];
    const origin = context.servingRegions.includes(region) ? share(context, usage.orderWritesPerSecond) : 0;
    return [
      ...capacity,
      charge(block, 'dynamodb', 'table storage', usage.dynamodbStorageGB, 'dynamodb.storageGBMonth', region),
      ...(pitr(region)
        ? [charge(block, 'dynamodb', 'point-in-time recovery', usage.dynamodbStorageGB, 'dynamodb.pitrGBMonth', region)]
        : []),
      charge(
        block,
        'data transfer',
        'DynamoDB replication',
        gigabytesPerMonth(origin, usage.itemSizeKB) * (regions.length - 1),
        'transfer.interRegionGB',
        region,
      ),
    ];
  });
});

// Route 53 health checks: a base price and one per optional feature (HTTPS, string matching, fast
// 10-second interval, latency measurement). A check by domain name is priced as a non-AWS
// endpoint, the higher price (docs/cost.md says why).
const healthCheck = priced((block) => {
  const type = String(block.body.type);
  if (!/^(HTTPS?|TCP)(_STR_MATCH)?$/.test(type))
    return [charge(block, 'dns', `${type} health checks`, 1, `route53.healthCheck.${type}`, GLOBAL_REGION)];
  const options = [
    type.startsWith('HTTPS'),
    type.endsWith('_STR_MATCH'),
    block.body.request_interval === 10,
    block.body.measure_latency === true,
  ];
  return [
    charge(block, 'dns', 'health checks', 1, 'route53.healthCheckNonAwsMonth', GLOBAL_REGION),
    charge(
      block,
      'dns',
      'health-check options',
      options.filter(Boolean).length,
      'route53.healthCheckOptionNonAwsMonth',
      GLOBAL_REGION,
    ),
  ];
});

const secret = priced((block) => [
  charge(block, 'secrets', 'secrets', 1, 'secretsmanager.secretMonth'),
  ...nested(block.body.replica).map((replica) =>
    charge(block, 'secrets', 'secret replicas', 1, 'secretsmanager.secretMonth', String(replica.region)),
  ),
]);

const kmsKey = priced((block) => [charge(block, 'kms', 'customer managed keys', 1, 'kms.keyMonth')]);

// CloudWatch bills an alarm per metric it evaluates; a high-resolution (sub-minute) alarm costs more.
const alarm = priced((block) => {
  const queries = nested(block.body.metric_query).filter((query) => query.metric !== undefined);
  const metrics = Math.max(1, queries.length);
  const key =
    Number(block.body.period ?? 60) < 60 ? 'cloudwatch.highResolutionAlarmMetricMonth' : 'cloudwatch.alarmMetricMonth';
  return [charge(block, 'monitoring', 'alarm metrics', metrics, key)];
});

type LogKind = 'service' | 'flow' | 'waf' | 'database';

/** What a log group holds, from the resource that writes to it. */
function logKind(context: PricingContext, group: Block): LogKind {
  const writers: Record<string, LogKind> = {
    aws_ecs_task_definition: 'service',
    aws_flow_log: 'flow',
    aws_wafv2_web_acl_logging_configuration: 'waf',
    aws_rds_cluster: 'database',
  };
  const writer = context.blocks.find(
    (block) => block.stack === group.stack && block.type in writers && refersTo(block.body, group),
  );
  if (writer === undefined)
    throw new Error(`${group.stack} ${group.address}: no resource the model knows writes to this log group`);
  return writers[writer.type] as LogKind;
}

const LOG_VOLUME: Record<LogKind, { usage: keyof Usage; vended: boolean }> = {
  service: { usage: 'serviceLogGBPerMonth', vended: false },
  database: { usage: 'databaseLogGBPerMonth', vended: false },
  // VPC flow logs and WAF logs are vended logs, with their own ingestion prices.
  flow: { usage: 'flowLogGBPerMonth', vended: true },
  waf: { usage: 'wafLogGBPerMonth', vended: true },
};

const logGroup = priced((block, context) => {
  const kind = logKind(context, block);
  const sameKind = context.blocks.filter(
    (other) => other.type === block.type && other.region === block.region && logKind(context, other) === kind,
  );
  const monthly = context.usage[LOG_VOLUME[kind].usage] / sameKind.length;
  const retentionDays = Number(block.body.retention_in_days ?? 0);
  if (retentionDays <= 0)
    throw new Error(
      `${block.stack} ${block.address}: logs kept forever grow without bound; the model needs a retention`,
    );
  return [
    charge(
      block,
      'logs',
      `${kind} log ingestion`,
      monthly,
      LOG_VOLUME[kind].vended ? 'logs.vendedIngestGB' : 'logs.ingestGB',
    ),
    charge(
      block,
      'logs',
      `${kind} log storage (${retentionDays} days kept)`,
      monthly * retentionDays * MONTHS_PER_DAY,
      'logs.storageGBMonth',
    ),
  ];
});

// The only buckets are load-balancer access logs: stored until their lifecycle rule expires them.
const bucket = priced((block, context) => {
  const writer = context.blocks.find(
    (other) => other.stack === block.stack && other.type === 'aws_lb' && refersTo(other.body, block),
  );
  if (writer === undefined) throw new Error(`${block.stack} ${block.address}: the model knows no usage of this bucket`);
  const lifecycle = sameStack(context, block, 'aws_s3_bucket_lifecycle_configuration').find((other) =>
    refersTo(other.body, block),
  );
  const days = Math.max(
    0,
    ...nested(lifecycle?.body.rule).flatMap((rule) => nested(rule.expiration).map((e) => Number(e.days ?? 0))),
  );
  if (days === 0) throw new Error(`${block.stack} ${block.address}: access logs without expiry grow without bound`);
  return [
    charge(
      block,
      'storage',
      `load-balancer access logs (${days} days kept)`,
      context.usage.accessLogGBPerMonth * days * MONTHS_PER_DAY,
      's3.storageGBMonth',
    ),
  ];
});

const wafAcl = priced((block, context) => {
  const rules = nested(block.body.rule);
  // Baseline AWS managed rule groups cost a rule each; the intelligent ones (Bot Control, account
  // takeover and account creation fraud prevention) add subscription and request fees.
  const paid = rules
    .map((rule) => text(nested(nested(rule.statement)[0]?.managed_rule_group_statement)[0]?.name))
    .filter((name) => /BotControl|ATP|ACFP/.test(name));
  return [
    charge(block, 'waf', 'web ACLs', 1, 'waf.webAclMonth'),
    charge(block, 'waf', 'rules and rule groups', rules.length, 'waf.ruleMonth'),
    charge(
      block,
      'waf',
      'requests inspected',
      millionsPerMonth(share(context, context.usage.requestsPerSecond)),
      'waf.requestMillion',
    ),
    ...paid.map((name) => charge(block, 'waf', `${name} subscription`, 1, `waf.managedGroup.${name}`)),
  ];
});

const repository = priced((block, context) => [
  charge(block, 'registry', 'image storage', context.usage.registryStoredGB, 'ecr.storageGBMonth'),
]);

// Cross-region replication is billed as data transfer out of the source region (ECR pricing page).
const registryReplication = priced((block, context) => {
  const destinations = nested(block.body.replication_configuration).flatMap((configuration) =>
    nested(configuration.rule).flatMap((rule) => nested(rule.destination)),
  );
  return [
    charge(
      block,
      'data transfer',
      'ECR replication',
      context.usage.imagePushGBPerMonth * destinations.length,
      'transfer.interRegionGB',
    ),
  ];
});

const backupVault = priced((block, context) => [
  charge(block, 'backup', 'AWS Backup recovery points (Aurora)', context.usage.backupStorageGB, 'backup.auroraGBMonth'),
]);

const vpcEndpoint = priced((block) =>
  block.body.vpc_endpoint_type === 'Gateway'
    ? []
    : [charge(block, 'network', 'interface endpoint hours', HOURS_PER_MONTH, 'vpc.interfaceEndpointHour')],
);

// Standard parameters are free; Advanced ones are billed per parameter-month.
const parameter = priced((block) =>
  block.body.tier === undefined || block.body.tier === 'Standard'
    ? []
    : [charge(block, 'secrets', `${text(block.body.tier)} parameters`, 1, 'ssm.advancedParameterMonth')],
);

const routeRecord = priced((block) => {
  // Queries to alias records that point at a load balancer are free; a latency record without an
  // alias would be billed per query, which the usage assumptions do not cover.
  if (block.body.alias === undefined && block.body.latency_routing_policy !== undefined)
    throw new Error(`${block.stack} ${block.address}: latency queries to a record without an alias are not modelled`);
  return [];
});

const CONFIGURATION = 'configuration of a priced resource: no charge of its own';
const NETWORK_PLUMBING = 'VPC building blocks have no charge (data through them is priced where it leaves)';
const IAM = 'IAM is free';

export const DECISIONS: Readonly<Record<string, Decision>> = {
  aws_acm_certificate: free('public ACM certificates are free'),
  aws_acm_certificate_validation: free('a wait for validation, not a resource'),
  aws_appautoscaling_policy: free(
    'the capacity it scales is priced on the service (tasks at the minimum) or the table',
  ),
  aws_appautoscaling_target: free(
    'the capacity it scales is priced on the service (tasks at the minimum) or the table',
  ),
  aws_backup_plan: free('recovery points are priced on the vault that stores them'),
  aws_backup_selection: free(CONFIGURATION),
  aws_backup_vault: backupVault,
  aws_cloudwatch_dashboard: priced((block) => [
    charge(block, 'monitoring', 'dashboards', 1, 'cloudwatch.dashboardMonth'),
  ]),
  aws_cloudwatch_log_group: logGroup,
  aws_cloudwatch_log_metric_filter: priced((block) => [
    charge(block, 'monitoring', 'custom metrics from log filters', 1, 'cloudwatch.customMetricMonth'),
  ]),
  aws_cloudwatch_metric_alarm: alarm,
  aws_db_subnet_group: free(CONFIGURATION),
  aws_default_security_group: free(NETWORK_PLUMBING),
  aws_dynamodb_table: dynamodbTable,
  aws_ecr_lifecycle_policy: free(CONFIGURATION),
  aws_ecr_replication_configuration: registryReplication,
  aws_ecr_repository: repository,
  aws_ecs_cluster: free('an ECS cluster has no charge; its Fargate tasks are priced on the service'),
  aws_ecs_service: fargateService,
  aws_ecs_task_definition: free('priced on the service that runs it'),
  aws_eip: priced((block) => [
    charge(block, 'network', 'public IPv4 addresses (NAT)', HOURS_PER_MONTH, 'publicIpv4.hour'),
  ]),
  aws_flow_log: free('its log volume is priced on its log group'),
  aws_iam_role: free(IAM),
  aws_iam_role_policy: free(IAM),
  aws_iam_role_policy_attachment: free(IAM),
  aws_internet_gateway: free(NETWORK_PLUMBING),
  aws_kms_alias: free('aliases are free'),
  aws_kms_key: kmsKey,
  aws_kms_replica_key: kmsKey,
  aws_lb: loadBalancer,
  aws_lb_listener: free('listeners are covered by the load balancer hours and LCUs'),
  aws_lb_target_group: free('target groups are covered by the load balancer hours and LCUs'),
  aws_nat_gateway: natGateway,
  aws_rds_cluster: auroraCluster,
  aws_rds_cluster_instance: auroraInstance,
  aws_rds_cluster_parameter_group: free(CONFIGURATION),
  aws_rds_global_cluster: auroraGlobalCluster,
  aws_route: free(NETWORK_PLUMBING),
  aws_route53_health_check: healthCheck,
  aws_route53_record: routeRecord,
  aws_route53_zone: priced((block) => [charge(block, 'dns', 'hosted zones', 1, 'route53.zoneMonth', GLOBAL_REGION)]),
  aws_route_table: free(NETWORK_PLUMBING),
  aws_route_table_association: free(NETWORK_PLUMBING),
  aws_s3_bucket: bucket,
  aws_s3_bucket_lifecycle_configuration: free(CONFIGURATION),
  aws_s3_bucket_ownership_controls: free(CONFIGURATION),
  aws_s3_bucket_policy: free(CONFIGURATION),
  aws_s3_bucket_public_access_block: free(CONFIGURATION),
  aws_s3_bucket_server_side_encryption_configuration: free(CONFIGURATION),
  aws_s3_bucket_versioning: free(CONFIGURATION),
  aws_secretsmanager_secret: secret,
  aws_secretsmanager_secret_version: free('versions are included in the secret price'),
  aws_security_group: free(NETWORK_PLUMBING),
  aws_sns_topic: {
    kind: 'unpriced',
    reason: 'billed per publish and delivery; alarm notifications are a handful a month (cents at most)',
  },
  aws_sns_topic_policy: free(CONFIGURATION),
  aws_ssm_parameter: parameter,
  aws_subnet: free(NETWORK_PLUMBING),
  aws_vpc: free(NETWORK_PLUMBING),
  aws_vpc_endpoint: vpcEndpoint,
  aws_vpc_peering_connection: free(
    'no hourly charge; the writes crossing it are priced with the Aurora global database',
  ),
  aws_vpc_peering_connection_accepter: free(NETWORK_PLUMBING),
  aws_vpc_peering_connection_options: free(CONFIGURATION),
  aws_vpc_security_group_egress_rule: free(NETWORK_PLUMBING),
  aws_vpc_security_group_ingress_rule: free(NETWORK_PLUMBING),
  aws_wafv2_web_acl: wafAcl,
  aws_wafv2_web_acl_association: free(CONFIGURATION),
  aws_wafv2_web_acl_logging_configuration: free('its log volume is priced on its log group'),
  random_id: free('not an AWS resource: a value in Terraform state'),
  random_password: free('not an AWS resource: a value in Terraform state'),
};
