import {
  blocksReferring,
  isFalse,
  isTrue,
  mustBeSet,
  mustBeTrue,
  nestedBlock,
  nestedBlocks,
  unless,
} from '../inspect.js';
import type { BlockConfig, PolicyRule } from '../rule.js';

const LOAD_BALANCERS = ['aws_lb', 'aws_alb'];
const LISTENERS = ['aws_lb_listener', 'aws_alb_listener'];
const TARGET_GROUPS = ['aws_lb_target_group', 'aws_alb_target_group'];

/**
 * Listener security policies that refuse anything older than TLS 1.2. Stricter than checkov,
 * which also accepts `ELBSecurityPolicy-TLS13-1-0-*` (TLS 1.3 plus TLS 1.0 and 1.1).
 */
export const TLS12_POLICY_PREFIXES: readonly string[] = [
  'ELBSecurityPolicy-TLS13-1-2-',
  'ELBSecurityPolicy-TLS13-1-3-',
  'ELBSecurityPolicy-TLS-1-2-',
  'ELBSecurityPolicy-FS-1-2-',
];

/** An application load balancer: `load_balancer_type` unset or `application`. */
function isApplicationLoadBalancer(config: BlockConfig): boolean {
  return config.load_balancer_type === undefined || config.load_balancer_type === 'application';
}

function isEncryptedProtocol(protocol: unknown): boolean {
  return protocol === 'HTTPS' || protocol === 'TLS';
}

export const listenerHttpsOnly: PolicyRule = {
  id: 'MRAA-ALB-1',
  checkovIds: ['CKV_AWS_2', 'CKV2_AWS_20'],
  rationale: 'Clients talk to the service over TLS only; plain HTTP exists solely to redirect them to HTTPS.',
  fix: 'Use protocol HTTPS with a certificate, or on port 80 a default action { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }.',
  appliesTo: LISTENERS,
  check(config) {
    if (isEncryptedProtocol(config.protocol)) return [];
    const actions = nestedBlocks(config.default_action);
    const redirectsToHttps =
      actions.length > 0 &&
      actions.every((action) => action.type === 'redirect' && nestedBlock(action, 'redirect').protocol === 'HTTPS');
    return unless(
      redirectsToHttps,
      `protocol ${String(config.protocol ?? 'HTTP (default)')} on port ${String(config.port)} serves traffic instead of redirecting to HTTPS`,
    );
  },
};

export const listenerTls12: PolicyRule = {
  id: 'MRAA-ALB-2',
  checkovIds: ['CKV_AWS_103'],
  rationale:
    "TLS 1.0 and 1.1 are broken; the provider's default policy (ELBSecurityPolicy-2016-08) still accepts them.",
  fix: 'Set sslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06 (or another TLS 1.2+ policy).',
  appliesTo: LISTENERS,
  check(config) {
    if (!isEncryptedProtocol(config.protocol)) return [];
    const policy = config.ssl_policy;
    return unless(
      typeof policy === 'string' && TLS12_POLICY_PREFIXES.some((prefix) => policy.startsWith(prefix)),
      `ssl_policy ${String(policy ?? 'is not set (provider default ELBSecurityPolicy-2016-08)')} accepts TLS older than 1.2`,
    );
  },
};

export const loadBalancerDropsInvalidHeaders: PolicyRule = {
  id: 'MRAA-ALB-3',
  checkovIds: ['CKV_AWS_131'],
  rationale: 'Dropping malformed headers closes request-smuggling paths between the load balancer and the service.',
  fix: 'Set dropInvalidHeaderFields: true.',
  appliesTo: LOAD_BALANCERS,
  check: (config) => (isApplicationLoadBalancer(config) ? mustBeTrue(config, 'drop_invalid_header_fields') : []),
};

export const loadBalancerAccessLogs: PolicyRule = {
  id: 'MRAA-ALB-4',
  checkovIds: ['CKV_AWS_91'],
  rationale: 'Access logs are the only record of every request that reached the load balancer, blocked or not.',
  fix: "Set accessLogs: { enabled: true, bucket } with an S3 bucket the region's load-balancer service may write to.",
  appliesTo: LOAD_BALANCERS,
  check(config) {
    const logs = nestedBlock(config, 'access_logs');
    return [...mustBeTrue(logs, 'enabled', 'access_logs.'), ...mustBeSet(logs, 'bucket', 'access_logs.')];
  },
};

export const loadBalancerDeletionProtection: PolicyRule = {
  id: 'MRAA-ALB-5',
  checkovIds: ['CKV_AWS_150'],
  rationale: "Deleting a region's load balancer takes the region out of DNS; it must take a deliberate change.",
  fix: 'Set enableDeletionProtection: true.',
  appliesTo: LOAD_BALANCERS,
  check: (config) => mustBeTrue(config, 'enable_deletion_protection'),
};

export const loadBalancerWaf: PolicyRule = {
  id: 'MRAA-ALB-6',
  checkovIds: ['CKV2_AWS_28'],
  rationale: 'An internet-facing load balancer sits behind a WAF web ACL (managed rule groups, rate limits).',
  fix: 'Add an aws_wafv2_web_acl_association in the same stack with resourceArn of this load balancer.',
  appliesTo: LOAD_BALANCERS,
  check: (config, context) =>
    isTrue(config.internal)
      ? []
      : unless(
          blocksReferring(context, 'aws_wafv2_web_acl_association', 'resource_arn').length > 0,
          'internet-facing and no aws_wafv2_web_acl_association in the stack protects it',
        ),
};

export const targetGroupHealthCheck: PolicyRule = {
  id: 'MRAA-ALB-7',
  checkovIds: ['CKV_AWS_261'],
  rationale: 'The load balancer sends traffic only to tasks that answer a real health endpoint.',
  fix: 'Set healthCheck: { enabled: true, path: "/health", matcher: "200" }.',
  appliesTo: TARGET_GROUPS,
  check(config) {
    if (nestedBlocks(config.health_check).length === 0) return ['health_check is not configured'];
    const healthCheck = nestedBlock(config, 'health_check');
    const httpProtocol = config.protocol === undefined || config.protocol === 'HTTP' || config.protocol === 'HTTPS';
    return [
      ...unless(!isFalse(healthCheck.enabled), 'health_check.enabled is false'),
      ...(httpProtocol ? mustBeSet(healthCheck, 'path', 'health_check.') : []),
    ];
  },
};
