import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Construct } from 'constructs';
import { placementProblems, RegionalValues } from '../regions.js';
import { oneOf, PropChecks, URL_PATH, wholeNumber } from '../validation.js';

/** One region's entry point. */
export interface RegionalEndpoint {
  readonly region: string;
  /** DNS name of the region's load balancer. */
  readonly loadBalancerDnsName: string;
  /** The load balancer's canonical hosted zone, for the alias. */
  readonly loadBalancerZoneId: string;
}

/** What the routing holds for one region. */
export interface RegionalRouting {
  /** The Route 53 health check of the region's direct name (its metrics are in us-east-1). */
  readonly healthCheckId: string;
}

export interface LatencyRoutingProps {
  /**
   * Provider for the records and health checks. Route 53 is global; health-check metrics are
   * published in us-east-1, so pass that region's provider.
   */
  readonly provider: AwsProvider;
  readonly zoneId: string;
  /** The shared name clients use, such as `api.example.com`. */
  readonly domainName: string;
  /** Every region's entry point, one each. */
  readonly regions: readonly RegionalEndpoint[];
  /** Deep health route of the service, such as `/health`. */
  readonly healthCheckPath: string;
  /** Seconds between checks from each checker: 10 or 30. */
  readonly healthCheckIntervalSeconds: number;
  /** Consecutive failures before a checker calls the region unhealthy (1-10). */
  readonly healthCheckFailureThreshold: number;
}

/** `<region>.<domainName>`: the region's direct name, for drills and for its health check. */
export function regionalName(region: string, domainName: string): string {
  return `${region}.${domainName}`;
}

/**
 * Latency-based routing of one name across regions: per region an alias to its load balancer
 * under its own name, an HTTPS health check of the service's deep health route through that
 * name (so it sees "tasks up, database down", which the alias's target health does not), and a
 * latency record for the shared name that carries the health check and evaluates target health.
 */
export class LatencyRouting extends Construct {
  private readonly regional: RegionalValues<RegionalRouting>;

  constructor(scope: Construct, id: string, props: LatencyRoutingProps) {
    super(scope, id);
    const checks = validateProps(this, props);
    const { provider, zoneId, domainName } = props;
    const regional: Array<[string, RegionalRouting]> = [];
    for (const endpoint of props.regions) {
      const { region } = endpoint;
      const alias = (evaluateTargetHealth: boolean) => ({
        name: endpoint.loadBalancerDnsName,
        zoneId: endpoint.loadBalancerZoneId,
        evaluateTargetHealth,
      });
      const directName = regionalName(region, domainName);
      new Route53Record(this, `regional-${region}`, {
        provider,
        zoneId,
        name: directName,
        type: 'A',
        alias: alias(false),
      });
      const healthCheck = new Route53HealthCheck(this, `health-check-${region}`, {
        provider,
        type: 'HTTPS',
        fqdn: directName,
        port: 443,
        enableSni: true,
        resourcePath: props.healthCheckPath,
        requestInterval: props.healthCheckIntervalSeconds,
        failureThreshold: props.healthCheckFailureThreshold,
        measureLatency: true,
        tags: { Name: `${domainName} in ${region}` },
      });
      // The rules of token props once, on the first region's check.
      if (regional.length === 0) checks.checkAtPlanOn(healthCheck);
      regional.push([region, { healthCheckId: healthCheck.id }]);
      new Route53Record(this, `latency-${region}`, {
        provider,
        zoneId,
        name: domainName,
        type: 'A',
        setIdentifier: region,
        latencyRoutingPolicy: { region },
        healthCheckId: healthCheck.id,
        alias: alias(true),
      });
    }
    this.regional = new RegionalValues(`LatencyRouting ${this.node.path}`, regional);
  }

  /** The routing of `region`. */
  forRegion(region: string): RegionalRouting {
    return this.regional.forRegion(region);
  }
}

function validateProps(routing: LatencyRouting, props: LatencyRoutingProps): PropChecks {
  const checks = new PropChecks(routing, `LatencyRouting ${routing.node.path}`);
  if (props.regions.length === 0) checks.add('regions: needs at least one region');
  return checks
    .add(...placementProblems(props.regions))
    .check('healthCheckIntervalSeconds', props.healthCheckIntervalSeconds, oneOf([10, 30]))
    .check('healthCheckFailureThreshold', props.healthCheckFailureThreshold, wholeNumber(1, 10))
    .check('healthCheckPath', props.healthCheckPath, URL_PATH)
    .throwIfAny();
}
