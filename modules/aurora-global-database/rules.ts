import { Fn, Op, Token } from 'cdktf';
import { isToken } from '../tokens.js';
import { compare, matchesPattern, matching, type Rule } from '../validation.js';

/**
 * Names and versions of an Aurora MySQL global database, shared by the construct (which refuses
 * bad props) and the deployment configuration (which reports them against its own field names).
 */

export const ENGINE = 'aurora-mysql';

/** Identifiers of clusters and instances: 1-63 lowercase letters, digits and hyphens. */
export const IDENTIFIER_MAX_LENGTH = 63;

/** `<global identifier>-<region>`: unique across regions, as global databases require. */
export function regionalClusterIdentifier(globalClusterIdentifier: string, region: string): string {
  return `${globalClusterIdentifier}-${region}`;
}

/**
 * The name of each region's AWS Backup vault, plan and selection (vaults and plans are regional,
 * so every region's may share it): the global identifier, at most 50 characters.
 */
export function backupName(globalClusterIdentifier: string): string {
  return globalClusterIdentifier;
}

/** Hex digits of a creation id (a `random_id` of 3 bytes): new on every create of the database. */
export const CREATION_ID_HEX_DIGITS = 6;

/**
 * The name of each region's AWS Backup vault: the backup name and the creation id. A destroy keeps
 * the vault and its recovery points, so the next create of the same environment needs a new name.
 */
export function backupVaultName(globalClusterIdentifier: string, creationId: string): string {
  return `${backupName(globalClusterIdentifier)}-${creationId}`;
}

/**
 * The snapshot RDS takes when the writer cluster is deleted. Snapshot identifiers are unique per
 * account and region, and the snapshot outlives the destroy, so it carries the creation id: a
 * second create and destroy of the same environment would otherwise fail on the first's snapshot.
 */
export function finalSnapshotIdentifier(clusterIdentifier: string, creationId: string): string {
  return `${clusterIdentifier}-final-${creationId}`;
}

/** The IAM role (global, one for every region) that `service` assumes for the database. */
export function serviceRoleName(globalClusterIdentifier: string, service: 'rds-monitoring' | 'aws-backup'): string {
  return `${globalClusterIdentifier}-${service}`;
}

/** Days AWS Backup may keep a recovery point: from one day to 100 years. */
export const BACKUP_PLAN_RETENTION_DAYS = { min: 1, max: 36_500 } as const;

/** Names built from the global identifier, what they name, and the longest AWS accepts. */
function derivedNames(
  globalClusterIdentifier: string,
): ReadonlyArray<{ what: string; name: string; maxLength: number }> {
  return [
    { what: 'AWS Backup plan', name: backupName(globalClusterIdentifier), maxLength: 50 },
    {
      what: 'AWS Backup vault',
      name: backupVaultName(globalClusterIdentifier, 'x'.repeat(CREATION_ID_HEX_DIGITS)),
      maxLength: 50,
    },
    { what: 'IAM role', name: serviceRoleName(globalClusterIdentifier, 'rds-monitoring'), maxLength: 64 },
    { what: 'IAM role', name: serviceRoleName(globalClusterIdentifier, 'aws-backup'), maxLength: 64 },
  ];
}

/** The `index`-th (from 0) instance of a regional cluster. */
export function instanceIdentifier(clusterIdentifier: string, index: number): string {
  return `${clusterIdentifier}-${index + 1}`;
}

/** An Aurora MySQL 3 engine version, such as `8.0.mysql_aurora.3.10.0`. */
export const ENGINE_VERSION_RULE: Rule<string> = matching(
  /^8\.0\.mysql_aurora\.3\.\d{2}\.\d+$/,
  'an Aurora MySQL 3 version such as 8.0.mysql_aurora.3.10.0',
  (engineVersion) => `"${engineVersion}" is not an Aurora MySQL 3 version such as 8.0.mysql_aurora.3.10.0`,
);

/** Why `engineVersion` is not an Aurora MySQL 3 version; undefined when it is one. */
export function engineVersionProblem(engineVersion: string): string | undefined {
  return ENGINE_VERSION_RULE.holds(engineVersion) ? undefined : ENGINE_VERSION_RULE.problem(engineVersion);
}

/** Lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen. */
const IDENTIFIER_PATTERN = /^[a-z](?:-?[a-z0-9])*$/;

/** Placements as the identifiers of their clusters' instances need them. */
type IdentifierPlacements = ReadonlyArray<{ readonly region: string; readonly instanceCount: number }>;

/** Names built from the global identifier, what they name, and the longest AWS accepts. */
function identifierLimits(
  globalClusterIdentifier: string,
  placements: IdentifierPlacements,
): Array<{ what: string; name: string; maxLength: number }> {
  const longestInstance = placements
    .map(({ region, instanceCount }) =>
      instanceIdentifier(regionalClusterIdentifier(globalClusterIdentifier, region), Math.max(instanceCount, 1) - 1),
    )
    .reduce((a, b) => (b.length > a.length ? b : a), '');
  return [
    { what: 'instance identifier', name: longestInstance, maxLength: IDENTIFIER_MAX_LENGTH },
    ...derivedNames(globalClusterIdentifier),
  ];
}

/**
 * What is wrong with a global cluster identifier, given the regions and instance counts its
 * members' identifiers are built from.
 */
export function identifierProblems(globalClusterIdentifier: string, placements: IdentifierPlacements): string[] {
  const problems: string[] = [];
  if (!IDENTIFIER_PATTERN.test(globalClusterIdentifier) || globalClusterIdentifier.length > IDENTIFIER_MAX_LENGTH) {
    problems.push(
      `"${globalClusterIdentifier}" is not a valid cluster identifier (1-63 lowercase letters, digits and hyphens, starting with a letter, no two hyphens in a row, not ending with a hyphen)`,
    );
  }
  for (const { what, name, maxLength } of identifierLimits(globalClusterIdentifier, placements)) {
    if (name.length > maxLength) {
      problems.push(
        `"${globalClusterIdentifier}" is too long: the ${what} ${name} would have ${name.length} characters, more than ${maxLength}`,
      );
    }
  }
  return problems;
}

/**
 * `identifierProblems` as a rule, for an identifier that may be a token: at plan, Terraform checks
 * the pattern and the longest length every derived name allows.
 */
export function identifierRule(placements: IdentifierPlacements): Rule<string> {
  const maxLength = Math.min(
    ...identifierLimits('', placements).map(({ name, maxLength: limit }) => limit - name.length),
  );
  return {
    allowed: `lowercase letters, digits and single hyphens, starting with a letter, not ending with a hyphen, at most ${maxLength} characters`,
    holds: (identifier) => identifierProblems(identifier, placements).length === 0,
    problem: (identifier) => identifierProblems(identifier, placements).join('; '),
    condition: (identifier) =>
      Op.and(matchesPattern(IDENTIFIER_PATTERN, identifier), compare(Fn.lengthOf(identifier), 'lte', maxLength)),
  };
}

/** `8.0.mysql_aurora.3.10.0` → `aurora-mysql8.0`; Terraform's `split()` when the version is a token. */
export function parameterGroupFamily(engineVersion: string): string {
  const separator = '.mysql_aurora.';
  const major = isToken(engineVersion)
    ? Token.asString(Fn.element(Fn.split(separator, engineVersion), 0))
    : engineVersion.split(separator)[0];
  return `${ENGINE}${major}`;
}
