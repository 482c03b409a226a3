import { isEncryptedProtocol, LISTENERS, shown, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

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
      `ssl_policy ${shown(policy, 'is not set (provider default ELBSecurityPolicy-2016-08)')} accepts TLS older than 1.2`,
    );
  },
};
