/**
 * The deployment configuration, declared once. Every setting an environment file may set is here
 * with its meaning, its default and its per-field constraints; from this declaration come the
 * TypeScript types (below), the defaults and the field checks (check.ts), the JSON Schema that
 * environment files point at (environment.schema.json) and the configuration reference in
 * docs/configuration.md (`npm run docs:config` writes both; CI fails when they are stale).
 * Rules that span several fields live in validate.ts.
 *
 * Adding a setting: declare it here, use it where it matters, run `npm run docs:config`.
 */
import type { Static } from 'typebox';
import { engineVersionProblem } from '../modules/aurora-global-database/rules.js';
import { BACKUP_PLAN_RETENTION_DAYS } from '../modules/aurora-global-database/rules.js';
import { vpcCidrProblem, ZONE_COUNT, zoneCountProblem } from '../modules/regional-network/layout.js';
import {
  choice,
  flag,
  group,
  integer,
  list,
  number,
  numberChoice,
  optional,
  text,
  type SettingExtras,
} from './declare.js';
import { KNOWN_REGIONS } from './regions.js';
import { isDnsName } from './validate.js';

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Regions of the seed document, primary first. */
export const DEFAULT_REGIONS: readonly string[] = ['us-east-1', 'eu-west-1'];

/** Zone letters of the seed document's three-AZ layout. */
export const DEFAULT_ZONE_LETTERS: readonly string[] = ['a', 'b', 'c'];

/** `10.<index>.0.0/16`: non-overlapping blocks by position, so the VPCs can be peered. */
export function defaultVpcCidr(index: number): string {
  return `10.${index}.0.0/16`;
}

const SHORT_NAME = {
  pattern: '^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$',
  errorMessage:
    'must be 1-20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen',
};

function knownRegion(description: string, extras: SettingExtras = {}) {
  return choice(
    KNOWN_REGIONS,
    { description, errorMessage: 'is not a known AWS region' },
    { allowedText: 'a known AWS region (`config/regions.ts`)', ...extras },
  );
}

function logRetention(description: string) {
  return numberChoice(
    LOG_RETENTION_DAYS,
    { description, default: 365 },
    { allowedText: `a CloudWatch Logs retention value: ${LOG_RETENTION_DAYS.join(', ')}` },
  );
}

function percentage(description: string, defaultValue: number) {
  return number({
    description,
    default: defaultValue,
    exclusiveMinimum: 0,
    maximum: 100,
    errorMessage: 'must be a percentage above 0 and at most 100',
  });
}

function positive(description: string, defaultValue: number, unit = '') {
  return number({
    description,
    default: defaultValue,
    exclusiveMinimum: 0,
    errorMessage: `must be greater than 0${unit ? ` ${unit}` : ''}`,
  });
}

function instanceClass(description: string, defaults: { default: string } | SettingExtras) {
  return text(
    {
      description,
      ...('default' in defaults ? defaults : {}),
      pattern: '^db\\.(r5|r6g|r6i|r7g|r7i|r8g|x2g)\\.[0-9]*x?large$',
      errorMessage:
        'is not a memory-optimized class an Aurora global database accepts (db.r5, db.r6g, db.r6i, db.r7g, db.r7i, db.r8g or db.x2g, such as db.r6g.large)',
    },
    'default' in defaults ? undefined : defaults,
  );
}

function instanceCount(description: string, defaults: { default: number } | SettingExtras) {
  return integer(
    {
      description,
      ...('default' in defaults ? defaults : {}),
      minimum: 1,
      maximum: 16,
      errorMessage: 'is outside 1-16 instances per regional cluster',
    },
    'default' in defaults ? undefined : defaults,
  );
}

function capacityRange(kind: string) {
  return group(
    {
      min: integer(
        { description: `Fewest ${kind.toLowerCase()} capacity units auto scaling may set`, default: 5 },
        { allowedText: 'at least 1, at most `max`' },
      ),
      max: integer(
        { description: `Most ${kind.toLowerCase()} capacity units auto scaling may set`, default: 100 },
        { allowedText: 'at least `min`' },
      ),
    },
    `${kind} capacity units of the table and of each index (PROVISIONED only)`,
  );
}

/** A usage assumption: a non-negative amount, or at least `minimum` when one is given. */
function usageAmount(description: string, defaultValue: number, unit: string, minimum?: number) {
  return minimum === undefined
    ? positive(description, defaultValue, unit)
    : number({
        description,
        default: defaultValue,
        minimum,
        errorMessage: `must be at least ${minimum} ${unit}`,
      });
}

/** User names RDS keeps for itself. */
const RESERVED_USERNAMES: readonly string[] = ['rdsadmin', 'rdsrepladmin', 'rdsproxyadmin'];

export const RegionEntrySchema = group(
  {
    region: knownRegion('The AWS region', { requiredMessage: 'is required (an AWS region name such as us-east-1)' }),
    vpcCidr: optional(
      text(
        { description: "The VPC's IPv4 block" },
        {
          check: (cidr: string) => vpcCidrProblem(cidr),
          defaultText: '`10.<index>.0.0/16` by position in `regions`',
          allowedText: "/16 to /19, aligned, not overlapping another region's",
        },
      ),
    ),
    availabilityZones: optional(
      list(
        text({ description: 'A zone of this region, such as us-east-1a' }),
        { description: "The region's availability zones", minItems: ZONE_COUNT.min, maxItems: ZONE_COUNT.max },
        {
          check: (zones: readonly string[]) => zoneCountProblem(zones.length),
          defaultText: '`<region>a`, `<region>b`, `<region>c`',
          allowedText: `${ZONE_COUNT.min}-${ZONE_COUNT.max} zones of that region`,
        },
      ),
    ),
    aurora: optional(
      group(
        {
          instanceClass: optional(
            instanceClass("Instance class of this region's Aurora cluster", { defaultText: '`aurora.instanceClass`' }),
          ),
          instanceCount: optional(
            instanceCount("Instances in this region's Aurora cluster", { defaultText: '`aurora.instancesPerRegion`' }),
          ),
        },
        "This region's Aurora instances",
      ),
    ),
  },
  'A serving region',
);

export const DeploymentSchema = group(
  {
    project: text({
      description: 'Short name used in resource names and the `project` tag',
      default: 'orders',
      ...SHORT_NAME,
    }),
    sharedAccount: flag({
      description:
        "The AWS account also holds other environments of the project: validation then refuses the default environment's names (`dynamodb.tableName`, `aurora.globalClusterIdentifier`, `network.namePrefix`, `dns.domainName`), and only one environment per account and primary region may set `registry.manageReplication`",
      default: false,
    }),
    primaryRegion: text(
      { description: "Home of the DynamoDB table's origin and the Aurora writer", default: 'us-east-1' },
      { allowedText: 'one of `regions[].region`' },
    ),
    regions: list(
      RegionEntrySchema,
      {
        description: 'Every region that serves traffic, primary included',
        default: DEFAULT_REGIONS.map((region) => ({ region })),
        minItems: 2,
      },
      {
        check: (regions: readonly unknown[]) =>
          regions.length >= 2 ? undefined : `active-active needs at least 2 regions, got ${regions.length}`,
        allowedText: 'two or more, no duplicates',
      },
    ),
    state: group(
      {
        bucket: optional(
          text(
            {
              description: 'S3 bucket for Terraform state; unset keeps state in local files under `.terraform-state/`',
              pattern: '^(?!\\d+\\.\\d+\\.\\d+\\.\\d+$)(?!.*\\.\\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
              errorMessage:
                'is not a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)',
            },
            { defaultText: 'none (local state)' },
          ),
        ),
        bucketRegion: optional(knownRegion('Region of the state bucket; only with `state.bucket`')),
      },
      'Where Terraform state is kept',
    ),
    network: group(
      {
        namePrefix: text({
          description:
            'VPC name `<prefix>-<region>`; names of the network roles and log groups derive from it, so environments sharing an account need their own',
          default: 'main',
          ...SHORT_NAME,
        }),
        natGateways: choice(['per-az', 'single'], {
          description: '`per-az` survives the loss of a zone; `single` shares one NAT gateway to save cost',
          default: 'per-az',
        }),
        flowLogRetentionDays: logRetention('Retention of the VPC flow-log group, in days'),
      },
      'The regional networks',
    ),
    dynamodb: group(
      {
        tableName: text({
          description: 'Name of the global table',
          default: 'Orders',
          pattern: '^[A-Za-z0-9_.-]{3,255}$',
          errorMessage: 'is not a valid DynamoDB table name (3-255 letters, digits, underscores, hyphens and dots)',
        }),
        billingMode: choice(['PAY_PER_REQUEST', 'PROVISIONED'], {
          description: 'On-demand, or provisioned capacity with auto scaling',
          default: 'PAY_PER_REQUEST',
        }),
        consistency: choice(['eventual', 'strong'], {
          description:
            '`eventual` (MREC): last writer wins across regions; `strong` (MRSC): every write replicated synchronously, needs three replicas or two and a witness in one region set',
          default: 'eventual',
        }),
        witnessRegion: optional(knownRegion('MRSC witness region: strong mode with two regions only')),
        provisionedCapacity: group(
          {
            read: capacityRange('Read'),
            write: capacityRange('Write'),
            targetUtilizationPercent: number({
              description: 'Consumed capacity, as a percentage of provisioned, that auto scaling holds',
              default: 70,
              minimum: 20,
              maximum: 90,
              errorMessage: 'is outside 20-90',
            }),
          },
          'Capacity limits of `PROVISIONED` billing; unused otherwise',
        ),
      },
      'The DynamoDB global table',
    ),
    aurora: group(
      {
        globalClusterIdentifier: text(
          {
            description: 'Global cluster identifier; the regional clusters, backup vault and roles are named after it',
            default: 'my-global-db',
          },
          { allowedText: 'lowercase letters, digits, hyphens; short enough for the names derived from it' },
        ),
        engine: choice(['aurora-mysql'], { description: 'The only engine supported', default: 'aurora-mysql' }),
        engineVersion: text(
          {
            description: 'An Aurora MySQL 3 version, used at creation (a current LTS release by default)',
            default: '8.0.mysql_aurora.3.10.0',
          },
          {
            check: (version: string) => engineVersionProblem(version),
            allowedText: '`8.0.mysql_aurora.3.<minor>.<patch>`',
          },
        ),
        databaseName: text({
          description: 'MySQL database name',
          default: 'orders',
          pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$',
          errorMessage:
            'is not a valid MySQL database name (1-64 letters, digits and underscores, starting with a letter)',
        }),
        masterUsername: text(
          {
            description: 'Master user; its generated password lives in the replicated database secret',
            default: 'orders_admin',
          },
          {
            check: (name: string) =>
              /^[A-Za-z][A-Za-z0-9_]{0,15}$/.test(name) && !RESERVED_USERNAMES.includes(name.toLowerCase())
                ? undefined
                : `"${name}" is not a valid Aurora MySQL master user name (1-16 letters, digits and underscores, starting with a letter, not one of ${RESERVED_USERNAMES.join(', ')})`,
            allowedText: '1-16 letters, digits, underscores; not an RDS-reserved name',
          },
        ),
        deletionProtection: flag({
          description: 'Deletion protection of the global and member clusters',
          default: true,
        }),
        backupRetentionDays: integer({
          description: "Days of Aurora's automated backups, for point-in-time restore; deleted with a cluster",
          default: 7,
          minimum: 1,
          maximum: 35,
          errorMessage: 'is outside 1-35 days',
        }),
        backupPlanRetentionDays: integer({
          description: "Days AWS Backup keeps each region's daily recovery point; they outlive a deleted cluster",
          default: 35,
          minimum: BACKUP_PLAN_RETENTION_DAYS.min,
          maximum: BACKUP_PLAN_RETENTION_DAYS.max,
          errorMessage: `is outside ${BACKUP_PLAN_RETENTION_DAYS.min}-${BACKUP_PLAN_RETENTION_DAYS.max} days`,
        }),
        instanceClass: instanceClass('Memory-optimized instance class where a region does not set its own', {
          default: 'db.r6g.large',
        }),
        instancesPerRegion: instanceCount('Instances per regional cluster where a region does not set its own', {
          default: 1,
        }),
        writeForwarding: flag({
          description: 'Secondary clusters forward writes to the writer region; fixed at creation',
          default: false,
        }),
        logRetentionDays: logRetention('Retention of the audit, error and slow-query log groups, in days'),
      },
      'The Aurora MySQL global database',
    ),
    service: group(
      {
        containerPort: integer({
          description: "The container's port",
          default: 3000,
          minimum: 1,
          maximum: 65_535,
          errorMessage: 'is not a port number (1-65535)',
        }),
        cpu: numberChoice([256, 512, 1024, 2048, 4096], { description: 'Fargate task CPU units', default: 512 }),
        memoryMiB: integer(
          { description: 'Fargate task memory in MiB', default: 1024 },
          { allowedText: 'a size Fargate accepts for the chosen `cpu`' },
        ),
        minTasks: integer({
          description: 'Fewest tasks per region (auto scaling), or the fixed count without it',
          default: 2,
          minimum: 1,
          errorMessage: 'must be a whole number of at least 1',
        }),
        maxTasks: integer(
          { description: 'Most tasks per region that auto scaling may run', default: 10 },
          { allowedText: 'at least `service.minTasks`' },
        ),
        imageTag: text({
          description:
            'Image tag deployed in every region; `IMAGE_TAG` at synth wins (set it: repositories have immutable tags)',
          default: 'latest',
          pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$',
          errorMessage: 'is not a valid image tag (1-128 letters, digits, underscores, dots and hyphens)',
        }),
        autoScaling: flag({
          description:
            'Scale between minTasks and maxTasks on CPU and on ALB requests per target; false runs exactly minTasks',
          default: true,
        }),
        scaleOnCpuPercent: percentage('Target average CPU utilization (%) that auto scaling holds', 60),
        scaleOnRequestsPerTarget: integer({
          description: 'Target ALB requests per task per minute that auto scaling holds',
          default: 1000,
          minimum: 1,
          errorMessage: 'must be a whole number of requests per task per minute, at least 1',
        }),
        healthCheckGracePeriodSeconds: integer({
          description:
            'Seconds after a task starts during which ECS ignores failing load-balancer health checks; raise it for a slow start',
          default: 30,
          minimum: 0,
          maximum: 2_147_483_647,
          errorMessage: 'is outside 0-2147483647 seconds',
        }),
        logRetentionDays: logRetention("Retention of the service's log group, in days"),
        deletionProtection: flag({
          description: 'Load balancers refuse deletion; set false and apply before destroying the app stacks',
          default: true,
        }),
      },
      'The orders service on ECS Fargate behind an ALB in each region',
    ),
    registry: group(
      {
        manageReplication: flag({
          description:
            "Own the primary region's ECR replication configuration (one per account and region): replicate every `<project>-` repository to the other regions. In an account shared by environments with one primary region, set it in exactly one, whose regions include the others'",
          default: true,
        }),
      },
      'The image registry',
    ),
    dns: group(
      {
        domainName: text(
          {
            description: "The API's name (latency records); `<region>.<domainName>` per region",
            default: 'api.example.com',
          },
          {
            check: (name: string) =>
              isDnsName(name)
                ? undefined
                : `"${name}" is not a valid lowercase DNS name with at least two labels, such as api.example.com`,
            allowedText: 'a lowercase DNS name with at least two labels',
          },
        ),
        hostedZoneName: optional(
          text(
            { description: 'The public zone holding the names: `domainName` itself or a parent of it' },
            { defaultText: '`dns.domainName`', allowedText: '`dns.domainName` or a parent of it' },
          ),
        ),
        createHostedZone: flag({
          description: 'Create the zone (a `zone` stack) instead of looking it up',
          default: false,
        }),
        healthCheckIntervalSeconds: numberChoice([10, 30], {
          description: 'Route 53 health-check interval in seconds',
          default: 10,
        }),
        healthCheckFailureThreshold: integer({
          description: 'Consecutive failed health checks before Route 53 takes a region out',
          default: 2,
          minimum: 1,
          maximum: 10,
          errorMessage: 'is outside 1-10',
        }),
      },
      'Route 53 latency routing and health checks',
    ),
    alarms: group(
      {
        alb5xxThreshold: positive('ALB 5XX count (Sum over one period) above which the alarm fires', 50),
        // A multiple of 60 only: the alarmed AWS metrics (ALB, ECS, DynamoDB, RDS, Route 53) are
        // published once a minute, and a 10 or 30 s period over them (a high-resolution alarm)
        // sees most periods empty (CloudWatch User Guide, "High-resolution alarms" and "Periods").
        periodSeconds: integer(
          {
            description: 'Alarm period in seconds',
            default: 60,
            minimum: 60,
            multipleOf: 60,
            errorMessage: 'must be a multiple of 60: the alarmed AWS metrics are published once a minute',
          },
          {
            allowedText: 'a multiple of 60 (the alarmed metrics are published per minute)',
          },
        ),
        evaluationPeriods: integer(
          { description: 'Periods an alarm condition must hold before it fires', default: 2 },
          { allowedText: 'at least 1; periodSeconds × evaluationPeriods at most one day' },
        ),
        target5xxThreshold: positive('Target (task) 5XX count (Sum over one period) above which the alarm fires', 50),
        cpuPercent: percentage('Average ECS service CPU utilization (%) above which the alarm fires', 80),
        memoryPercent: percentage('Average ECS service memory utilization (%) above which the alarm fires', 80),
        dynamodbReplicationLatencyMs: positive(
          'DynamoDB `ReplicationLatency` (ms, average) to any other region above which the alarm fires',
          30_000,
          'milliseconds',
        ),
        auroraReplicationLagMs: positive(
          'Aurora `AuroraGlobalDBReplicationLag` (ms, maximum) above which the alarm fires',
          5_000,
          'milliseconds',
        ),
        notificationEmails: list(
          text({
            description: 'An email address',
            pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
            errorMessage: 'is not an email address',
          }),
          { description: 'Email addresses subscribed to every alert topic (each must confirm)', default: [] },
          { allowedText: 'email addresses' },
        ),
      },
      'CloudWatch alarms and their notifications',
    ),
    usage: group(
      {
        requestsPerSecond: usageAmount(
          'Average HTTP requests per second to the API, all regions together (latency routing splits them evenly)',
          50,
          'requests per second',
        ),
        requestsPerConnection: usageAmount(
          'Average requests a client sends over one connection (keep-alive); new connections per second = requests ÷ this',
          10,
          'requests',
          1,
        ),
        transferKBPerRequest: usageAmount(
          'Average kilobytes a request and its response carry (load-balancer processed bytes; the response goes out to the internet)',
          8,
          'KB',
        ),
        orderWritesPerSecond: usageAmount(
          'Average orders written per second, all regions together: a DynamoDB write replicated to every other replica, and an inventory update on the Aurora writer',
          5,
          'writes per second',
          0,
        ),
        orderReadsPerSecond: usageAmount(
          'Average strongly consistent DynamoDB reads per second, all regions together',
          20,
          'reads per second',
          0,
        ),
        itemSizeKB: usageAmount(
          'Average size of an order item in DynamoDB, in KB (a write unit covers 1 KB, a read unit 4 KB)',
          1,
          'KB',
        ),
        dynamodbStorageGB: usageAmount('GB the table and its index hold; every replica stores all of it', 10, 'GB', 0),
        auroraStorageGB: usageAmount(
          "GB of the Aurora cluster volume; every region's cluster stores all of it",
          20,
          'GB',
          0,
        ),
        auroraIoPerSecond: usageAmount(
          "Average storage I/O operations per second of each region's Aurora cluster (Aurora Standard bills I/O)",
          100,
          'I/O per second',
          0,
        ),
        auroraWriteIoPerSecond: usageAmount(
          "Of the writer's I/O, the write I/O per second the global database replicates to each secondary region",
          20,
          'I/O per second',
          0,
        ),
        crossRegionKBPerWrite: usageAmount(
          'Kilobytes an order write moves between regions: its statement to the Aurora writer from another region, and its change record to each secondary',
          4,
          'KB',
          0,
        ),
        backupStorageGB: usageAmount("GB of AWS Backup recovery points of each region's Aurora cluster", 20, 'GB', 0),
        natGBPerMonth: usageAmount(
          'GB per month through the NAT gateways of each region (image pulls, logs, Secrets Manager and other AWS APIs; DynamoDB and S3 use gateway endpoints)',
          20,
          'GB',
          0,
        ),
        serviceLogGBPerMonth: usageAmount('GB per month the service writes to its log group, per region', 5, 'GB', 0),
        flowLogGBPerMonth: usageAmount('GB per month of VPC flow logs, per region', 10, 'GB', 0),
        wafLogGBPerMonth: usageAmount('GB per month of WAF logs, per region', 2, 'GB', 0),
        databaseLogGBPerMonth: usageAmount(
          'GB per month of Aurora audit, error and slow-query logs, per region',
          2,
          'GB',
          0,
        ),
        accessLogGBPerMonth: usageAmount(
          "GB per month of load-balancer access logs in each region's S3 bucket",
          2,
          'GB',
          0,
        ),
        registryStoredGB: usageAmount(
          'GB of images each region stores in its repository (layers shared between images count once)',
          5,
          'GB',
          0,
        ),
        imagePushGBPerMonth: usageAmount(
          'GB of images pushed per month to the primary region, replicated to every other region',
          6,
          'GB',
          0,
        ),
      },
      'Usage assumptions of the cost model (`npm run cost`, docs/cost.md); they change no resource',
    ),
  },
  'A deployment environment: every field is optional and overrides the built-in default',
);

type Settings = Static<typeof DeploymentSchema>;
type RegionEntry = Static<typeof RegionEntrySchema>;

type DeepReadonly<T> = T extends readonly (infer Item)[]
  ? readonly DeepReadonly<Item>[]
  : T extends object
    ? { readonly [Key in keyof T]: DeepReadonly<T[Key]> }
    : T;

/** One serving region, with every derived default filled in. */
export type RegionConfig = DeepReadonly<
  Required<Omit<RegionEntry, 'aurora'>> & { aurora: Required<NonNullable<RegionEntry['aurora']>> }
>;

/** The deployment configuration every stack reads: an environment file merged over the defaults. */
export type DeploymentConfig = DeepReadonly<Omit<Settings, 'regions'>> & {
  /** Environment name (`default` when no environment file is chosen); in tags and state keys. */
  readonly environment: string;
  readonly regions: readonly RegionConfig[];
};

export type NatGatewayMode = DeploymentConfig['network']['natGateways'];
export type DynamoConsistency = DeploymentConfig['dynamodb']['consistency'];
export type BillingMode = DeploymentConfig['dynamodb']['billingMode'];
