/**
 * The fields an environment file may set, with their JSON types. Checking a file against this
 * shape catches typos (`vpcCIDR`) and wrong types before any value rule runs.
 */

type Scalar = 'string' | 'number' | 'boolean';
export type FieldShape = Scalar | 'string[]' | ObjectShape | ListShape;
export interface ObjectShape {
  readonly [field: string]: FieldShape;
}
export interface ListShape {
  readonly listOf: ObjectShape;
}

const REGION_SHAPE: ObjectShape = {
  region: 'string',
  vpcCidr: 'string',
  availabilityZones: 'string[]',
  aurora: { instanceClass: 'string', instanceCount: 'number' },
};

export const ENVIRONMENT_FILE_SHAPE: ObjectShape = {
  project: 'string',
  primaryRegion: 'string',
  regions: { listOf: REGION_SHAPE },
  state: { bucket: 'string', bucketRegion: 'string' },
  network: { namePrefix: 'string', natGateways: 'string', flowLogRetentionDays: 'number' },
  dynamodb: {
    tableName: 'string',
    hashKey: 'string',
    billingMode: 'string',
    consistency: 'string',
    witnessRegion: 'string',
    provisionedCapacity: {
      read: { min: 'number', max: 'number' },
      write: { min: 'number', max: 'number' },
      targetUtilizationPercent: 'number',
    },
  },
  aurora: {
    globalClusterIdentifier: 'string',
    engine: 'string',
    engineVersion: 'string',
    databaseName: 'string',
    masterUsername: 'string',
    deletionProtection: 'boolean',
    backupRetentionDays: 'number',
    backupPlanRetentionDays: 'number',
    instanceClass: 'string',
    instancesPerRegion: 'number',
    writeForwarding: 'boolean',
    logRetentionDays: 'number',
  },
  service: {
    containerPort: 'number',
    cpu: 'number',
    memoryMiB: 'number',
    minTasks: 'number',
    maxTasks: 'number',
    imageTag: 'string',
    autoScaling: 'boolean',
    scaleOnCpuPercent: 'number',
    scaleOnRequestsPerTarget: 'number',
    logRetentionDays: 'number',
    deletionProtection: 'boolean',
  },
  dns: {
    domainName: 'string',
    hostedZoneName: 'string',
    createHostedZone: 'boolean',
    healthCheckPath: 'string',
    healthCheckIntervalSeconds: 'number',
    healthCheckFailureThreshold: 'number',
  },
  alarms: {
    alb5xxThreshold: 'number',
    periodSeconds: 'number',
    evaluationPeriods: 'number',
    target5xxThreshold: 'number',
    cpuPercent: 'number',
    memoryPercent: 'number',
    dynamodbReplicationLatencyMs: 'number',
    auroraReplicationLagMs: 'number',
    notificationEmails: 'string[]',
  },
};

export interface Problem {
  /** Dotted path of the field, with list indexes: `regions[1].vpcCidr`. */
  readonly field: string;
  readonly message: string;
}

/**
 * Returns `value` with every unknown field and every value of the wrong JSON type removed (so the
 * defaults stand in for them), and records a problem for each removal in `problems`.
 */
export function sanitize(value: unknown, shape: FieldShape, field: string, problems: Problem[]): unknown {
  if (typeof shape === 'string') {
    if (matchesLeaf(value, shape)) return value;
    problems.push({
      field,
      message: `must be ${shape === 'string[]' ? 'a list of strings' : `a ${shape}`}, got ${describe(value)}`,
    });
    return undefined;
  }
  if ('listOf' in shape) {
    if (Array.isArray(value)) {
      return value.map((item, index) => sanitize(item, shape.listOf, `${field}[${index}]`, problems) ?? {});
    }
    problems.push({ field, message: `must be a list, got ${describe(value)}` });
    return undefined;
  }
  if (!isPlainObject(value)) {
    problems.push({ field: field || '(file)', message: `must be an object, got ${describe(value)}` });
    return undefined;
  }
  const objectShape = shape as ObjectShape;
  const clean: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childField = field ? `${field}.${key}` : key;
    const childShape = objectShape[key];
    if (childShape === undefined) {
      problems.push({ field: childField, message: `unknown field; allowed: ${Object.keys(objectShape).join(', ')}` });
      continue;
    }
    const cleanChild = sanitize(child, childShape, childField, problems);
    if (cleanChild !== undefined) clean[key] = cleanChild;
  }
  return clean;
}

function matchesLeaf(value: unknown, shape: Scalar | 'string[]'): boolean {
  if (shape === 'string[]') return Array.isArray(value) && value.every((item) => typeof item === 'string');
  return typeof value === shape && !(shape === 'number' && !Number.isFinite(value));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `"${value}"` : `${typeof value} ${JSON.stringify(value)}`;
}
