import { isEncryptedProtocol, LISTENERS, nestedBlock, nestedBlocks, shown, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

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
      `protocol ${shown(config.protocol, 'HTTP (default)')} on port ${String(config.port)} serves traffic instead of redirecting to HTTPS`,
    );
  },
};
