/**
 * The shape of a policy rule. A rule reads a block's synthesized Terraform configuration (the
 * snake_case JSON that lands in `cdk.tf.json`, tokens resolved to `${...}` references), never
 * construct class internals, so it judges exactly what Terraform and checkov will see.
 */

/** One block's synthesized arguments, such as `{ point_in_time_recovery: { enabled: true } }`. */
export type BlockConfig = Readonly<Record<string, unknown>>;

/** A resource or data source of a synthesized stack. */
export interface SynthesizedBlock {
  /**
   * Terraform type; data sources carry a `data.` prefix (`aws_vpc`, `data.aws_iam_policy_document`),
   * the same spelling checkov prints.
   */
  readonly type: string;
  /** Terraform address, such as `aws_vpc.network_vpc_7E4B9C11` or `data.aws_iam_policy_document.x`. */
  readonly address: string;
  /** Construct path, such as `network-us-east-1/network/vpc`. */
  readonly path: string;
  readonly config: BlockConfig;
}

/** What a rule may know beyond the block itself: the other blocks of the same stack. */
export interface RuleContext {
  /** The block being checked. */
  readonly block: SynthesizedBlock;
  /** Every block of the stack with this type (data sources with their `data.` prefix). */
  blocksOfType(type: string): readonly SynthesizedBlock[];
}

export interface PolicyRule {
  /** Stable id, `MRAA-<AREA>-<n>`; suppressions name it. */
  readonly id: string;
  /** The checkov checks this rule enforces at synth time (empty where checkov has none). */
  readonly checkovIds: readonly string[];
  /** One line: why the rule exists. */
  readonly rationale: string;
  /** One line: what to change so the block complies. */
  readonly fix: string;
  /** Block types it applies to, spelled like `SynthesizedBlock.type`. */
  readonly appliesTo: readonly string[];
  /** What is wrong with the block, one message per problem; empty when it complies. */
  check(config: BlockConfig, context: RuleContext): string[];
}
