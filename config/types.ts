/**
 * The deployment configuration: one typed model for every stack. `defaults.ts` holds the values
 * of the seed document; an environment file (environments/<name>.json) overrides any of them.
 */

export interface DeploymentConfig {
  /** Short name used in resource names and the `project` tag. Lowercase letters, digits, hyphens. */
  readonly project: string;
  /** Environment name (`default` when no environment file is chosen); in tags and state keys. */
  readonly environment: string;
  /** The region that holds the DynamoDB table's origin and the Aurora writer. */
  readonly primaryRegion: string;
  /** Every region that serves traffic, primary included. Two or more. */
  readonly regions: readonly RegionConfig[];
  readonly state: StateConfig;
  readonly network: NetworkConfig;
  readonly dynamodb: DynamoDbConfig;
  readonly aurora: AuroraConfig;
  readonly service: ServiceConfig;
  readonly dns: DnsConfig;
  readonly alarms: AlarmConfig;
}

export interface RegionConfig {
  readonly region: string;
  /** The VPC's IPv4 block, /16 to /20. Default `10.<index>.0.0/16` by position in `regions`. */
  readonly vpcCidr: string;
  /** Full zone names, two to six. Default `<region>a`, `<region>b`, `<region>c`. */
  readonly availabilityZones: readonly string[];
  /** Aurora instances in this region's cluster. Default: `aurora.instanceClass` × `aurora.instancesPerRegion`. */
  readonly aurora: RegionalAuroraConfig;
}

export interface RegionalAuroraConfig {
  readonly instanceClass: string;
  readonly instanceCount: number;
}

export interface StateConfig {
  /**
   * S3 bucket for Terraform state. Default: none, which keeps state in local files under
   * `.terraform-state/<environment>/` at the project root.
   */
  readonly bucket?: string;
  /** Region of the state bucket. Default: the primary region. */
  readonly bucketRegion?: string;
}

export type NatGatewayMode = 'per-az' | 'single';

export interface NetworkConfig {
  /**
   * First part of the VPC's name, `<namePrefix>-<region>` (`main-us-east-1` in the seed). Names of
   * the network's IAM roles and log groups derive from it, so environments sharing an account
   * need different prefixes.
   */
  readonly namePrefix: string;
  /** `per-az` (default) survives the loss of a zone; `single` shares one NAT gateway to save cost. */
  readonly natGateways: NatGatewayMode;
  /** Retention of the VPC flow-log group, in days. Default 365. */
  readonly flowLogRetentionDays: number;
}

export type DynamoConsistency = 'eventual' | 'strong';
export type BillingMode = 'PAY_PER_REQUEST' | 'PROVISIONED';

export interface DynamoDbConfig {
  readonly tableName: string;
  readonly hashKey: string;
  readonly billingMode: BillingMode;
  /**
   * `eventual` (MREC, default): last writer wins across regions. `strong` (MRSC): every write is
   * replicated synchronously; needs three replicas, or two and a witness, in one region set.
   */
  readonly consistency: DynamoConsistency;
  /** MRSC witness region (strong mode with two replicas only). Default: none. */
  readonly witnessRegion?: string;
  /** Capacity limits of `PROVISIONED` billing, which auto scaling moves between; unused otherwise. */
  readonly provisionedCapacity: ProvisionedCapacityConfig;
}

export interface CapacityRangeConfig {
  readonly min: number;
  readonly max: number;
}

export interface ProvisionedCapacityConfig {
  /** Read capacity units of the table and of each index. Default 5-100. */
  readonly read: CapacityRangeConfig;
  /** Write capacity units of the table and of each index. Default 5-100. */
  readonly write: CapacityRangeConfig;
  /** Consumed capacity, as a percentage of provisioned, that auto scaling holds (20-90). Default 70. */
  readonly targetUtilizationPercent: number;
}

export interface AuroraConfig {
  readonly globalClusterIdentifier: string;
  readonly engine: 'aurora-mysql';
  readonly engineVersion: string;
  readonly databaseName: string;
  /** The master user, whose generated password lives in the replicated database secret. */
  readonly masterUsername: string;
  readonly deletionProtection: boolean;
  /** Days of Aurora's automated backups (1-35), for point-in-time restore; deleted with a cluster. */
  readonly backupRetentionDays: number;
  /**
   * Days AWS Backup keeps each region's daily recovery point (1-36500); they outlive a deleted
   * cluster. Default 35.
   */
  readonly backupPlanRetentionDays: number;
  /** Memory-optimized class used where a region does not set its own. */
  readonly instanceClass: string;
  /** Instances per regional cluster where a region does not set its own. */
  readonly instancesPerRegion: number;
  /** Let secondary clusters forward writes to the writer region. Fixed at creation. */
  readonly writeForwarding: boolean;
  /** Retention of the published database logs (audit, error, slow query), in days. Default 365. */
  readonly logRetentionDays: number;
}

export interface ServiceConfig {
  readonly containerPort: number;
  /** Fargate task CPU units (256, 512, 1024, 2048, 4096). */
  readonly cpu: number;
  /** Fargate task memory in MiB, valid for the chosen CPU. */
  readonly memoryMiB: number;
  readonly minTasks: number;
  readonly maxTasks: number;
  /** Image tag deployed in every region; `IMAGE_TAG` in the environment overrides it at synth. */
  readonly imageTag: string;
  /**
   * Scale between minTasks and maxTasks on CPU and on ALB requests per target (true, default);
   * false runs exactly minTasks and lets Terraform own the desired count.
   */
  readonly autoScaling: boolean;
  /** Target average CPU utilization (%) that auto scaling holds. Default 60. */
  readonly scaleOnCpuPercent: number;
  /** Target ALB requests per task per minute that auto scaling holds. Default 1000. */
  readonly scaleOnRequestsPerTarget: number;
  /** Retention of the service's log group, in days (a value CloudWatch Logs accepts). Default 365. */
  readonly logRetentionDays: number;
  /**
   * Load balancers refuse deletion (true, default). Set false and apply before destroying the
   * app stacks.
   */
  readonly deletionProtection: boolean;
}

export interface DnsConfig {
  readonly domainName: string;
  /**
   * Public hosted zone that holds `domainName` and the regional names: the domain itself or a
   * parent of it. Default: `domainName`.
   */
  readonly hostedZoneName?: string;
  /** Create the hosted zone (true) or look up an existing one (false, default). */
  readonly createHostedZone: boolean;
  readonly healthCheckPath: string;
  /** Route 53 health-check interval in seconds: 10 or 30. */
  readonly healthCheckIntervalSeconds: number;
  readonly healthCheckFailureThreshold: number;
}

export interface AlarmConfig {
  /** ALB 5XX count (Sum over one period) above which the alarm fires. */
  readonly alb5xxThreshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  /** Target (task) 5XX count (Sum over one period) above which the alarm fires. Default 50. */
  readonly target5xxThreshold: number;
  /** Average ECS service CPU utilization (%) above which the alarm fires. Default 80. */
  readonly cpuPercent: number;
  /** Average ECS service memory utilization (%) above which the alarm fires. Default 80. */
  readonly memoryPercent: number;
  /** DynamoDB `ReplicationLatency` (ms, average) to any other region above which the alarm fires. Default 30000. */
  readonly dynamodbReplicationLatencyMs: number;
  /** Aurora `AuroraGlobalDBReplicationLag` (ms, maximum) above which the alarm fires. Default 5000. */
  readonly auroraReplicationLagMs: number;
  /** Email addresses subscribed to every alert topic (each must confirm). Default none. */
  readonly notificationEmails: readonly string[];
}
