import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionAlias } from '../../config/index.js';
import { readStacks, stackOf } from '../infra/synth.js';
import { plannedCreations, runCliOrThrow, terraformCli } from './cli.js';
import { startMoto, type Moto } from './moto.js';
import { ENVIRONMENTS, synthesizeEnvironment } from './synthesized.js';

/** AWS APIs a network stack calls while planning. */
const NETWORK_SERVICES = ['ec2', 'iam', 'kms', 'logs', 'sts'];

/**
 * Points the stack's provider at moto with fake credentials and keeps state in the stack
 * directory, through an override file, so the synthesized configuration itself stays untouched.
 */
function writeMotoOverride(dir: string, region: string, endpoint: string): void {
  const override = {
    terraform: { backend: { local: { path: 'moto.tfstate' } } },
    provider: {
      aws: [
        {
          alias: regionAlias(region),
          access_key: 'test',
          secret_key: 'test',
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: true,
          endpoints: [Object.fromEntries(NETWORK_SERVICES.map((service) => [service, endpoint]))],
        },
      ],
    },
  };
  writeFileSync(join(dir, 'moto_override.tf.json'), JSON.stringify(override, null, 2));
}

const cli = terraformCli();
let moto: Moto;
beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});

describe.each(ENVIRONMENTS)('%s environment', (environment) => {
  const synthesized = synthesizeEnvironment(environment);
  const stacks = readStacks(synthesized.outdir);
  const networkStacks = synthesized.stacks.filter((stack) => stack.startsWith('network-'));

  it.each(networkStacks)(
    '%s plans against the moto AWS emulator and creates every synthesized resource',
    async (stack) => {
      const dir = synthesized.stackDir(stack);
      writeMotoOverride(dir, stack.slice('network-'.length), moto.endpoint);
      await runCliOrThrow(cli, stack, dir, ['init', '-input=false', '-no-color', '-reconfigure']);
      const planned = await plannedCreations(cli, stack, dir);
      const synthesizedTypes = Object.entries(stackOf(stacks, stack).resource ?? {})
        .flatMap(([type, byId]) => Object.keys(byId).map(() => type))
        .sort();
      expect(planned).toEqual(synthesizedTypes);
      expect(planned).toContain('aws_vpc');
      expect(planned.filter((type) => type === 'aws_subnet')).toHaveLength(3 * 3);
    },
  );
});
