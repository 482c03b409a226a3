/**
 * The review as data (JSON for machines) and as Markdown for a pull-request comment. The Markdown
 * fits GitHub's 65,536-character limit by design: the summary table and every destructive line
 * come first and are never cut; per-stack details follow in `<details>` blocks and, when the whole
 * does not fit, continue in numbered parts, each one pointing to the next.
 */
import {
  crossStackImpacts,
  isDestructive,
  type AttributeChange,
  type BlockChange,
  type CrossStackImpact,
  type StackReview,
} from './diff.js';
import { dollars } from '../../cost/render.js';
import type { CostChange } from './cost.js';
import type { PolicyFinding } from './policy.js';

export const COMMENT_MARKER = '<!-- mraa-review -->';
/** GitHub rejects a comment over 65,536 characters. */
export const COMMENT_LIMIT = 65_536;

export interface EnvironmentReview {
  readonly environment: string;
  readonly stacks: readonly StackReview[];
  readonly policy: { readonly added: readonly PolicyFinding[]; readonly resolved: readonly PolicyFinding[] };
  /** Synthesis failures, by side (`base` / `head`). */
  readonly errors: readonly string[];
  /** The monthly cost of both sides and what changed (absent when not priced). */
  readonly cost?: CostChange;
}

export interface Review {
  readonly base: string;
  readonly head: string;
  /** Where the replacement predictions come from (review/force-new.json). */
  readonly forceNew: string;
  readonly environments: readonly EnvironmentReview[];
}

export interface Counts {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  readonly replace: number;
  readonly rename: number;
}

export function countsOf(stack: StackReview): Counts {
  const count = (action: BlockChange['action']): number => stack.resources.filter((c) => c.action === action).length;
  return {
    create: count('create'),
    update: count('update'),
    delete: count('delete'),
    replace: count('replace'),
    rename: count('rename'),
  };
}

/** Every destructive change of a review, with its environment and stack. */
export function destructiveChanges(
  review: Review,
): Array<{ environment: string; stack: string; change: BlockChange; planned: boolean }> {
  return review.environments.flatMap((environment) =>
    environment.stacks.flatMap((stack) =>
      stack.resources.filter(isDestructive).map((change) => ({
        environment: environment.environment,
        stack: stack.stack,
        change,
        planned: stack.planned,
      })),
    ),
  );
}

function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function arrow(change: AttributeChange): string {
  return `${change.before ?? '(absent)'} → ${change.after ?? '(absent)'}`;
}

function label(change: BlockChange): string {
  return change.source === 'plan' ? 'plan' : 'prediction';
}

/** One destructive change as a single Markdown line (never cut). */
export function destructiveLine(stack: string, change: BlockChange): string {
  const stateful = change.stateful !== undefined ? ` — **stateful: ${change.stateful}**` : '';
  if (change.action === 'rename') {
    const from = code(change.renamedFrom ?? '?');
    return (
      `- **likely rename** ${code(stack)} ${from} → ${code(change.address)}${stateful} (${label(change)}): ` +
      `destroyed and created unless moved. Fix: a \`moved\` block from ${from} to ${code(change.address)} ` +
      `(cdktf: \`moveTo\`, or \`addOverride('moved', …)\` on the stack)`
    );
  }
  if (change.action === 'delete')
    return `- **destroy** ${code(stack)} ${code(change.address)}${stateful} (${label(change)})`;
  const forcing = change.changes.filter((attribute) => attribute.forcesReplacement);
  const reasons = forcing.map((attribute) => `${code(attribute.path)} ${arrow(attribute)}`).join('; ');
  return `- **replace** ${code(stack)} ${code(change.address)}${stateful} (${label(change)}): ${reasons || 'replacement'}`;
}

/**
 * The destructive lines of one stack. A removed stack is one line (every resource goes, counted by
 * type; the addresses are in its details) followed by one line per stateful resource.
 */
export function destructiveLines(stack: StackReview): string[] {
  const destructive = stack.resources.filter(isDestructive);
  if (stack.status !== 'removed' || stack.planned)
    return destructive.map((change) => destructiveLine(stack.stack, change));
  const byType = new Map<string, number>();
  for (const change of destructive) byType.set(change.type, (byType.get(change.type) ?? 0) + 1);
  const types = [...byType].map(([type, count]) => `${count} ${type}`).join(', ');
  return [
    `- **destroy** ${code(stack.stack)}: the stack is removed, all ${destructive.length} resources (prediction): ${types}`,
    ...destructive
      .filter((change) => change.stateful !== undefined)
      .map((change) => `  ${destructiveLine(stack.stack, change)}`),
  ];
}

function impactLine(impact: CrossStackImpact): string {
  return (
    `- ${code(impact.upstream)} output ${code(impact.output)} changes (${impact.reason}); ` +
    `read by ${impact.readers.map(code).join(', ')}: apply after ${code(impact.upstream)}`
  );
}

function findingLine(finding: PolicyFinding): string {
  const suppressed = finding.suppressed !== undefined ? ` (suppressed: ${finding.suppressed})` : '';
  return `- ${finding.rule} ${code(finding.stack)} ${code(finding.address)}: ${finding.problem}${suppressed}`;
}

const SYMBOL: Record<BlockChange['action'], string> = {
  create: '+',
  delete: '-',
  update: '~',
  replace: '-/+',
  rename: '→',
  'no-op': ' ',
};

function blockLines(change: BlockChange): string[] {
  const head =
    change.action === 'rename'
      ? `- \`${SYMBOL[change.action]}\` likely rename ${code(change.renamedFrom ?? '?')} → ${code(change.address)}`
      : `- \`${SYMBOL[change.action]}\` ${change.action} ${code(change.address)}`;
  const extra = [change.stateful ? `stateful: ${change.stateful}` : '', change.drift ? 'drifted' : '']
    .filter(Boolean)
    .join(', ');
  return [
    extra ? `${head} (${extra})` : head,
    ...change.changes.map(
      (attribute) =>
        `  - ${code(attribute.path)}: ${arrow(attribute)}${attribute.forcesReplacement ? ' **forces replacement**' : ''}`,
    ),
  ];
}

/** The per-stack detail lines (inside a `<details>` block). */
function stackDetailLines(stack: StackReview): string[] {
  const lines: string[] = [];
  if (stack.planned) lines.push('_From the stack’s plan (`terraform show -json`)._', '');
  for (const change of stack.resources) lines.push(...blockLines(change));
  if (stack.outputs.length > 0) {
    lines.push('', 'Outputs:');
    for (const output of stack.outputs)
      lines.push(
        `- \`${SYMBOL[output.action]}\` output ${code(output.name)}: ${output.before ?? '(absent)'} → ${output.after ?? '(absent)'} (${output.reason})`,
      );
  }
  if (stack.values.length > 0) {
    lines.push('', 'Locals and variables:');
    for (const value of stack.values)
      lines.push(
        `- \`${SYMBOL[value.action]}\` ${code(value.name)}: ${value.before ?? '(absent)'} → ${value.after ?? '(absent)'}`,
      );
  }
  if (stack.dataSources.length > 0) {
    lines.push('', '<sub>Data sources (read at plan time):</sub>', '');
    for (const change of stack.dataSources) lines.push(...blockLines(change));
  }
  return lines;
}

function summaryTable(environment: EnvironmentReview): string[] {
  const shown = environment.stacks.filter((stack) => stack.status !== 'unchanged' || stack.readsChanged.length > 0);
  if (shown.length === 0) return ['No stack changes.'];
  return [
    '| stack | status | + create | ~ update | - destroy | -/+ replace | → rename | data | outputs | reads changed outputs |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...shown.map((stack) => {
      const counts = countsOf(stack);
      const status = stack.status === 'unchanged' ? 'inputs change' : stack.status;
      const cells = [counts.create, counts.update, counts.delete, counts.replace, counts.rename];
      return `| ${code(stack.stack)} | ${status}${stack.planned ? ' (plan)' : ''} | ${cells.join(' | ')} | ${stack.dataSources.length} | ${stack.outputs.length} | ${stack.readsChanged.length} |`;
    }),
  ];
}

function signed(cents: number): string {
  return `${cents > 0 ? '+' : ''}${dollars(cents)}`;
}

/** The monthly cost change of an environment: the totals, and each component and region that changed. */
export function costLines(cost: CostChange | undefined): string[] {
  if (cost === undefined) return [];
  if ('unavailable' in cost) return [`**Monthly cost**: not estimated: ${cost.unavailable}`];
  const { baseCents, headCents, changed } = cost;
  const total = `**Monthly cost** (USD, docs/cost.md): ${dollars(baseCents)} → ${dollars(headCents)} (${signed(headCents - baseCents)})`;
  if (changed.length === 0) return [`${total}, no component changes.`];
  return [
    total,
    '',
    '| component | region | base | head | change |',
    '| --- | --- | ---: | ---: | ---: |',
    ...changed.map(
      (row) =>
        `| ${row.component} | ${row.region} | ${dollars(row.base)} | ${dollars(row.head)} | ${signed(row.head - row.base)} |`,
    ),
  ];
}

/** The part of the report that is never cut: header, and per environment the summary and every destructive line. */
function essentialLines(review: Review): string[] {
  const lines = [
    COMMENT_MARKER,
    '## Plan review',
    '',
    `Base ${code(review.base)} → head ${code(review.head)}. Offline structural diff of the synthesized stacks, in deploy order; ` +
      `**replace** and **destroy** are predictions (${review.forceNew}) unless marked plan.`,
  ];
  for (const environment of review.environments) {
    lines.push('', `### Environment ${code(environment.environment)}`, '');
    for (const error of environment.errors) lines.push(`> [!CAUTION]`, `> ${error.split('\n').join('\n> ')}`, '');
    lines.push(...summaryTable(environment));
    const cost = costLines(environment.cost);
    if (cost.length > 0) lines.push('', ...cost);
    const destructive = environment.stacks.flatMap((stack) => destructiveLines(stack));
    const count = environment.stacks.reduce((sum, stack) => sum + stack.resources.filter(isDestructive).length, 0);
    if (destructive.length > 0) lines.push('', `**Destroyed or replaced (${count})**`, '', ...destructive);
  }
  return lines;
}

/** Changed cross-stack outputs and policy findings, per environment: after the essentials. */
function contextLines(review: Review): string[] {
  const lines: string[] = [];
  for (const environment of review.environments) {
    const impacts = crossStackImpacts(environment.stacks);
    const { added, resolved } = environment.policy;
    if (impacts.length + added.length + resolved.length === 0) continue;
    lines.push('', `### Cross-stack outputs and policy: ${code(environment.environment)}`);
    if (impacts.length > 0) lines.push('', '**Changed cross-stack outputs**', '', ...impacts.map(impactLine));
    if (added.length + resolved.length > 0) {
      lines.push('', '**Policy findings**', '');
      lines.push(...added.map((finding) => findingLine(finding).replace(/^- /, '- new: ')));
      lines.push(...resolved.map((finding) => findingLine(finding).replace(/^- /, '- resolved: ')));
    }
  }
  return lines;
}

/** The `<details>` sections, one per changed stack, split into pieces that fit `budget`. */
function detailSections(review: Review, budget: number): string[] {
  const sections: string[] = [];
  for (const environment of review.environments) {
    for (const stack of environment.stacks.filter((candidate) => candidate.status !== 'unchanged')) {
      const counts = countsOf(stack);
      const title = `<code>${environment.environment}</code> / <code>${stack.stack}</code>: +${counts.create} ~${counts.update} -${counts.delete} -/+${counts.replace}`;
      const body = stackDetailLines(stack);
      let piece: string[] = [];
      let part = 1;
      const flush = (): void => {
        const summary = part === 1 ? title : `${title} (continued, ${part})`;
        sections.push(`<details><summary>${summary}</summary>\n\n${piece.join('\n')}\n\n</details>`);
        piece = [];
        part++;
      };
      for (const line of body) {
        // A single line longer than a part (never expected: values are cut at 160 characters) is cut visibly.
        const safe =
          line.length > budget - 500 ? `${line.slice(0, budget - 600)}… (line cut, ${line.length} chars)` : line;
        if (piece.join('\n').length + safe.length + title.length + 200 > budget) flush();
        piece.push(safe);
      }
      if (piece.length > 0 || part === 1) flush();
    }
  }
  return sections;
}

/**
 * The Markdown report in parts of at most `limit` characters each. The first part holds every
 * essential line (split further only if they alone overflow, never dropped); details fill the rest.
 */
export function renderMarkdown(review: Review, limit = COMMENT_LIMIT): string[] {
  const pointerReserve = 300;
  const budget = limit - pointerReserve;
  const parts: string[][] = [[]];
  const size = (lines: readonly string[]): number => lines.join('\n').length;
  const add = (block: string): void => {
    const current = parts[parts.length - 1] ?? [];
    if (current.length > 0 && size(current) + block.length + 2 > budget) {
      parts.push([
        `${COMMENT_MARKER.replace('review', `review part ${parts.length + 1}`)}`,
        `## Plan review (continued)`,
        '',
        block,
      ]);
    } else current.push(block);
  };
  for (const line of [...essentialLines(review), ...contextLines(review)]) add(line);
  const sections = detailSections(review, budget - 200);
  if (sections.length > 0) {
    add('');
    add('### Details per stack');
    add('');
  }
  for (const section of sections) add(section);
  const total = parts.length;
  return parts.map((lines, index) => {
    const footer =
      index + 1 < total
        ? `\n\n---\n_Part ${index + 1} of ${total}: the report continues in part ${index + 2} (next comment, or \`review.${index + 2}.md\`)._`
        : total > 1
          ? `\n\n---\n_Part ${index + 1} of ${total}._`
          : '';
    return `${lines.join('\n')}${footer}\n`;
  });
}

/** The review as JSON, with the destructive changes also listed flat on top (what a gate reads). */
export function renderJson(review: Review): string {
  const destructive = destructiveChanges(review).map(({ environment, stack, change }) => ({
    environment,
    stack,
    address: change.address,
    action: change.action,
    renamedFrom: change.renamedFrom,
    stateful: change.stateful,
    source: change.source,
  }));
  return `${JSON.stringify({ ...review, destructive }, null, 2)}\n`;
}
