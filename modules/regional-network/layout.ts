import { Fn, Op, type IResolvable } from 'cdktf';
import { isToken } from '../tokens.js';
import { compare, type Rule } from '../validation.js';
import { cidrSubnet, isNetworkAligned, parseCidr } from './cidr.js';

/**
 * Where each subnet tier sits in the VPC: tier subnets are `cidrsubnet(vpc_cidr, 8, offset + i)`
 * for zone index i. Private subnets start at 0, the seed document's layout; public and database
 * subnets start at 100 and 200, so in 10.0.0.0/16 they read 10.0.0-5.x, 10.0.100-105.x and
 * 10.0.200-205.x.
 */
export const SUBNET_TIERS = { private: 0, public: 100, database: 200 } as const;
export type SubnetTier = keyof typeof SUBNET_TIERS;
export const SUBNET_NEWBITS = 8;

/** Zones per VPC: the ALB and Aurora need two; no region has more than six. */
export const ZONE_COUNT = { min: 2, max: 6 } as const;

/**
 * The smallest subnet a tier may get: a /27, since the public tier holds the load balancer, whose
 * subnets need at least a /27 with 8 free addresses (Elastic Load Balancing, Application Load
 * Balancers guide, "Subnets for your load balancer"); AWS's smallest subnet, a /28, is too small.
 */
export const SMALLEST_SUBNET_PREFIX = 27;

/** AWS accepts VPC blocks from /16 to /28; tier subnets (prefix + 8) must be /27 or larger. */
export const VPC_PREFIX = { largest: 16, smallest: SMALLEST_SUBNET_PREFIX - SUBNET_NEWBITS } as const;

/** The block of a tier's subnet in the `zoneIndex`-th zone; Terraform's `cidrsubnet()` when `vpcCidr` is a token. */
export function subnetCidr(vpcCidr: string, tier: SubnetTier, zoneIndex: number): string {
  const netnum = SUBNET_TIERS[tier] + zoneIndex;
  return isToken(vpcCidr)
    ? Fn.cidrsubnet(vpcCidr, SUBNET_NEWBITS, netnum)
    : cidrSubnet(vpcCidr, SUBNET_NEWBITS, netnum);
}

/** What is wrong with `vpcCidr` as a home for the three tiers; undefined when it fits. */
export function vpcCidrProblem(vpcCidr: string): string | undefined {
  const cidr = parseCidr(vpcCidr);
  if (!cidr) return `"${vpcCidr}" is not an IPv4 CIDR block such as 10.0.0.0/16`;
  if (!isNetworkAligned(cidr)) return `"${vpcCidr}" has host bits set; the block must start at its network address`;
  const allowed = `use a prefix from /${VPC_PREFIX.largest} to /${VPC_PREFIX.smallest}`;
  if (cidr.prefixLength < VPC_PREFIX.largest) return `"${vpcCidr}" is larger than AWS allows for a VPC; ${allowed}`;
  if (cidr.prefixLength > VPC_PREFIX.smallest) {
    return `"${vpcCidr}" is too small for its subnet tiers: each tier takes /${cidr.prefixLength + SUBNET_NEWBITS} subnets and a load balancer's subnet must be a /${SMALLEST_SUBNET_PREFIX} or larger; ${allowed}`;
  }
  return undefined;
}

/** `vpcCidrProblem` as a rule, for a VPC block that may be a token. */
export const VPC_CIDR_RULE: Rule<string> = {
  allowed: `an IPv4 CIDR block at its network address, from /${VPC_PREFIX.largest} to /${VPC_PREFIX.smallest}`,
  holds: (cidr) => vpcCidrProblem(cidr) === undefined,
  problem: (cidr) => vpcCidrProblem(cidr) ?? '',
  condition: (cidr) => {
    const prefixLength = Fn.tonumber(Fn.element(Fn.split('/', cidr), 1));
    const rule = Op.and(
      // cidrsubnet(block, 0, 0) is the block itself only for a block at its network address.
      Op.eq(Fn.cidrsubnet(cidr, 0, 0), cidr),
      Op.and(compare(prefixLength, 'gte', VPC_PREFIX.largest), compare(prefixLength, 'lte', VPC_PREFIX.smallest)),
    );
    return Fn.try([rule, false]) as IResolvable;
  },
};

/** What is wrong with `count` zones for one VPC; undefined when it fits. */
export function zoneCountProblem(count: number): string | undefined {
  return count >= ZONE_COUNT.min && count <= ZONE_COUNT.max
    ? undefined
    : `needs ${ZONE_COUNT.min} to ${ZONE_COUNT.max} zones (the ALB and Aurora need two), got ${count}`;
}
