import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

export interface TableAccess {
  /** The region of the replica; the key may be used only through DynamoDB of this region. */
  readonly region: string;
  /** The table or replica ARN in `region`; its indexes are included. */
  readonly tableArn: string;
  /** The KMS key that encrypts the replica in `region`. */
  readonly keyArn: string;
  /** The item and query operations the application sends, such as `dynamodb:GetItem`. */
  readonly actions: readonly string[];
}

/**
 * Task-role statements for one region's replica of a table: the application's operations on the
 * table and its indexes, and the table key used only through DynamoDB of that region.
 */
export function tableAccessStatements(access: TableAccess): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: 'ReadWriteOrders',
      actions: [...access.actions],
      resources: [access.tableArn, `${access.tableArn}/index/*`],
    },
    {
      sid: 'UseTableKeyThroughDynamoDb',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      resources: [access.keyArn],
      condition: [
        { test: 'StringEquals', variable: 'kms:ViaService', values: [`dynamodb.${access.region}.amazonaws.com`] },
      ],
    },
  ];
}
