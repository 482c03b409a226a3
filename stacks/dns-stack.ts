import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { AlertTopic } from '../modules/alert-topic/index.js';
import { ServiceDashboard } from '../modules/dashboard/index.js';
import { LatencyRouting, regionalName } from '../modules/latency-routing/index.js';
import { serviceNamePrefix, type DeploymentConfig } from '../config/index.js';
import { writerUnreachableMetric, type AppStack } from './app-stack.js';
import { DeploymentStack } from './deployment-stack.js';
import { hostedZoneIdIn, type ZoneStack } from './zone-stack.js';
import { HEALTH_PATHS } from '../service/src/contract.js';

/** Route 53 publishes health-check metrics only here, so their alarms must live here too. */
export const HEALTH_CHECK_METRICS_REGION = 'us-east-1';

/**
 * `dns` (last): latency routing of the shared name across every region's load balancer, each
 * region's direct name, the HTTPS health checks of the deep `/health` route and their alarms
 * (in us-east-1 whatever the serving regions), and the dashboard that shows every region side
 * by side.
 */
export class DnsStack extends DeploymentStack {
  readonly routing: LatencyRouting;

  constructor(scope: Construct, config: DeploymentConfig, apps: readonly AppStack[], zoneStack: ZoneStack | undefined) {
    super(scope, 'dns', config);
    const globalProvider = this.providerFor(HEALTH_CHECK_METRICS_REGION);
    const prefix = serviceNamePrefix(config);
    const { dns } = config;

    this.routing = new LatencyRouting(this, 'routing', {
      provider: globalProvider,
      zoneId: hostedZoneIdIn(this, globalProvider, zoneStack),
      domainName: dns.domainName,
      regions: apps.map((app) => ({
        region: app.region,
        loadBalancerDnsName: app.loadBalancer.dnsName,
        loadBalancerZoneId: app.loadBalancer.hostedZoneId,
      })),
      healthCheckPath: HEALTH_PATHS.deep,
      healthCheckIntervalSeconds: dns.healthCheckIntervalSeconds,
      healthCheckFailureThreshold: dns.healthCheckFailureThreshold,
    });

    const alerts = new AlertTopic(this, 'health-check-alerts', {
      provider: globalProvider,
      name: `${prefix}-health-check-alerts`,
      emailEndpoints: config.alarms.notificationEmails,
    });
    for (const app of apps) {
      alerts.alarm({
        name: `health-check-${app.region}`,
        description: `Route 53 sees ${regionalName(app.region, dns.domainName)}${HEALTH_PATHS.deep} failing: the region is out of latency routing. Check its alarms and dashboard row.`,
        metric: {
          namespace: 'AWS/Route53',
          metricName: 'HealthCheckStatus',
          dimensions: { HealthCheckId: this.routing.forRegion(app.region).healthCheckId },
          statistic: 'Minimum',
        },
        comparison: 'LessThanThreshold',
        threshold: 1,
        // The health check already waits for healthCheckFailureThreshold failures; one minute of
        // unhealthy is news, so one unhealthy minute of the last three alarms. Three periods
        // rather than one so that a single late data point (missing, below) does not flip the alarm
        // to INSUFFICIENT_DATA and page: that takes three minutes without data.
        periodSeconds: 60,
        evaluationPeriods: 3,
        datapointsToAlarm: 1,
        // Not 'breaching': a new health check publishes nothing until Route 53's checkers have
        // reported, so a breaching alarm fired on every apply that created or replaced a check.
        // 'missing' leaves a new check's alarm in INSUFFICIENT_DATA, the state every alarm starts
        // in (no transition, no notification), until the first data point turns it OK. A check
        // that stops reporting (deleted, broken) moves the alarm from OK to INSUFFICIENT_DATA, a
        // transition the INSUFFICIENT_DATA action reports to the same topic, so silence is still
        // noticed; unhealthy data (Minimum < 1) still alarms. CloudWatch User Guide, "Configuring
        // how CloudWatch alarms treat missing data" and "Alarm states".
        treatMissingData: 'missing',
        notifyOnInsufficientData: true,
      });
    }

    const dashboard = new ServiceDashboard(this, 'dashboard', {
      provider: this.providerFor(config.primaryRegion),
      name: prefix,
      regions: apps.map((app) => ({
        region: app.region,
        loadBalancerArnSuffix: app.loadBalancer.loadBalancerArnSuffix,
        targetGroupArnSuffix: app.loadBalancer.targetGroupArnSuffix,
        clusterName: app.service.clusterName,
        serviceName: app.service.serviceName,
        tableName: app.data.tableName,
        databaseClusterIdentifier: app.data.databaseClusterIdentifier,
        healthCheckId: this.routing.forRegion(app.region).healthCheckId,
        otherRegions: config.regions.map((entry) => entry.region).filter((other) => other !== app.region),
        writerUnreachableMetric: writerUnreachableMetric(config),
      })),
    });

    new TerraformOutput(this, 'health_check_ids', {
      value: Object.fromEntries(apps.map((app) => [app.region, this.routing.forRegion(app.region).healthCheckId])),
    });
    new TerraformOutput(this, 'dashboard_name', { value: dashboard.dashboardName });
  }
}
