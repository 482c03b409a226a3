import type { BlockConfig, RuleContext, SynthesizedBlock } from './rule.js';

/**
 * Readers for synthesized configuration. cdktf writes a single nested block as an object and a
 * repeated one as an array, and a value taken from another resource as a `${...}` reference
 * string; these helpers hide both so that rules read like the Terraform they check.
 */

/** A nested block argument as a list, whether it was written as one object or an array. */
export function nestedBlocks(value: unknown): BlockConfig[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items.filter((item): item is BlockConfig => typeof item === 'object' && item !== null && !Array.isArray(item));
}

/** The first nested block of `name`, or an empty block when there is none. */
export function nestedBlock(config: BlockConfig, name: string): BlockConfig {
  return nestedBlocks(config[name])[0] ?? {};
}

/** A value that Terraform will read as `true`. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** A value that Terraform will read as `false` (an unset value is neither true nor false). */
export function isFalse(value: unknown): boolean {
  return value === false || value === 'false';
}

/** A present, non-empty value: a literal or a `${...}` reference. */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** A literal number (or numeric string); undefined for references and unset values. */
export function literalNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

/**
 * An argument as a message shows it: literals as written, references as `${...}`, and `ifUnset`
 * when there is no value. Structured values print as JSON, not `[object Object]`.
 */
export function shown(value: unknown, ifUnset = 'not set'): string {
  if (value === undefined || value === null) return ifUnset;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}

/** A list argument as strings (a single string counts as a one-item list). */
export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Whether `value` refers to an attribute of the block at `address`, such as `${aws_vpc.main.id}`. */
function refersTo(value: unknown, address: string): boolean {
  return JSON.stringify(value ?? null).includes(`${address}.`);
}

/** The blocks of `type` in the stack whose argument `field` refers to the block being checked. */
export function blocksReferring(context: RuleContext, type: string, field: string): SynthesizedBlock[] {
  return context.blocksOfType(type).filter((other) => refersTo(other.config[field], context.block.address));
}

/** The IPv4 and IPv6 "anywhere" ranges. */
export const ANYWHERE = ['0.0.0.0/0', '::/0'];

/** `[problem]` unless the condition holds: rules list their findings as `...unless(ok, 'what is wrong')`. */
export function unless(holds: boolean, problem: string): string[] {
  return holds ? [] : [problem];
}

/** `<where><field> is not true` unless `config[field]` is true. */
export function mustBeTrue(config: BlockConfig, field: string, where = ''): string[] {
  return unless(isTrue(config[field]), `${where}${field} is not true`);
}

/** `<where><field> is not set` unless `config[field]` has a value. */
export function mustBeSet(config: BlockConfig, field: string, where = ''): string[] {
  return unless(isSet(config[field]), `${where}${field} is not set`);
}

/**
 * Applies `check` to every nested block `name`, prefixing its messages with the block and its
 * label (`replica eu-west-1: `, or `ingress 2: ` by position when `labelField` is not given).
 */
export function eachNested(
  config: BlockConfig,
  name: string,
  check: (block: BlockConfig, where: string) => string[],
  labelField?: string,
): string[] {
  return nestedBlocks(config[name]).flatMap((block, index) =>
    check(block, `${name} ${labelField === undefined ? index + 1 : String(block[labelField])}: `),
  );
}

/** A JSON-string argument (container definitions, an IAM policy) read as data, or why it cannot be. */
export type ParsedJson = { readonly value: unknown } | { readonly problem: string };

/**
 * Parses a JSON-string argument. A `${jsonencode(...)}` expression (what `Fn.jsonencode` writes)
 * is Terraform code, not data, so rules cannot see inside it: that is reported as a problem.
 */
export function parseJsonArgument(config: BlockConfig, field: string): ParsedJson {
  const text = config[field];
  if (typeof text !== 'string') return { problem: `${field} is not set` };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return {
      problem: `${field} is a Terraform expression, not JSON the policy can read (build it with JSON.stringify)`,
    };
  }
}

/*
 * Readers that several rules of one area share. A rule file (policy/rules/<id>.ts) holds the rule
 * and what only it uses, so what two rules read alike lives here, once.
 */

/** `<where><field> is not set` or `<where><field> is the AWS-managed key <alias>`: a customer-managed key is required. */
export function customerManagedKey(value: unknown, field: string, awsManagedAlias: string, where = ''): string[] {
  if (!isSet(value)) return [`${where}${field} is not set`];
  return unless(value !== awsManagedAlias, `${where}${field} is the AWS-managed key ${awsManagedAlias}`);
}

/** Applies `check` to every replica of a DynamoDB global table; messages start `replica <region>: `. */
export function eachReplica(config: BlockConfig, check: (replica: BlockConfig, where: string) => string[]): string[] {
  return eachNested(config, 'replica', check, 'region_name');
}

/**
 * Applies `check` to every container of an ECS task definition (`container <name>: ` before its
 * messages), or reports why the container definitions cannot be read.
 */
export function eachContainer(
  config: BlockConfig,
  check: (container: BlockConfig, where: string) => string[],
): string[] {
  const parsed = parseJsonArgument(config, 'container_definitions');
  if ('problem' in parsed) return [parsed.problem];
  return nestedBlocks(parsed.value).flatMap((container) => check(container, `container ${String(container.name)}: `));
}

/** `no <type> in the stack <what>` unless a `<type>` whose `vpc_id` is this VPC satisfies `accepts`. */
export function missingCompanion(
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

/** Every resource type that holds security group rules. */
export const SECURITY_GROUP_RULE_TYPES = [
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
];

/** One security group rule, whichever of the three Terraform spellings declared it. */
export interface TrafficRule {
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
  const protocol = shown(rule.ip_protocol ?? rule.protocol, '');
  const allTraffic = protocol === '-1' || protocol === 'all';
  const from = rule.from_port;
  const ports = allTraffic
    ? 'all ports'
    : from === rule.to_port
      ? `port ${String(from)}`
      : `ports ${String(from)}-${String(rule.to_port)}`;
  return { direction, where, protocol: allTraffic ? 'all protocols' : protocol, ports, cidrs };
}

/** The rules a security-group resource of `type` declares, in a shape common to inline blocks and rule resources. */
export function trafficRules(type: string, config: BlockConfig): TrafficRule[] {
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

/** Load balancer and listener resource types: the provider spells each both `aws_lb_*` and `aws_alb_*`. */
export const LOAD_BALANCERS = ['aws_lb', 'aws_alb'];
export const LISTENERS = ['aws_lb_listener', 'aws_alb_listener'];

/** A listener protocol that terminates TLS. */
export function isEncryptedProtocol(protocol: unknown): boolean {
  return protocol === 'HTTPS' || protocol === 'TLS';
}
