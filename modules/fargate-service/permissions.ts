import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/**
 * The operations the orders service sends (service/src: Get, Put, Update, Query on orders and
 * Get, Put, Delete on the drill switch item); nothing that reads in bulk or changes the table.
 */
export const TABLE_ACTIONS: readonly string[] = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

/**
 * Task-role statements for one region's replica of a table: item and query operations on the
 * table and its indexes, and the table key used only through DynamoDB of that region.
 */
export function tableAccessStatements(
  region: string,
  tableArn: string,
  tableKeyArn: string,
): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: 'ReadWriteOrders',
      actions: [...TABLE_ACTIONS],
      resources: [tableArn, `${tableArn}/index/*`],
    },
    {
      sid: 'UseTableKeyThroughDynamoDb',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      resources: [tableKeyArn],
      condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`dynamodb.${region}.amazonaws.com`] }],
    },
  ];
}
