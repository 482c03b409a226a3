import {
  Annotations,
  Aspects,
  DefaultTokenResolver,
  StringConcat,
  TerraformDataSource,
  TerraformResource,
  TerraformStack,
  Tokenization,
  type IAspect,
} from 'cdktf';
import type { IConstruct } from 'constructs';
import type { PolicyRule, RuleContext, SynthesizedBlock } from './rule.js';
import { POLICY_RULES } from './rules/index.js';
import { suppresses, suppressionProblems, type Suppression } from './suppression.js';
import { SUPPRESSIONS } from './suppressions.js';

/** A rule's finding on one block. */
export interface Finding {
  readonly rule: PolicyRule;
  readonly block: SynthesizedBlock;
  /** What is wrong, as the rule put it. */
  readonly problem: string;
  /** The suppression that silences it; undefined when it fails the synth. */
  readonly suppressedBy?: Suppression;
}

export interface PolicyPackOptions {
  /** Environment being synthesized; suppressions may be limited to some environments. */
  readonly environment: string;
  /** @default POLICY_RULES — every rule of the pack */
  readonly rules?: readonly PolicyRule[];
  /** @default SUPPRESSIONS — the project's list in policy/suppressions.ts */
  readonly suppressions?: readonly Suppression[];
}

/** The error annotation of an unsuppressed finding: rule, checkov ids, block, what is wrong, the fix. */
export function findingMessage(finding: Pick<Finding, 'rule' | 'block' | 'problem'>): string {
  const { rule, block, problem } = finding;
  const checkov = rule.checkovIds.length > 0 ? ` (checkov ${rule.checkovIds.join(', ')})` : '';
  return `${rule.id}${checkov} ${block.address}: ${problem}. Fix: ${rule.fix}`;
}

/**
 * Applies every rule to every resource and data source of the stacks it is added to, and adds an
 * error annotation for each unsuppressed finding, so that synthesis stops listing all of them.
 */
export class PolicyPack implements IAspect {
  /** Every finding so far, suppressed ones included (for the suppression listing). */
  readonly findings: Finding[] = [];
  readonly environment: string;
  readonly rules: readonly PolicyRule[];
  readonly suppressions: readonly Suppression[];

  constructor(options: PolicyPackOptions) {
    this.environment = options.environment;
    this.rules = options.rules ?? POLICY_RULES;
    this.suppressions = options.suppressions ?? SUPPRESSIONS;
  }

  /** The pack added to `stack`, if any. */
  static of(stack: TerraformStack): PolicyPack | undefined {
    return Aspects.of(stack).all.find((aspect): aspect is PolicyPack => aspect instanceof PolicyPack);
  }

  visit(node: IConstruct): void {
    // A stack is checked as a whole: rules may look at the other blocks of the same stack.
    if (!TerraformStack.isStack(node)) return;
    const blocks = new StackBlocks(node);
    const checkedTypes = new Set(this.rules.flatMap((rule) => rule.appliesTo));
    for (const type of blocks.types().filter((candidate) => checkedTypes.has(candidate))) {
      for (const { block, element } of blocks.ofType(type)) {
        const context: RuleContext = {
          block,
          blocksOfType: (other) => blocks.ofType(other).map((entry) => entry.block),
        };
        for (const rule of this.rules.filter((candidate) => candidate.appliesTo.includes(type))) {
          for (const problem of rule.check(block.config, context)) {
            const suppressedBy = this.suppressions.find((suppression) =>
              suppresses(suppression, rule.id, block.path, this.environment),
            );
            this.findings.push({ rule, block, problem, suppressedBy });
            if (!suppressedBy) Annotations.of(element).addError(findingMessage({ rule, block, problem }));
          }
        }
      }
    }
  }
}

/**
 * Adds the policy pack to every stack of `app` (cdktf does not hand an app's aspects down to its
 * stacks) and reports invalid suppressions as errors. Call it after the last stack is created.
 */
export function applyPolicyPack(app: IConstruct, options: PolicyPackOptions): PolicyPack {
  const pack = new PolicyPack(options);
  for (const problem of suppressionProblems(
    pack.suppressions,
    pack.rules.map((rule) => rule.id),
  )) {
    Annotations.of(app).addError(problem);
  }
  for (const stack of app.node.findAll().filter((construct) => TerraformStack.isStack(construct)))
    Aspects.of(stack).add(pack);
  return pack;
}

type TerraformBlock = TerraformResource | TerraformDataSource;

/**
 * The resources and data sources of one stack by type, each resolved to its synthesized JSON
 * only when a rule asks for its type: most blocks (routes, subnets, …) no rule reads.
 */
class StackBlocks {
  private readonly elements = new Map<string, TerraformBlock[]>();
  private readonly resolved = new Map<string, Array<{ block: SynthesizedBlock; element: TerraformBlock }>>();

  constructor(stack: TerraformStack) {
    for (const construct of stack.node.findAll()) {
      if (!(construct instanceof TerraformResource || construct instanceof TerraformDataSource)) continue;
      if (TerraformStack.of(construct) !== stack) continue;
      const type = blockType(construct);
      this.elements.set(type, [...(this.elements.get(type) ?? []), construct]);
    }
  }

  types(): string[] {
    return [...this.elements.keys()];
  }

  ofType(type: string): Array<{ block: SynthesizedBlock; element: TerraformBlock }> {
    let entries = this.resolved.get(type);
    if (!entries) {
      entries = (this.elements.get(type) ?? []).map((element) => ({ block: synthesizedBlock(element), element }));
      this.resolved.set(type, entries);
    }
    return entries;
  }
}

/** `aws_vpc`, or `data.aws_iam_policy_document` for a data source. */
function blockType(element: TerraformBlock): string {
  return element instanceof TerraformDataSource
    ? `data.${element.terraformResourceType}`
    : element.terraformResourceType;
}

/** The block as it will be written to `cdk.tf.json`: overrides applied, tokens resolved to references. */
function synthesizedBlock(element: TerraformBlock): SynthesizedBlock {
  const isData = element instanceof TerraformDataSource;
  const resolved = Tokenization.resolve(element.toTerraform(), {
    scope: element,
    resolver: new DefaultTokenResolver(new StringConcat()),
  }) as Record<string, Record<string, Record<string, Record<string, unknown>>> | undefined>;
  const id = element.friendlyUniqueId;
  const { '//': _metadata, ...config } =
    resolved[isData ? 'data' : 'resource']?.[element.terraformResourceType]?.[id] ?? {};
  const type = blockType(element);
  return {
    type,
    address: `${type}.${id}`,
    path: element.node.path,
    config,
  };
}
