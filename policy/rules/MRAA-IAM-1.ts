import { eachNested, nestedBlocks, parseJsonArgument, stringList } from '../inspect.js';
import type { BlockConfig, PolicyRule } from '../rule.js';

/** A policy statement reduced to what the rule reads. */
interface Statement {
  readonly allows: boolean;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

/** The statements of a policy JSON document (`Statement` may be one object or a list). */
function documentStatements(document: unknown): Statement[] {
  const statements = nestedBlocks((document as BlockConfig | null)?.Statement);
  return statements.map((statement) => ({
    allows: statement.Effect === 'Allow',
    actions: stringList(statement.Action),
    resources: stringList(statement.Resource),
  }));
}

/** `<where>statement <n> allows "*" on "*"` for every statement granting every action on everything. */
function adminStatements(statements: readonly Statement[], where = ''): string[] {
  return statements.flatMap((statement, index) =>
    statement.allows && statement.actions.includes('*') && statement.resources.includes('*')
      ? [`${where}statement ${index + 1} allows action "*" on resource "*"`]
      : [],
  );
}

/** `${data.aws_iam_policy_document.<id>.json}`: the rule checks that document where it is declared. */
const POLICY_DOCUMENT_REFERENCE = /^\$\{data\.aws_iam_policy_document\.[^}]+\.json\}$/;

/** Problems of a `policy` argument: unset (an empty inline_policy) and document references have none here. */
function policyArgumentProblems(config: BlockConfig, where = ''): string[] {
  if (config.policy === undefined) return [];
  if (typeof config.policy === 'string' && POLICY_DOCUMENT_REFERENCE.test(config.policy)) return [];
  const parsed = parseJsonArgument(config, 'policy');
  return 'problem' in parsed ? [`${where}${parsed.problem}`] : adminStatements(documentStatements(parsed.value), where);
}

export const noAdminPolicies: PolicyRule = {
  id: 'MRAA-IAM-1',
  checkovIds: ['CKV_AWS_1', 'CKV_AWS_62'],
  rationale: 'Every role gets the actions it uses on the resources it uses; "*" on "*" is account administrator.',
  fix: 'List the actions the principal calls and the ARNs it calls them on.',
  appliesTo: [
    'data.aws_iam_policy_document',
    'aws_iam_policy',
    'aws_iam_role_policy',
    'aws_iam_user_policy',
    'aws_iam_group_policy',
    'aws_iam_role',
  ],
  check(config, context) {
    switch (context.block.type) {
      case 'data.aws_iam_policy_document':
        return adminStatements(
          nestedBlocks(config.statement).map((statement) => ({
            allows: statement.effect === undefined || statement.effect === 'Allow',
            actions: stringList(statement.actions),
            resources: stringList(statement.resources),
          })),
        );
      case 'aws_iam_role':
        return eachNested(config, 'inline_policy', (inline, where) => policyArgumentProblems(inline, where));
      default:
        return policyArgumentProblems(config);
    }
  },
};
