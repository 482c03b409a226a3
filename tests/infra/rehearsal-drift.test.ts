import { describe, expect, it } from 'vitest';
import { classifyReplan, EMULATOR_DRIFT, type PlannedChange } from '../rehearsal/emulator-drift.js';
import { synthesizeOverrides } from './synth.js';

/** One update of one resource, as `tofu show -json` lists it. */
function update(
  type: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  afterUnknown: Record<string, unknown> = {},
): PlannedChange {
  return {
    address: `${type}.example`,
    type,
    change: { actions: ['update'], before, after, after_unknown: afterUnknown },
  };
}

describe('rehearsal re-plan classification (tests/rehearsal/emulator-drift.ts)', () => {
  it("blames moto for a dropped description only on rules that reference a group, as moto's gap is", () => {
    const referencing = { referenced_security_group_id: 'sg-0a', cidr_ipv4: null };
    const cidr = { referenced_security_group_id: null, cidr_ipv4: '10.1.0.0/16' };
    const { emulator, product } = classifyReplan(
      [
        update(
          'aws_vpc_security_group_ingress_rule',
          { ...referencing, description: null },
          { ...referencing, description: 'from the ALB' },
        ),
        update(
          'aws_vpc_security_group_ingress_rule',
          { ...cidr, description: null },
          { ...cidr, description: 'from the peer VPC' },
        ),
      ],
      {},
    );
    expect(emulator).toEqual([
      expect.stringMatching(/^update aws_vpc_security_group_ingress_rule\.example: description \(/),
    ]);
    expect(product).toEqual(['update aws_vpc_security_group_ingress_rule.example: description']);
  });

  it('fails a change of an attribute no gap names, even beside one that a gap names', () => {
    const { emulator, product } = classifyReplan(
      [
        update(
          'aws_ecs_service',
          { enable_ecs_managed_tags: false, desired_count: 2 },
          { enable_ecs_managed_tags: true, desired_count: 3 },
        ),
      ],
      {},
    );
    expect(emulator).toEqual([]);
    expect(product).toEqual(['update aws_ecs_service.example: desired_count']);
  });

  it('passes what is only unknown because of a blamed change upstream, and fails a replacement nobody explains', () => {
    const replaced: PlannedChange = {
      address: 'aws_rds_global_cluster.example',
      type: 'aws_rds_global_cluster',
      change: { actions: ['delete', 'create'], before: {}, after: {}, replace_paths: [['database_name']] },
    };
    const { emulator, product } = classifyReplan(
      [
        update(
          'aws_acm_certificate',
          { key_algorithm: 'RSA_2048', arn: 'a' },
          { key_algorithm: 'EC_prime256v1' },
          { arn: true },
        ),
        replaced,
      ],
      { certificate_arn: { actions: ['update'], after_unknown: true }, zone_id: { actions: ['update'] } },
    );
    expect(emulator).toEqual([
      expect.stringMatching(/^update aws_acm_certificate\.example: key_algorithm \(.*\), arn \(known after apply/),
      'update output certificate_arn (known after apply, follows an emulator change)',
    ]);
    expect(product).toEqual(['delete/create aws_rds_global_cluster.example: database_name', 'update output zone_id']);
  });

  it('names only resource types the stacks create, so no gap outlives its resources', () => {
    const stacks = Object.values(synthesizeOverrides().stacks);
    for (const type of Object.keys(EMULATOR_DRIFT)) {
      expect(
        stacks.some((stack) => Object.keys(stack.resource?.[type] ?? {}).length > 0),
        type,
      ).toBe(true);
    }
  });
});
