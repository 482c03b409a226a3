import { LatencyRouting } from '../../../modules/latency-routing/index.js';
import { absolutePath, integerBetween, oneOf, type ModuleSpec } from '../spec.js';

/** Regions the generated routing spans: the construct makes records per region at synth time. */
const REGIONS = 2;

export const latencyRouting: ModuleSpec = {
  name: 'latency-routing',
  summary: `Latency-based routing of one name across ${REGIONS} regions: per region an alias \`<region>.<domain_name>\` to its load balancer, an HTTPS Route 53 health check of the service's deep health route through that name (it sees "tasks up, database down", which the alias's target health does not), and a latency record for the shared name that carries the health check and evaluates target health.`,
  regions: {
    kind: 'single',
    why: 'Route 53 is global and its health-check metrics are published in us-east-1: pass the provider of us-east-1. The regions the records route to are data (`endpoints[*].region`), not provider configurations.',
  },
  inputs: {
    zone_id: { type: 'string', description: 'The public hosted zone the records go in.' },
    domain_name: { type: 'string', description: 'The shared name clients use, such as `api.example.com`.' },
    endpoints: {
      type: 'list(object({ region = string, load_balancer_dns_name = string, load_balancer_zone_id = string }))',
      description: `Every region's entry point, ${REGIONS} of them in distinct regions: the region, its load balancer's DNS name and its load balancer's canonical hosted zone.`,
      prop: 'regions',
      validations: [
        {
          condition: `length(var.endpoints) == ${REGIONS}`,
          message: `endpoints must list exactly ${REGIONS} regions (the construct builds records per region).`,
          rejects: [[]],
        },
        {
          condition: 'length(distinct(var.endpoints[*].region)) == length(var.endpoints)',
          message: 'endpoints must not list a region more than once.',
          rejects: [
            [
              {
                region: 'us-east-1',
                load_balancer_dns_name: 'a.elb.amazonaws.com',
                load_balancer_zone_id: 'Z35SXDOTRQ7X7K',
              },
              {
                region: 'us-east-1',
                load_balancer_dns_name: 'b.elb.amazonaws.com',
                load_balancer_zone_id: 'Z35SXDOTRQ7X7K',
              },
            ],
          ],
        },
      ],
    },
    health_check_path: {
      type: 'string',
      description: 'Deep health route of the service.',
      default: '/health',
      validations: [absolutePath('health_check_path')],
    },
    health_check_interval_seconds: {
      type: 'number',
      description: 'Seconds between checks from each checker: 10 or 30 (a change replaces the check).',
      default: 30,
      validations: [oneOf('health_check_interval_seconds', [10, 30], [15])],
    },
    health_check_failure_threshold: {
      type: 'number',
      description: 'Consecutive failures before a checker calls the region unhealthy (1-10).',
      default: 3,
      validations: [integerBetween('health_check_failure_threshold', 1, 10, [0, 11])],
    },
  },
  example: {
    zone_id: 'Z0123456789ABCDEFGHIJ',
    domain_name: 'api.example.com',
    endpoints: [
      {
        region: 'us-east-1',
        load_balancer_dns_name: 'orders-use1-1234567890.us-east-1.elb.amazonaws.com',
        load_balancer_zone_id: 'Z35SXDOTRQ7X7K',
      },
      {
        region: 'eu-west-1',
        load_balancer_dns_name: 'orders-euw1-1234567890.eu-west-1.elb.amazonaws.com',
        load_balancer_zone_id: 'Z32O12XQLNTSW2',
      },
    ],
  },
  build(scope, input) {
    const endpoints = input.records('endpoints', REGIONS, 'region', {
      region: 'region',
      loadBalancerDnsName: 'load_balancer_dns_name',
      loadBalancerZoneId: 'load_balancer_zone_id',
    });
    const routing = new LatencyRouting(scope, 'routing', {
      provider: input.provider(),
      zoneId: input.string('zone_id'),
      domainName: input.string('domain_name'),
      regions: endpoints,
      healthCheckPath: input.string('health_check_path'),
      healthCheckIntervalSeconds: input.number('health_check_interval_seconds'),
      healthCheckFailureThreshold: input.number('health_check_failure_threshold'),
    });
    return {
      health_check_ids: {
        value: endpoints.map(({ region }) => routing.forRegion(region).healthCheckId),
        description: 'The Route 53 health check of each endpoint, in the order of `endpoints` (metrics in us-east-1).',
      },
    };
  },
};
