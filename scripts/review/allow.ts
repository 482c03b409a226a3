/**
 * The allow-list for `--fail-on-destroy`: reviewed destroys and replacements, each with a reason.
 *
 * ```json
 * [{ "stack": "network-us-east-1", "address": "aws_vpc.network_vpc_7E4B9C11", "reason": "…", "environment": "staging" }]
 * ```
 * `environment` is optional (every environment when absent). An entry without a reason is an error.
 */
import { readFileSync } from 'node:fs';

export interface AllowEntry {
  readonly stack: string;
  readonly address: string;
  readonly reason: string;
  readonly environment?: string;
}

export function readAllowList(file: string): AllowEntry[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(parsed)) throw new Error(`${file}: the allow-list is a JSON array of { stack, address, reason }`);
  return parsed.map((entry: unknown, index) => {
    const candidate = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const { stack, address, reason, environment } = candidate;
    if (typeof stack !== 'string' || typeof address !== 'string')
      throw new Error(`${file}: entry ${index} needs "stack" and "address" (strings)`);
    if (typeof reason !== 'string' || reason.trim() === '')
      throw new Error(`${file}: entry ${index} (${stack} ${address}) has no reason: write why this destroy is safe`);
    if (environment !== undefined && typeof environment !== 'string')
      throw new Error(`${file}: entry ${index}: "environment" is a string`);
    return { stack, address, reason, environment };
  });
}

export function isAllowed(
  allow: readonly AllowEntry[],
  environment: string,
  stack: string,
  address: string,
): AllowEntry | undefined {
  return allow.find(
    (entry) =>
      entry.stack === stack &&
      entry.address === address &&
      (entry.environment === undefined || entry.environment === environment),
  );
}
