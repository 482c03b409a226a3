import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

/** The AWS account a stack deploys to. */
export interface AwsAccount {
  readonly accountId: string;
  /** `aws`, `aws-cn` or `aws-us-gov`, for ARNs. */
  readonly partition: string;
}

const CALLER_IDENTITY_ID = 'account';
const PARTITION_ID = 'partition';

/**
 * The account and partition of the stack that holds `scope`, looked up once per stack (one
 * `data.aws_caller_identity.account` and one `data.aws_partition.partition`) however many
 * constructs need them. Every provider of a stack uses the same credentials and regions of one
 * partition, so the provider of the first construct that asks serves them all.
 */
export function accountOf(scope: IConstruct, provider: AwsProvider): AwsAccount {
  const stack = TerraformStack.of(scope);
  // Getters, so that a stack that needs only one of them looks up only that one.
  return {
    get accountId() {
      return existing(stack, CALLER_IDENTITY_ID, DataAwsCallerIdentity, provider).accountId;
    },
    get partition() {
      return existing(stack, PARTITION_ID, DataAwsPartition, provider).partition;
    },
  };
}

function existing<T extends IConstruct>(
  stack: TerraformStack,
  id: string,
  type: new (scope: TerraformStack, id: string, config: { provider: AwsProvider }) => T,
  provider: AwsProvider,
): T {
  const child = stack.node.tryFindChild(id);
  if (child === undefined) return new type(stack, id, { provider });
  if (child instanceof type) return child;
  throw new Error(`${stack.node.path}: "${id}" is taken by another construct; accountOf needs it for a ${type.name}`);
}
