import {
  BACKUP_PLAN_RETENTION_DAYS,
  engineVersionProblem,
  identifierProblems,
  isBackupPlanRetention,
} from '../modules/aurora-global-database/rules.js';
import { capacityProblems, consistencyProblems } from '../modules/dynamodb-global-table/rules.js';
import { cidrsOverlap, parseCidr, type Ipv4Cidr } from '../modules/regional-network/cidr.js';
import { vpcCidrProblem, zoneCountProblem } from '../modules/regional-network/layout.js';
import { KNOWN_REGIONS, zoneBelongsToRegion } from './regions.js';
import type { Problem } from './shape.js';
import type { DeploymentConfig, RegionConfig } from './types.js';

/** A value rule: every problem it finds in a well-typed configuration. */
export type ConfigRule = (config: DeploymentConfig) => Problem[];

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Fargate's valid CPU units and, for each, the memory sizes (MiB) it accepts. */
const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
};

const RULES: readonly ConfigRule[] = [
  namingRules,
  regionListRules,
  regionEntryRules,
  overlappingCidrRule,
  networkRules,
  stateRules,
  dynamoDbRules,
  auroraRules,
  serviceRules,
  dnsRules,
  alarmRules,
];

/** Every problem in `config`, in a stable order (empty when it is valid). */
export function validateConfig(config: DeploymentConfig, extraRules: readonly ConfigRule[] = []): Problem[] {
  return [...RULES, ...extraRules].flatMap((rule) => rule(config));
}

function namingRules(config: DeploymentConfig): Problem[] {
  return [
    ...check(
      'project',
      /^[a-z][a-z0-9-]{0,19}$/.test(config.project) && !config.project.endsWith('-'),
      `"${config.project}" must be 1-20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen`,
    ),
    ...check(
      'environment',
      /^[a-z][a-z0-9-]{0,19}$/.test(config.environment),
      `"${config.environment}" must be 1-20 lowercase letters, digits or hyphens, starting with a letter (it names the environment file)`,
    ),
  ];
}

function regionListRules(config: DeploymentConfig): Problem[] {
  const names = config.regions.map((entry) => entry.region);
  const problems = check('regions', names.length >= 2, `active-active needs at least 2 regions, got ${names.length}`);
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index) {
      problems.push({
        field: `regions[${index}].region`,
        message: `"${name}" is listed more than once; each region may appear once`,
      });
    }
  });
  problems.push(
    ...check(
      'primaryRegion',
      names.includes(config.primaryRegion),
      `"${config.primaryRegion}" is not one of the configured regions (${names.join(', ') || 'none'})`,
    ),
  );
  return problems;
}

function regionEntryRules(config: DeploymentConfig): Problem[] {
  return config.regions.flatMap((entry, index) => {
    const field = `regions[${index}]`;
    if (entry.region === undefined) return knownRegion(`${field}.region`, entry.region);
    return [
      ...knownRegion(`${field}.region`, entry.region),
      ...problemAt(`${field}.vpcCidr`, vpcCidrProblem(entry.vpcCidr)),
      ...zoneRules(`${field}.availabilityZones`, entry),
      ...auroraInstanceRules(`${field}.aurora`, entry.aurora.instanceClass, entry.aurora.instanceCount),
    ];
  });
}

function knownRegion(field: string, region: string | undefined): Problem[] {
  if (region === undefined) return [{ field, message: 'is required (an AWS region name such as us-east-1)' }];
  return check(
    field,
    KNOWN_REGIONS.includes(region),
    `"${region}" is not a known AWS region; allowed: ${KNOWN_REGIONS.join(', ')}`,
  );
}

function zoneRules(field: string, entry: RegionConfig): Problem[] {
  const zones = entry.availabilityZones;
  const problems = problemAt(field, zoneCountProblem(zones.length));
  zones.forEach((zone, index) => {
    if (!zoneBelongsToRegion(zone, entry.region)) {
      problems.push({
        field: `${field}[${index}]`,
        message: `"${zone}" is not a zone of ${entry.region}; zone names are the region followed by one letter, such as ${entry.region}a`,
      });
    } else if (zones.indexOf(zone) !== index) {
      problems.push({ field: `${field}[${index}]`, message: `"${zone}" is listed more than once` });
    }
  });
  return problems;
}

function overlappingCidrRule(config: DeploymentConfig): Problem[] {
  const parsed = config.regions.map((entry) => parseCidr(entry.vpcCidr));
  const problems: Problem[] = [];
  parsed.forEach((cidr, index) => {
    const earlier = parsed.findIndex(
      (other: Ipv4Cidr | undefined, otherIndex) =>
        otherIndex < index && cidr !== undefined && other !== undefined && cidrsOverlap(cidr, other),
    );
    if (earlier >= 0) {
      problems.push({
        field: `regions[${index}].vpcCidr`,
        message: `"${config.regions[index].vpcCidr}" overlaps ${config.regions[earlier].region}'s ${config.regions[earlier].vpcCidr}; regional VPCs must not overlap so they can be peered`,
      });
    }
  });
  return problems;
}

function networkRules(config: DeploymentConfig): Problem[] {
  const prefix = config.network.namePrefix;
  return [
    ...check(
      'network.namePrefix',
      /^[a-z][a-z0-9-]{0,19}$/.test(prefix) && !prefix.endsWith('-'),
      `"${prefix}" must be 1-20 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen`,
    ),
    ...oneOf('network.natGateways', config.network.natGateways, ['per-az', 'single']),
    ...oneOf('network.flowLogRetentionDays', config.network.flowLogRetentionDays, LOG_RETENTION_DAYS),
  ];
}

function stateRules(config: DeploymentConfig): Problem[] {
  const { bucket, bucketRegion } = config.state;
  const problems: Problem[] = [];
  if (bucket !== undefined) {
    problems.push(
      ...check(
        'state.bucket',
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) &&
          !bucket.includes('..') &&
          !/^\d+\.\d+\.\d+\.\d+$/.test(bucket),
        `"${bucket}" is not a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)`,
      ),
    );
  }
  if (bucketRegion !== undefined) {
    problems.push(...knownRegion('state.bucketRegion', bucketRegion));
    problems.push(
      ...check('state.bucketRegion', bucket !== undefined, 'is set but state.bucket is not; set both or neither'),
    );
  }
  return problems;
}

function dynamoDbRules(config: DeploymentConfig): Problem[] {
  const { tableName, hashKey, billingMode, consistency, witnessRegion, provisionedCapacity } = config.dynamodb;
  const problems = [
    ...check(
      'dynamodb.tableName',
      /^[A-Za-z0-9_.-]{3,255}$/.test(tableName),
      `"${tableName}" is not a valid DynamoDB table name (3-255 letters, digits, underscores, hyphens and dots)`,
    ),
    ...check('dynamodb.hashKey', hashKey.length >= 1 && hashKey.length <= 255, 'must be 1-255 characters'),
    ...oneOf('dynamodb.billingMode', billingMode, ['PAY_PER_REQUEST', 'PROVISIONED']),
    ...oneOf('dynamodb.consistency', consistency, ['eventual', 'strong']),
    ...(witnessRegion === undefined ? [] : knownRegion('dynamodb.witnessRegion', witnessRegion)),
    ...capacityProblems(provisionedCapacity).map((problem) => ({
      field: `dynamodb.provisionedCapacity.${problem.field}`,
      message: problem.message,
    })),
  ];
  if (consistency === 'eventual' || consistency === 'strong') {
    const choice = { mode: consistency, replicaRegions: config.regions.map((entry) => entry.region), witnessRegion };
    problems.push(
      ...consistencyProblems(choice).map((problem) => ({
        field: problem.subject === 'witness' ? 'dynamodb.witnessRegion' : 'dynamodb.consistency',
        message: problem.message,
      })),
    );
  }
  return problems;
}

function auroraRules(config: DeploymentConfig): Problem[] {
  const aurora = config.aurora;
  const placements = config.regions.map((entry) => ({
    region: entry.region,
    instanceCount: entry.aurora.instanceCount,
  }));
  return [
    ...identifierProblems(aurora.globalClusterIdentifier, placements).map((message) => ({
      field: 'aurora.globalClusterIdentifier',
      message,
    })),
    ...oneOf('aurora.engine', aurora.engine, ['aurora-mysql']),
    ...problemAt('aurora.engineVersion', engineVersionProblem(aurora.engineVersion)),
    ...check(
      'aurora.databaseName',
      /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(aurora.databaseName),
      `"${aurora.databaseName}" is not a valid MySQL database name (1-64 letters, digits and underscores, starting with a letter)`,
    ),
    ...check(
      'aurora.masterUsername',
      /^[A-Za-z][A-Za-z0-9_]{0,15}$/.test(aurora.masterUsername) &&
        !RESERVED_USERNAMES.includes(aurora.masterUsername.toLowerCase()),
      `"${aurora.masterUsername}" is not a valid Aurora MySQL master user name (1-16 letters, digits and underscores, starting with a letter, not one of ${RESERVED_USERNAMES.join(', ')})`,
    ),
    ...check(
      'aurora.backupRetentionDays',
      Number.isInteger(aurora.backupRetentionDays) &&
        aurora.backupRetentionDays >= 1 &&
        aurora.backupRetentionDays <= 35,
      `${aurora.backupRetentionDays} is outside 1-35 days`,
    ),
    ...check(
      'aurora.backupPlanRetentionDays',
      isBackupPlanRetention(aurora.backupPlanRetentionDays),
      `${aurora.backupPlanRetentionDays} is outside ${BACKUP_PLAN_RETENTION_DAYS.min}-${BACKUP_PLAN_RETENTION_DAYS.max} days`,
    ),
    ...oneOf('aurora.logRetentionDays', aurora.logRetentionDays, LOG_RETENTION_DAYS),
    ...auroraInstanceRules('aurora', aurora.instanceClass, aurora.instancesPerRegion, 'instancesPerRegion'),
  ];
}

/** User names RDS keeps for itself. */
const RESERVED_USERNAMES: readonly string[] = ['rdsadmin', 'rdsrepladmin', 'rdsproxyadmin'];

/** Global databases need memory-optimized classes (db.r5 or newer, or db.x2g). */
function auroraInstanceRules(
  field: string,
  instanceClass: string,
  count: number,
  countField = 'instanceCount',
): Problem[] {
  return [
    ...check(
      `${field}.instanceClass`,
      /^db\.(r5|r6g|r6i|r7g|r7i|r8g|x2g)\.[0-9]*x?large$/.test(instanceClass),
      `"${instanceClass}" is not a memory-optimized class an Aurora global database accepts (db.r5, db.r6g, db.r6i, db.r7g, db.r7i, db.r8g or db.x2g, such as db.r6g.large)`,
    ),
    ...check(
      `${field}.${countField}`,
      Number.isInteger(count) && count >= 1 && count <= 16,
      `${count} is outside 1-16 instances per regional cluster`,
    ),
  ];
}

function serviceRules(config: DeploymentConfig): Problem[] {
  const service = config.service;
  const memoryChoices = FARGATE_MEMORY[service.cpu];
  return [
    ...port('service.containerPort', service.containerPort),
    ...oneOf('service.cpu', service.cpu, Object.keys(FARGATE_MEMORY).map(Number)),
    ...(memoryChoices
      ? oneOf('service.memoryMiB', service.memoryMiB, memoryChoices, `for ${service.cpu} CPU units`)
      : []),
    ...check(
      'service.minTasks',
      Number.isInteger(service.minTasks) && service.minTasks >= 1,
      `${service.minTasks} must be a whole number of at least 1`,
    ),
    ...check(
      'service.maxTasks',
      Number.isInteger(service.maxTasks) && service.maxTasks >= service.minTasks,
      `${service.maxTasks} must be a whole number no smaller than service.minTasks (${service.minTasks})`,
    ),
    ...check(
      'service.imageTag',
      /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(service.imageTag),
      `"${service.imageTag}" is not a valid image tag (1-128 letters, digits, underscores, dots and hyphens)`,
    ),
    ...percent('service.scaleOnCpuPercent', service.scaleOnCpuPercent),
    ...check(
      'service.scaleOnRequestsPerTarget',
      Number.isInteger(service.scaleOnRequestsPerTarget) && service.scaleOnRequestsPerTarget >= 1,
      `${service.scaleOnRequestsPerTarget} must be a whole number of requests per task per minute, at least 1`,
    ),
    ...oneOf('service.logRetentionDays', service.logRetentionDays, LOG_RETENTION_DAYS),
    ...check(
      'environment',
      serviceNamePrefix(config).length <= MAX_SERVICE_NAME_PREFIX,
      `"${serviceNamePrefix(config)}" (project-environment) names each region's load balancer and is ${serviceNamePrefix(config).length} characters; at most ${MAX_SERVICE_NAME_PREFIX} fit`,
    ),
  ];
}

/**
 * Load balancers and target groups allow 32 characters; the service's names are
 * `<project>-<environment>` (regional resources) and that plus `-<region>` (global ones, IAM).
 */
export const MAX_SERVICE_NAME_PREFIX = 29;

/** `<project>-<environment>`: the prefix of every compute and edge resource name. */
export function serviceNamePrefix(config: Pick<DeploymentConfig, 'project' | 'environment'>): string {
  return `${config.project}-${config.environment}`;
}

function dnsRules(config: DeploymentConfig): Problem[] {
  const dns = config.dns;
  const zoneName = dns.hostedZoneName;
  return [
    ...check(
      'dns.domainName',
      isDnsName(dns.domainName),
      `"${dns.domainName}" is not a valid lowercase DNS name with at least two labels, such as api.example.com`,
    ),
    ...(zoneName === undefined
      ? []
      : check(
          'dns.hostedZoneName',
          isDnsName(zoneName) && (dns.domainName === zoneName || dns.domainName.endsWith(`.${zoneName}`)),
          `"${zoneName}" must be a lowercase DNS name equal to dns.domainName (${dns.domainName}) or a parent of it, such as ${dns.domainName.split('.').slice(1).join('.') || 'example.com'}`,
        )),
    ...check(
      'dns.healthCheckPath',
      /^\/[A-Za-z0-9/_.-]*$/.test(dns.healthCheckPath),
      `"${dns.healthCheckPath}" must be a URL path starting with /`,
    ),
    ...oneOf('dns.healthCheckIntervalSeconds', dns.healthCheckIntervalSeconds, [10, 30]),
    ...check(
      'dns.healthCheckFailureThreshold',
      Number.isInteger(dns.healthCheckFailureThreshold) &&
        dns.healthCheckFailureThreshold >= 1 &&
        dns.healthCheckFailureThreshold <= 10,
      `${dns.healthCheckFailureThreshold} is outside 1-10`,
    ),
  ];
}

function isDnsName(name: string): boolean {
  const labels = name.split('.');
  return (
    name.length <= 253 &&
    labels.length >= 2 &&
    labels.every((label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label))
  );
}

function alarmRules(config: DeploymentConfig): Problem[] {
  const alarms = config.alarms;
  return [
    ...check(
      'alarms.target5xxThreshold',
      alarms.target5xxThreshold > 0,
      `${alarms.target5xxThreshold} must be greater than 0`,
    ),
    ...percent('alarms.cpuPercent', alarms.cpuPercent),
    ...percent('alarms.memoryPercent', alarms.memoryPercent),
    ...check(
      'alarms.dynamodbReplicationLatencyMs',
      alarms.dynamodbReplicationLatencyMs > 0,
      `${alarms.dynamodbReplicationLatencyMs} must be greater than 0 milliseconds`,
    ),
    ...check(
      'alarms.auroraReplicationLagMs',
      alarms.auroraReplicationLagMs > 0,
      `${alarms.auroraReplicationLagMs} must be greater than 0 milliseconds`,
    ),
    ...alarms.notificationEmails.flatMap((email, index) =>
      check(
        `alarms.notificationEmails[${index}]`,
        /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email),
        `"${email}" is not an email address`,
      ),
    ),
    ...check('alarms.alb5xxThreshold', alarms.alb5xxThreshold > 0, `${alarms.alb5xxThreshold} must be greater than 0`),
    ...check(
      'alarms.periodSeconds',
      [10, 30].includes(alarms.periodSeconds) || (alarms.periodSeconds > 0 && alarms.periodSeconds % 60 === 0),
      `${alarms.periodSeconds} must be 10, 30 or a multiple of 60`,
    ),
    ...check(
      'alarms.evaluationPeriods',
      Number.isInteger(alarms.evaluationPeriods) &&
        alarms.evaluationPeriods >= 1 &&
        alarms.periodSeconds * alarms.evaluationPeriods <= 86_400,
      `${alarms.evaluationPeriods} must be a whole number of at least 1, with periodSeconds × evaluationPeriods at most one day`,
    ),
  ];
}

function percent(field: string, value: number): Problem[] {
  return check(field, value > 0 && value <= 100, `${value} must be a percentage above 0 and at most 100`);
}

function port(field: string, value: number): Problem[] {
  return check(
    field,
    Number.isInteger(value) && value >= 1 && value <= 65_535,
    `${value} is not a port number (1-65535)`,
  );
}

function oneOf<T extends string | number>(field: string, value: T, allowed: readonly T[], context = ''): Problem[] {
  const shown = typeof value === 'string' ? `"${value}"` : String(value);
  return check(
    field,
    allowed.includes(value),
    `${shown} is not allowed${context ? ` ${context}` : ''}; allowed: ${allowed.join(', ')}`,
  );
}

function check(field: string, ok: boolean, message: string): Problem[] {
  return ok ? [] : [{ field, message }];
}

function problemAt(field: string, message: string | undefined): Problem[] {
  return message === undefined ? [] : [{ field, message }];
}

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, index) => from + index * step);
}
