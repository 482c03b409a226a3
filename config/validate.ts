/**
 * The rules that span several fields. Each field's own type and constraints are declared with it
 * in schema.ts; these run after those checks, on a configuration whose bad fields were replaced by
 * their defaults, so each problem is reported once.
 */
import { identifierProblems } from '../modules/aurora-global-database/rules.js';
import { capacityProblems, consistencyProblems } from '../modules/dynamodb-global-table/rules.js';
import { cidrsOverlap, parseCidr, type Ipv4Cidr } from '../modules/regional-network/cidr.js';
import type { Problem } from './check.js';
import { zoneBelongsToRegion } from './regions.js';
import type { DeploymentConfig, RegionConfig } from './schema.js';

/** A rule across fields: every problem it finds in a configuration whose fields are each valid. */
export type ConfigRule = (config: DeploymentConfig) => Problem[];

/** Fargate's valid CPU units and, for each, the memory sizes (MiB) it accepts. */
const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
};

const RULES: readonly ConfigRule[] = [
  environmentRules,
  regionListRules,
  zoneRules,
  overlappingCidrRule,
  stateRules,
  dynamoDbRules,
  auroraRules,
  serviceRules,
  dnsRules,
  alarmRules,
  sharedAccountRules,
];

/** Every problem in `config`, in a stable order (empty when it is valid). */
export function validateConfig(config: DeploymentConfig, extraRules: readonly ConfigRule[] = []): Problem[] {
  return [...RULES, ...extraRules].flatMap((rule) => rule(config));
}

/** The environment's name comes from `DEPLOY_ENV`, not from a file, and names resources with the project. */
function environmentRules(config: DeploymentConfig): Problem[] {
  const prefix = serviceNamePrefix(config);
  return [
    ...check(
      'environment',
      /^[a-z][a-z0-9-]{0,19}$/.test(config.environment),
      `"${config.environment}" must be 1-20 lowercase letters, digits or hyphens, starting with a letter (it names the environment file)`,
    ),
    ...check(
      'environment',
      prefix.length <= MAX_SERVICE_NAME_PREFIX,
      `"${prefix}" (project-environment) names each region's load balancer and is ${prefix.length} characters; at most ${MAX_SERVICE_NAME_PREFIX} fit`,
    ),
  ];
}

function regionListRules(config: DeploymentConfig): Problem[] {
  const names = config.regions.map((entry) => entry.region);
  const problems: Problem[] = [];
  names.forEach((name, index) => {
    if (name !== undefined && names.indexOf(name) !== index) {
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
      `"${config.primaryRegion}" is not one of the configured regions (${names.filter(Boolean).join(', ') || 'none'})`,
    ),
  );
  return problems;
}

function zoneRules(config: DeploymentConfig): Problem[] {
  return config.regions.flatMap((entry: RegionConfig, regionIndex) => {
    if (entry.region === undefined) return [];
    const zones = entry.availabilityZones;
    const problems: Problem[] = [];
    zones.forEach((zone, index) => {
      const field = `regions[${regionIndex}].availabilityZones[${index}]`;
      if (!zoneBelongsToRegion(zone, entry.region)) {
        problems.push({
          field,
          message: `"${zone}" is not a zone of ${entry.region}; zone names are the region followed by one letter, such as ${entry.region}a`,
        });
      } else if (zones.indexOf(zone) !== index) {
        problems.push({ field, message: `"${zone}" is listed more than once` });
      }
    });
    return problems;
  });
}

function overlappingCidrRule(config: DeploymentConfig): Problem[] {
  const parsed = config.regions.map((entry) => parseCidr(entry.vpcCidr));
  const problems: Problem[] = [];
  parsed.forEach((cidr, index) => {
    const earlier = parsed.findIndex(
      (other: Ipv4Cidr | undefined, otherIndex) =>
        otherIndex < index && cidr !== undefined && other !== undefined && cidrsOverlap(cidr, other),
    );
    const [entry, other] = [config.regions[index], config.regions[earlier]];
    if (earlier >= 0 && entry !== undefined && other !== undefined) {
      problems.push({
        field: `regions[${index}].vpcCidr`,
        message: `"${entry.vpcCidr}" overlaps ${other.region}'s ${other.vpcCidr}; regional VPCs must not overlap so they can be peered`,
      });
    }
  });
  return problems;
}

function stateRules(config: DeploymentConfig): Problem[] {
  const { bucket, bucketRegion } = config.state;
  if (bucketRegion === undefined) return [];
  return check('state.bucketRegion', bucket !== undefined, 'is set but state.bucket is not; set both or neither');
}

function dynamoDbRules(config: DeploymentConfig): Problem[] {
  const { consistency, witnessRegion, provisionedCapacity } = config.dynamodb;
  // The percentage is checked with its declaration; the ranges span min and max.
  const ranges = capacityProblems(provisionedCapacity).filter(
    (problem) => problem.field !== 'targetUtilizationPercent',
  );
  const choice = {
    mode: consistency,
    replicaRegions: config.regions.map((entry) => entry.region),
    ...(witnessRegion === undefined ? {} : { witnessRegion }),
  };
  return [
    ...ranges.map((problem) => ({
      field: `dynamodb.provisionedCapacity.${problem.field}`,
      message: problem.message,
    })),
    ...consistencyProblems(choice).map((problem) => ({
      field: problem.subject === 'witness' ? 'dynamodb.witnessRegion' : 'dynamodb.consistency',
      message: problem.message,
    })),
  ];
}

function auroraRules(config: DeploymentConfig): Problem[] {
  const placements = config.regions.map((entry) => ({
    region: entry.region,
    instanceCount: entry.aurora.instanceCount,
  }));
  return identifierProblems(config.aurora.globalClusterIdentifier, placements).map((message) => ({
    field: 'aurora.globalClusterIdentifier',
    message,
  }));
}

function serviceRules(config: DeploymentConfig): Problem[] {
  const service = config.service;
  const memoryChoices = FARGATE_MEMORY[service.cpu];
  return [
    ...(memoryChoices === undefined
      ? []
      : check(
          'service.memoryMiB',
          memoryChoices.includes(service.memoryMiB),
          `${service.memoryMiB} is not allowed for ${service.cpu} CPU units; allowed: ${memoryChoices.join(', ')}`,
        )),
    ...check(
      'service.maxTasks',
      service.maxTasks >= service.minTasks,
      `${service.maxTasks} must be a whole number no smaller than service.minTasks (${service.minTasks})`,
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
  const { domainName, hostedZoneName } = config.dns;
  if (hostedZoneName === undefined) return [];
  return check(
    'dns.hostedZoneName',
    isDnsName(hostedZoneName) && (domainName === hostedZoneName || domainName.endsWith(`.${hostedZoneName}`)),
    `"${hostedZoneName}" must be a lowercase DNS name equal to dns.domainName (${domainName}) or a parent of it, such as ${domainName.split('.').slice(1).join('.') || 'example.com'}`,
  );
}

export function isDnsName(name: string): boolean {
  const labels = name.split('.');
  return (
    name.length <= 253 &&
    labels.length >= 2 &&
    labels.every((label) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label))
  );
}

function alarmRules(config: DeploymentConfig): Problem[] {
  const { evaluationPeriods, periodSeconds } = config.alarms;
  return check(
    'alarms.evaluationPeriods',
    evaluationPeriods >= 1 && periodSeconds * evaluationPeriods <= 86_400,
    `${evaluationPeriods} must be a whole number of at least 1, with periodSeconds × evaluationPeriods at most one day`,
  );
}

/**
 * The default environment's names (the seed document's), which every resource named after them
 * takes: the table, the global cluster (and its regional clusters, vault, roles and key aliases),
 * the VPCs and network roles, and the DNS records of the API.
 */
export const DEFAULT_ENVIRONMENT_NAMES = {
  'dynamodb.tableName': 'Orders',
  'aurora.globalClusterIdentifier': 'my-global-db',
  'network.namePrefix': 'main',
  'dns.domainName': 'api.example.com',
} as const;

/**
 * An environment that shares its account with others must not take the default environment's
 * names: DynamoDB table names, cluster identifiers, IAM role and log group names are unique per
 * account (and region), and two environments writing the same DNS records take each other's
 * traffic. Environments of their own account keep the defaults freely.
 */
function sharedAccountRules(config: DeploymentConfig): Problem[] {
  if (!config.sharedAccount || config.environment === 'default') return [];
  const values: Record<keyof typeof DEFAULT_ENVIRONMENT_NAMES, string> = {
    'dynamodb.tableName': config.dynamodb.tableName,
    'aurora.globalClusterIdentifier': config.aurora.globalClusterIdentifier,
    'network.namePrefix': config.network.namePrefix,
    'dns.domainName': config.dns.domainName,
  };
  return Object.entries(DEFAULT_ENVIRONMENT_NAMES).flatMap(([field, name]) =>
    check(
      field,
      values[field as keyof typeof DEFAULT_ENVIRONMENT_NAMES] !== name,
      `"${name}" is the default environment's; environment "${config.environment}" shares the account (sharedAccount), so it needs a name of its own, such as "${suggestedName(field, name, config.environment)}"`,
    ),
  );
}

function suggestedName(field: string, name: string, environment: string): string {
  if (field === 'dns.domainName') {
    const [first, ...rest] = name.split('.');
    return [first, environment, ...rest].join('.');
  }
  return `${name}-${environment}`;
}

function check(field: string, ok: boolean, message: string): Problem[] {
  return ok ? [] : [{ field, message }];
}

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, index) => from + index * step);
}
