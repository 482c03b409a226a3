import { ANYWHERE, blocksReferring, eachNested, mustBeSet, nestedBlocks, stringList, unless } from '../inspect.js';
import type { BlockConfig, PolicyRule, RuleContext } from '../rule.js';

/** Every resource type that holds security group rules. */
const SECURITY_GROUP_RULE_TYPES = [
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
];

/** One security group rule, whichever of the three Terraform spellings declared it. */
interface TrafficRule {
  readonly direction: 'ingress' | 'egress';
  /** Prefix for messages: empty for a rule resource, `ingress 2: ` for an inline block. */
  readonly where: string;
  readonly protocol: string;
  readonly ports: string;
  readonly cidrs: readonly string[];
}

function trafficRule(
  direction: TrafficRule['direction'],
  where: string,
  rule: BlockConfig,
  cidrs: readonly string[],
): TrafficRule {
  const protocol = String(rule.ip_protocol ?? rule.protocol ?? '');
  const allTraffic = protocol === '-1' || protocol === 'all';
  const from = rule.from_port;
  const ports = allTraffic
    ? 'all ports'
    : from === rule.to_port
      ? `port ${String(from)}`
      : `ports ${String(from)}-${String(rule.to_port)}`;
  return { direction, where, protocol: allTraffic ? 'all protocols' : protocol, ports, cidrs };
}

/** The rules a security-group resource declares, in a shape common to inline blocks and rule resources. */
function trafficRules(type: string, config: BlockConfig): TrafficRule[] {
  switch (type) {
    case 'aws_vpc_security_group_ingress_rule':
    case 'aws_vpc_security_group_egress_rule':
      return [
        trafficRule(
          type.endsWith('ingress_rule') ? 'ingress' : 'egress',
          '',
          config,
          [config.cidr_ipv4, config.cidr_ipv6].filter((cidr): cidr is string => typeof cidr === 'string'),
        ),
      ];
    case 'aws_security_group_rule':
      return [
        trafficRule(config.type === 'egress' ? 'egress' : 'ingress', '', config, [
          ...stringList(config.cidr_blocks),
          ...stringList(config.ipv6_cidr_blocks),
        ]),
      ];
    default:
      return (['ingress', 'egress'] as const).flatMap((direction) =>
        nestedBlocks(config[direction]).map((rule, index) =>
          trafficRule(direction, `${direction} ${index + 1}: `, rule, [
            ...stringList(rule.cidr_blocks),
            ...stringList(rule.ipv6_cidr_blocks),
          ]),
        ),
      );
  }
}

export const securityGroupDescriptions: PolicyRule = {
  id: 'MRAA-NET-1',
  checkovIds: ['CKV_AWS_23'],
  rationale: 'A description on every group and rule says why the opening exists, so a review can tell a stale one.',
  fix: 'Set description on the security group and on every rule, saying which traffic it admits and why.',
  appliesTo: SECURITY_GROUP_RULE_TYPES,
  check: (config) => [
    ...mustBeSet(config, 'description'),
    ...eachNested(config, 'ingress', (rule, where) => mustBeSet(rule, 'description', where)),
    ...eachNested(config, 'egress', (rule, where) => mustBeSet(rule, 'description', where)),
  ],
};

export const noIngressFromAnywhere: PolicyRule = {
  id: 'MRAA-NET-2',
  checkovIds: ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_AWS_260', 'CKV_AWS_277'],
  rationale: 'Only the load balancer faces the internet; every other tier admits the tier in front of it alone.',
  fix: "Admit a security group (referencedSecurityGroupId) or a private range instead of 0.0.0.0/0 or ::/0; the load balancer's 443/80 are suppressed by name.",
  appliesTo: SECURITY_GROUP_RULE_TYPES,
  check: (config, context) =>
    trafficRules(context.block.type, config)
      .filter((rule) => rule.direction === 'ingress')
      .flatMap((rule) =>
        rule.cidrs
          .filter((cidr) => ANYWHERE.includes(cidr))
          .map((cidr) => `${rule.where}ingress from ${cidr} on ${rule.protocol} ${rule.ports}`),
      ),
};

export const noUnrestrictedEgress: PolicyRule = {
  id: 'MRAA-NET-3',
  checkovIds: ['CKV_AWS_382'],
  rationale: 'Egress names its protocol and ports, so a compromised task cannot open any connection it likes.',
  fix: 'Allow egress per protocol and port (such as tcp 443) or to a security group, not all traffic to 0.0.0.0/0 or ::/0.',
  appliesTo: SECURITY_GROUP_RULE_TYPES,
  check: (config, context) =>
    trafficRules(context.block.type, config)
      .filter((rule) => rule.direction === 'egress' && rule.protocol === 'all protocols')
      .flatMap((rule) =>
        rule.cidrs
          .filter((cidr) => ANYWHERE.includes(cidr))
          .map((cidr) => `${rule.where}egress to ${cidr} on all protocols and ports`),
      ),
};

/** `no <type> in the stack <what>` unless a `<type>` whose `vpc_id` is this VPC satisfies `accepts`. */
function missingCompanion(
  context: RuleContext,
  type: string,
  what: string,
  accepts: (config: BlockConfig) => boolean = () => true,
): string[] {
  const companions = blocksReferring(context, type, 'vpc_id');
  return unless(
    companions.some((companion) => accepts(companion.config)),
    `no ${type} in the stack ${what}`,
  );
}

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
