/**
 * What a synthesized output creates: every resource block of every stack with the region its
 * provider deploys it to (`provider = aws.eu_west_1` → the `aws` provider block with that alias).
 * Data sources create nothing and are not listed.
 */

export type Body = Readonly<Record<string, unknown>>;

/** The parts of a synthesized `cdk.tf.json` the cost model reads. */
export interface SynthesizedStack {
  readonly provider?: Readonly<Record<string, ReadonlyArray<Body>>>;
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Body>>>>;
}

export interface Block {
  readonly stack: string;
  readonly type: string;
  readonly id: string;
  /** `<type>.<id>`, as Terraform and the review name it. */
  readonly address: string;
  /** The AWS region it is created in; `none` for resources of other providers (random). */
  readonly region: string;
  readonly body: Body;
}

export const NO_REGION = 'none';

export function inventory(stacks: ReadonlyMap<string, SynthesizedStack>): Block[] {
  const blocks: Block[] = [];
  for (const [stack, json] of [...stacks].sort(([a], [b]) => a.localeCompare(b))) {
    const regions = providerRegions(json);
    for (const [type, bodies] of Object.entries(json.resource ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      for (const [id, body] of Object.entries(bodies).sort(([a], [b]) => a.localeCompare(b))) {
        const provider = typeof body.provider === 'string' ? body.provider : type.split('_')[0];
        const region = regions.get(provider ?? '') ?? NO_REGION;
        blocks.push({ stack, type, id, address: `${type}.${id}`, region, body });
      }
    }
  }
  return blocks;
}

/** `aws.<alias>` (or `aws` for the default provider) → region, for one stack. */
function providerRegions(stack: SynthesizedStack): Map<string, string> {
  const regions = new Map<string, string>();
  for (const provider of stack.provider?.aws ?? []) {
    if (typeof provider.region !== 'string') continue;
    regions.set(typeof provider.alias === 'string' ? `aws.${provider.alias}` : 'aws', provider.region);
  }
  return regions;
}

/** True when `body` refers to `target` (an interpolation such as `${aws_lb.x.arn}`, or a `depends_on` entry). */
export function refersTo(body: Body, target: Block): boolean {
  return JSON.stringify(body).includes(`${target.address}.`) || JSON.stringify(body).includes(`"${target.address}"`);
}

/** The block a `${<type>.<id>.<attribute>}` reference in `value` names, in the same stack. */
export function referencedBlock(blocks: readonly Block[], from: Block, value: unknown): Block | undefined {
  const match = typeof value === 'string' ? /\$\{([a-z0-9_]+)\.([^.}]+)\./.exec(value) : null;
  if (match === null) return undefined;
  return blocks.find((block) => block.stack === from.stack && block.type === match[1] && block.id === match[2]);
}

/** A nested block cdktf writes either as an object or as a one-element list. */
export function nested(value: unknown): Body[] {
  if (Array.isArray(value)) return value.filter((item): item is Body => typeof item === 'object' && item !== null);
  return typeof value === 'object' && value !== null ? [value as Body] : [];
}
