import type { DeploymentConfig } from './types.js';

/** Regions of the seed document, primary first. */
export const DEFAULT_REGIONS: readonly string[] = ['us-east-1', 'eu-west-1'];

/** Zone letters of the seed document's three-AZ layout. */
export const DEFAULT_ZONE_LETTERS: readonly string[] = ['a', 'b', 'c'];

/**
 * The seed document's values for everything but the per-region entries, which `load.ts` fills
 * from `DEFAULT_REGIONS` (or an environment's `regions`) and `defaultVpcCidr`.
 */
export const DEFAULT_SETTINGS: Omit<DeploymentConfig, 'regions'> = {
  project: 'orders',
  environment: 'default',
  primaryRegion: 'us-east-1',
  state: {},
  network: {
    namePrefix: 'main',
    natGateways: 'per-az',
    flowLogRetentionDays: 365,
  },
  dynamodb: {
    tableName: 'Orders',
    hashKey: 'orderId',
    billingMode: 'PAY_PER_REQUEST',
    consistency: 'eventual',
    provisionedCapacity: {
      read: { min: 5, max: 100 },
      write: { min: 5, max: 100 },
      targetUtilizationPercent: 70,
    },
  },
  aurora: {
    globalClusterIdentifier: 'my-global-db',
    engine: 'aurora-mysql',
    // A current LTS release; the seed document pinned 8.0.mysql_aurora.3.04.0 (the older LTS line).
    engineVersion: '8.0.mysql_aurora.3.10.0',
    databaseName: 'orders',
    masterUsername: 'orders_admin',
    deletionProtection: true,
    backupRetentionDays: 7,
    backupPlanRetentionDays: 35,
    instanceClass: 'db.r6g.large',
    instancesPerRegion: 1,
    writeForwarding: false,
    logRetentionDays: 365,
  },
  service: {
    containerPort: 3000,
    cpu: 512,
    memoryMiB: 1024,
    minTasks: 2,
    maxTasks: 10,
    imageTag: 'latest',
    autoScaling: true,
    scaleOnCpuPercent: 60,
    scaleOnRequestsPerTarget: 1000,
    logRetentionDays: 365,
    deletionProtection: true,
  },
  dns: {
    domainName: 'api.example.com',
    createHostedZone: false,
    healthCheckPath: '/health',
    healthCheckIntervalSeconds: 10,
    healthCheckFailureThreshold: 2,
  },
  alarms: {
    alb5xxThreshold: 50,
    periodSeconds: 60,
    evaluationPeriods: 2,
    target5xxThreshold: 50,
    cpuPercent: 80,
    memoryPercent: 80,
    dynamodbReplicationLatencyMs: 30_000,
    auroraReplicationLagMs: 5_000,
    notificationEmails: [],
  },
};

/** `10.<index>.0.0/16`: non-overlapping blocks by position, so the VPCs can be peered. */
export function defaultVpcCidr(index: number): string {
  return `10.${index}.0.0/16`;
}
