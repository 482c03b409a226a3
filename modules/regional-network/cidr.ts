/**
 * IPv4 CIDR arithmetic, with the semantics of Terraform's `cidrsubnet()` so that the subnets we
 * compute at synth time are the ones the seed document's `cidrsubnet(cidr, 8, index)` would give.
 */

export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined when the text is not an IPv4 CIDR block. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefixLength > 32) return undefined;
  const address = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  return { network: address, prefixLength };
}

/** True when the address has no bits set beyond the prefix (10.0.0.0/16, not 10.0.1.0/16). */
export function isNetworkAligned(cidr: Ipv4Cidr): boolean {
  return cidr.network % blockSize(cidr.prefixLength) === 0;
}

export function formatCidr(cidr: Ipv4Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.network / 2 ** shift) % 256);
  return `${octets.join('.')}/${cidr.prefixLength}`;
}

/**
 * Terraform's `cidrsubnet(prefix, newbits, netnum)`: the netnum-th block of size
 * /(prefixLength + newbits) inside prefix. Throws on arguments Terraform would also reject.
 */
export function cidrSubnet(prefix: string, newbits: number, netnum: number): string {
  const parent = parseCidr(prefix);
  if (!parent) throw new Error(`cidrSubnet: "${prefix}" is not an IPv4 CIDR block`);
  const prefixLength = parent.prefixLength + newbits;
  if (prefixLength > 32) {
    throw new Error(`cidrSubnet: ${prefix} has no room for ${newbits} more bits`);
  }
  if (!Number.isInteger(netnum) || netnum < 0 || netnum >= 2 ** newbits) {
    throw new Error(`cidrSubnet: netnum ${netnum} does not fit in ${newbits} bits`);
  }
  const base = parent.network - (parent.network % blockSize(parent.prefixLength));
  return formatCidr({ network: base + netnum * blockSize(prefixLength), prefixLength });
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const aEnd = a.network + blockSize(a.prefixLength);
  const bEnd = b.network + blockSize(b.prefixLength);
  return a.network < bEnd && b.network < aEnd;
}

function blockSize(prefixLength: number): number {
  return 2 ** (32 - prefixLength);
}
