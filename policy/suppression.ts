/** An explicit, reasoned exception to one rule for one construct (or the constructs below it). */
export interface Suppression {
  /**
   * Construct path of the block, or of a construct above it: the suppression covers everything
   * below. `*` stands for any text within one path segment, so `network-*` names the network
   * stack of every region.
   */
  readonly path: string;
  /** The rule it silences, such as `MRAA-NET-2`. */
  readonly ruleId: string;
  /** Why the rule does not apply there. Required: printed by `npm run policy:suppressions`. */
  readonly reason: string;
  /**
   * Environments it applies to, by name (`default`, `staging`, …).
   * @default every environment
   */
  readonly environments?: readonly string[];
}

/** Whether `pattern` (a suppression's `path`) names `path` or a construct above it. */
export function pathMatches(pattern: string, path: string): boolean {
  const segments = pattern.split('/').map((segment) => segment.split('*').map(escapeRegExp).join('[^/]*'));
  return new RegExp(`^${segments.join('/')}(/.*)?$`).test(path);
}

/** Whether `suppression` silences rule `ruleId` at construct `path` in `environment`. */
export function suppresses(suppression: Suppression, ruleId: string, path: string, environment: string): boolean {
  return (
    suppression.ruleId === ruleId &&
    (suppression.environments === undefined || suppression.environments.includes(environment)) &&
    pathMatches(suppression.path, path)
  );
}

/** `MRAA-NET-2 at network-*\/network/x (staging)`: how messages and listings name a suppression. */
export function describeSuppression(suppression: Suppression): string {
  const where = suppression.environments === undefined ? '' : ` (${suppression.environments.join(', ')})`;
  return `${suppression.ruleId} at ${suppression.path}${where}`;
}

/** Every problem with a list of suppressions, each naming the suppression and the field at fault. */
export function suppressionProblems(suppressions: readonly Suppression[], ruleIds: readonly string[]): string[] {
  return suppressions.flatMap((suppression, index) => {
    const problems = [
      ...(suppression.reason.trim() === '' ? ['reason is empty: write why the rule does not apply there'] : []),
      ...(ruleIds.includes(suppression.ruleId)
        ? []
        : [`ruleId "${suppression.ruleId}" is not a rule of the policy pack`]),
      ...(suppression.path.trim() === '' ? ['path is empty: name the construct path it applies to'] : []),
      ...(suppression.environments?.length === 0 ? ['environments is empty: omit it to mean every environment'] : []),
    ];
    return problems.map(
      (problem) => `Policy suppression ${index + 1} (${describeSuppression(suppression)}): ${problem}`,
    );
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
