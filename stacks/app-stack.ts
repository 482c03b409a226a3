import { DataAwsEcrImages } from '@cdktf/provider-aws/lib/data-aws-ecr-images';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Fn, TerraformOutput, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { AlertTopic } from '../modules/alert-topic/index.js';
import { FargateService, tableAccessStatements } from '../modules/fargate-service/index.js';
import { GeneratedSecret } from '../modules/generated-secret/index.js';
import { LoadBalancer } from '../modules/load-balancer/index.js';
import { RegionalAlarms, type LogMetric } from '../modules/regional-alarms/index.js';
import { serviceNamePrefix, type DeploymentConfig, type RegionConfig } from '../config/index.js';
import type { DataStack, RegionalData } from './data-stack.js';
import { DeploymentStack } from './deployment-stack.js';
import type { CertificateStack } from './certificate-stack.js';
import type { NetworkStack } from './network-stack.js';
import type { RegistryStack } from './registry-stack.js';
import { HEALTH_PATHS, SERVICE_ENV, TABLE_ACTIONS, WRITER_UNREACHABLE_LOG } from '../service/src/contract.js';

/**
 * Seconds the load balancer keeps sending in-flight requests to a deregistering task. The
 * service drains for at most 25 s after SIGTERM and the task's stop timeout is 30 s, so the
 * order stopTimeout (30) > deregistration delay (15) holds and no request outlives its task.
 */
const DEREGISTRATION_DELAY_SECONDS = 15;
/** Seconds ECS waits after SIGTERM before SIGKILL. */
const STOP_TIMEOUT_SECONDS = 30;
/** ALB idle timeout: below the service's 72 s keep-alive, so the load balancer closes idle connections first. */
const IDLE_TIMEOUT_SECONDS = 60;
/** The metric the service's "writer unreachable" log lines are counted into, per region (no dimensions). */
export function writerUnreachableMetric(config: DeploymentConfig): LogMetric {
  return { namespace: `${config.project}/${config.environment}`, metricName: 'WriterUnreachable' };
}

/**
 * What `app-<region>` is built from: the region's network, and the stacks whose `forRegion` gives
 * its data, image and certificate.
 */
export interface AppStackInputs {
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly registry: RegistryStack;
  readonly certificates: CertificateStack;
}

/**
 * `app-<region>`: one region's compute and its alarms. The load balancer (HTTPS, WAF, access
 * logs), the Fargate service reading that region's table replica, Aurora cluster and secret
 * replica, a drill-token secret, the region's alert topic and alarms.
 */
export class AppStack extends DeploymentStack {
  readonly region: string;
  readonly data: RegionalData;
  readonly loadBalancer: LoadBalancer;
  readonly service: FargateService;
  readonly alerts: AlertTopic;

  constructor(scope: Construct, config: DeploymentConfig, regionConfig: RegionConfig, inputs: AppStackInputs) {
    const { region } = regionConfig;
    super(scope, `app-${region}`, config);
    // Fully qualified, like aws, so Terraform and OpenTofu resolve the same provider.
    this.addOverride('terraform.required_providers.random.source', 'hashicorp/random');
    this.region = region;
    this.data = inputs.data.forRegion(region);
    const image = inputs.registry.forRegion(region);
    const provider = this.providerFor(region);
    const prefix = serviceNamePrefix(config);
    const { network } = inputs.network;
    const { service } = config;

    this.loadBalancer = new LoadBalancer(this, 'load-balancer', {
      provider,
      name: prefix,
      vpcId: network.vpcId,
      subnetIds: network.publicSubnetIds,
      securityGroupId: network.loadBalancerSecurityGroupId,
      certificateArn: inputs.certificates.forRegion(region).certificateArn,
      targetPort: service.containerPort,
      // The shallow route: the deep one (database and table) is for Route 53, which moves traffic
      // away from a region; if the load balancer used it, a database outage would mark every task
      // unhealthy and ECS would replace healthy tasks in a loop, turning a degraded region into a
      // down one.
      healthCheckPath: HEALTH_PATHS.liveness,
      idleTimeoutSeconds: IDLE_TIMEOUT_SECONDS,
      deregistrationDelaySeconds: DEREGISTRATION_DELAY_SECONDS,
      deletionProtection: service.deletionProtection,
      logRetentionDays: service.logRetentionDays,
    });

    const drillToken = new GeneratedSecret(this, 'drill-token', {
      provider,
      randomProvider: new RandomProvider(this, 'random'),
      name: `${prefix}/${region}/drill-token`,
      description: `Failover drill token of ${region}: requests that carry it make this region's deep health check fail`,
      // A random token the next create generates anew: deleted at once on destroy, so the same
      // name can be created again right away (Secrets Manager User Guide, "Delete an AWS Secrets
      // Manager secret": a secret in its recovery window keeps its name).
      recoveryWindowInDays: 0,
    });

    // The first deploy: `cdktf deploy '*'` would reach this stack before anyone could push the
    // image (the registry is created in the same run), and ECS would start tasks that cannot pull
    // it. Listing the region's repository at plan time refuses the plan, with the fix in the
    // message, until the tag is there (replication included); docs/deploy.md, "Deploy order".
    const repositoryName = Token.asString(Fn.element(Fn.split(':repository/', image.repositoryArn), 1));
    const { imageTag } = service;
    new DataAwsEcrImages(this, 'image-check', {
      provider,
      repositoryName,
      lifecycle: {
        postcondition: [
          {
            condition: `\${contains(self.image_ids[*].image_tag, ${JSON.stringify(imageTag)})}`,
            errorMessage: `The image tag "${imageTag}" (service.imageTag / IMAGE_TAG) is not in the ${region} repository \${self.repository_name} yet. Build and push it to the registry stack's push_repository_url and wait for replication to ${region} before applying app-${region} (docs/deploy.md, "Deploy order", step 4).`,
          },
        ],
      },
    });

    const { data } = this;
    this.service = new FargateService(this, 'service', {
      provider,
      name: `${prefix}-${region}`,
      image: image.image,
      repositoryArn: image.repositoryArn,
      containerPort: service.containerPort,
      cpu: service.cpu,
      memoryMiB: service.memoryMiB,
      environment: {
        [SERVICE_ENV.port]: String(service.containerPort),
        [SERVICE_ENV.region]: region,
        [SERVICE_ENV.table]: data.tableName,
        [SERVICE_ENV.consistency]: config.dynamodb.consistency,
        [SERVICE_ENV.writerHost]: data.databaseWriterEndpoint,
        [SERVICE_ENV.readerHost]: data.databaseReaderEndpoint,
        [SERVICE_ENV.databasePort]: String(data.databasePort),
        [SERVICE_ENV.databaseName]: data.databaseName,
      },
      secrets: [
        { name: SERVICE_ENV.credentials, secretArn: data.databaseSecretArn, keyArn: data.databaseSecretKeyArn },
        { name: SERVICE_ENV.drillToken, secretArn: drillToken.secretArn, keyArn: drillToken.keyArn },
      ],
      taskPermissions: tableAccessStatements({
        region,
        tableArn: data.tableArn,
        keyArn: data.tableKeyArn,
        actions: TABLE_ACTIONS,
      }),
      subnetIds: network.privateSubnetIds,
      securityGroupIds: [network.serviceSecurityGroupId],
      target: this.loadBalancer,
      scaling: {
        enabled: service.autoScaling,
        minTasks: service.minTasks,
        maxTasks: service.maxTasks,
        cpuPercent: service.scaleOnCpuPercent,
        requestsPerTarget: service.scaleOnRequestsPerTarget,
      },
      stopTimeoutSeconds: STOP_TIMEOUT_SECONDS,
      healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
      logRetentionDays: service.logRetentionDays,
    });

    const { alarms } = config;
    this.alerts = new AlertTopic(this, 'alerts', {
      provider,
      name: `${prefix}-${region}-alerts`,
      emailEndpoints: alarms.notificationEmails,
    });
    new RegionalAlarms(this, 'alarms', {
      topic: this.alerts,
      provider,
      serviceLogGroupName: this.service.logGroupName,
      writerUnreachableLog: WRITER_UNREACHABLE_LOG,
      writerUnreachableMetric: writerUnreachableMetric(config),
      databaseIsSecondary: region !== config.primaryRegion,
      loadBalancerArnSuffix: this.loadBalancer.loadBalancerArnSuffix,
      targetGroupArnSuffix: this.loadBalancer.targetGroupArnSuffix,
      clusterName: this.service.clusterName,
      serviceName: this.service.serviceName,
      tableName: data.tableName,
      otherRegions: config.regions.map((entry) => entry.region).filter((other) => other !== region),
      databaseClusterIdentifier: data.databaseClusterIdentifier,
      thresholds: {
        loadBalancer5xx: alarms.alb5xxThreshold,
        target5xx: alarms.target5xxThreshold,
        cpuPercent: alarms.cpuPercent,
        memoryPercent: alarms.memoryPercent,
        tableReplicationLatencyMs: alarms.dynamodbReplicationLatencyMs,
        databaseReplicationLagMs: alarms.auroraReplicationLagMs,
        periodSeconds: alarms.periodSeconds,
        evaluationPeriods: alarms.evaluationPeriods,
      },
    });

    new TerraformOutput(this, 'load_balancer_dns_name', { value: this.loadBalancer.dnsName });
    new TerraformOutput(this, 'cluster_name', { value: this.service.clusterName });
    new TerraformOutput(this, 'service_name', { value: this.service.serviceName });
    new TerraformOutput(this, 'alert_topic_arn', { value: this.alerts.topicArn });
    new TerraformOutput(this, 'drill_token_secret_arn', { value: drillToken.secretArn });
  }
}
