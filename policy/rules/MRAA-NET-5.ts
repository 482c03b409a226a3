import { missingCompanion } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const vpcFlowLogs: PolicyRule = {
  id: 'MRAA-NET-5',
  checkovIds: ['CKV2_AWS_11'],
  rationale: 'Flow logs of all traffic are the record of who talked to what when investigating an incident.',
  fix: 'Add an aws_flow_log with vpcId of this VPC and trafficType ALL (the RegionalNetwork module does).',
  appliesTo: ['aws_vpc'],
  check: (_config, context) =>
    missingCompanion(
      context,
      'aws_flow_log',
      'records ALL traffic of this VPC',
      (flowLog) => flowLog.traffic_type === 'ALL',
    ),
};
