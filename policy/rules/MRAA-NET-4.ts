import { missingCompanion, nestedBlocks, unless } from '../inspect.js';
import type { PolicyRule } from '../rule.js';

export const defaultSecurityGroupClosed: PolicyRule = {
  id: 'MRAA-NET-4',
  checkovIds: ['CKV2_AWS_12'],
  rationale: 'The default security group is what a resource gets when nobody chose one; it must admit nothing.',
  fix: "Manage the VPC's aws_default_security_group (the RegionalNetwork module does) with no ingress and no egress blocks.",
  appliesTo: ['aws_vpc', 'aws_default_security_group'],
  check(config, context) {
    if (context.block.type === 'aws_vpc')
      return missingCompanion(context, 'aws_default_security_group', "takes over this VPC's default security group");
    return [
      ...unless(nestedBlocks(config.ingress).length === 0, 'the default security group has ingress rules'),
      ...unless(nestedBlocks(config.egress).length === 0, 'the default security group has egress rules'),
    ];
  },
};
