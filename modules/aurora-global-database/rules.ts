/**
 * Names and versions of an Aurora MySQL global database, shared by the construct (which refuses
 * bad props) and the deployment configuration (which reports them against its own field names).
 */

/** Identifiers of clusters and instances: 1-63 lowercase letters, digits and hyphens. */
export const IDENTIFIER_MAX_LENGTH = 63;

/** `<global identifier>-<region>`: unique across regions, as global databases require. */
export function regionalClusterIdentifier(globalClusterIdentifier: string, region: string): string {
  return `${globalClusterIdentifier}-${region}`;
}

/** The `index`-th (from 0) instance of a regional cluster. */
export function instanceIdentifier(clusterIdentifier: string, index: number): string {
  return `${clusterIdentifier}-${index + 1}`;
}

/** Why `engineVersion` is not an Aurora MySQL 3 version; undefined when it is one. */
export function engineVersionProblem(engineVersion: string): string | undefined {
  return /^8\.0\.mysql_aurora\.3\.\d{2}\.\d+$/.test(engineVersion)
    ? undefined
    : `"${engineVersion}" is not an Aurora MySQL 3 version such as 8.0.mysql_aurora.3.10.0`;
}

/**
 * What is wrong with a global cluster identifier, given the regions and instance counts its
 * members' identifiers are built from.
 */
export function identifierProblems(
  globalClusterIdentifier: string,
  placements: ReadonlyArray<{ readonly region: string; readonly instanceCount: number }>,
): string[] {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(globalClusterIdentifier) || globalClusterIdentifier.includes('--') || globalClusterIdentifier.endsWith('-')) {
    problems.push(`"${globalClusterIdentifier}" is not a valid cluster identifier (1-63 lowercase letters, digits and hyphens, starting with a letter, no two hyphens in a row, not ending with a hyphen)`);
  }
  const longest = placements
    .map(({ region, instanceCount }) => instanceIdentifier(regionalClusterIdentifier(globalClusterIdentifier, region), Math.max(instanceCount, 1) - 1))
    .reduce((a, b) => (b.length > a.length ? b : a), '');
  if (longest.length > IDENTIFIER_MAX_LENGTH) {
    problems.push(`"${globalClusterIdentifier}" is too long: the instance identifier ${longest} would have ${longest.length} characters, more than ${IDENTIFIER_MAX_LENGTH}`);
  }
  return problems;
}
