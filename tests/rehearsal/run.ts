/**
 * Deploy and destroy rehearsal (docs/rehearsal.md): for each rehearsed environment, against moto on
 * loopback and with the real CLI and AWS provider, `init` + `apply` every stack in the documented
 * deploy order with state per stack exactly as a user gets it (local backend, relative paths,
 * `terraform_remote_state` between stacks); `plan` every stack again and require no changes; then
 * `destroy` in the documented reverse order after the documented manual steps, and require that
 * nothing the stacks created is left in moto except what docs/deploy.md says a destroy keeps.
 *
 *   npm run test:rehearsal [-- --env default|three-regions]
 *
 * Exits non-zero when any stack fails a step, re-plans with changes, or leaves something behind.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDeploymentConfig, type DeploymentConfig } from '../../config/index.js';
import { silenceCdktfDeprecations } from '../../stacks/dependency-warnings.js';
import { hostedZoneName } from '../../stacks/zone-stack.js';
import { deployOrder, readSynthOutput } from '../../scripts/review/diff.js';
import { runCli, runCliOrThrow, terraformCli, type TerraformCli } from '../terraform/cli.js';
import { motoPython, startMoto, type Moto } from '../terraform/moto.js';
import { mirroredProviderVersions, synthesizeEnvironment } from '../terraform/synthesized.js';
import { classifyReplan, type Classified, type PlannedChange } from './emulator-drift.js';

const HERE = __dirname;
const ENVIRONMENTS_DIRECTORY = join(HERE, 'environments');

/** The rehearsed environments: the built-in two-region defaults, and three regions with a created zone. */
const REHEARSED: Record<string, { readonly directory: string }> = {
  default: { directory: resolve(HERE, '../../environments') },
  'three-regions': { directory: ENVIRONMENTS_DIRECTORY },
};

/**
 * Every AWS API the stacks call, pointed at moto (the provider's `endpoints` names). A service
 * missing here would reach the real AWS with fake credentials and fail loudly.
 */
const SERVICES = [
  'acm',
  'appautoscaling',
  'backup',
  'cloudwatch',
  'dynamodb',
  'ec2',
  'ecr',
  'ecs',
  'elbv2',
  'iam',
  'kms',
  'logs',
  'rds',
  'route53',
  's3',
  's3control',
  'secretsmanager',
  'sns',
  'ssm',
  'sts',
  'wafv2',
];

interface StackJson {
  readonly provider?: { readonly aws?: ReadonlyArray<{ readonly alias?: string }> };
}

interface StackResult {
  stack: string;
  resources?: number;
  applySeconds?: number;
  /** `no changes`, `emulator drift only` (moto's gaps, listed), or `CHANGES` (a product defect). */
  replan?: string;
  destroySeconds?: number;
}

interface EnvironmentResult {
  readonly environment: string;
  readonly regions: readonly string[];
  readonly stacks: StackResult[];
  readonly problems: string[];
  /** Re-plan changes that moto's gaps explain (tests/rehearsal/emulator-drift.ts). */
  readonly emulatorDrift: string[];
  leftovers?: readonly string[];
  kept?: readonly string[];
}

/**
 * Points every aliased AWS provider of the stack at moto with fake credentials, through an override
 * file: Terraform merges provider blocks of the same alias, so the synthesized JSON stays as it is.
 */
function writeMotoOverride(dir: string, stack: StackJson, endpoint: string): void {
  const aliases = (stack.provider?.aws ?? []).map((provider) => provider.alias);
  if (aliases.length === 0) return;
  const override = {
    provider: {
      aws: aliases.map((alias) => ({
        ...(alias === undefined ? {} : { alias }),
        access_key: 'test',
        secret_key: 'test',
        // The account id comes from moto's STS, as from AWS's: resources whose id is the account
        // (the ECR replication configuration) need it.
        skip_credentials_validation: true,
        skip_metadata_api_check: true,
        s3_use_path_style: true,
        endpoints: [Object.fromEntries(SERVICES.map((service) => [service, endpoint]))],
      })),
    },
  };
  writeFileSync(join(dir, 'moto_override.tf.json'), JSON.stringify(override, null, 2));
}

/** Runs tests/rehearsal/aws_steps.py (boto3 against moto); returns its standard output. */
function awsStep(moto: Moto, args: readonly string[]): string {
  const result = spawnSync(motoPython(), [join(HERE, 'aws_steps.py'), '--endpoint', moto.endpoint, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`aws_steps.py ${args.join(' ')}: ${result.stderr || result.error?.message}`);
  return result.stdout;
}

const seconds = (started: number): number => Math.round((performance.now() - started) / 100) / 10;

async function managedResourceCount(cli: TerraformCli, stack: string, dir: string): Promise<number> {
  const listed = await runCliOrThrow(cli, stack, dir, ['state', 'list', '-no-color']);
  return listed.stdout.split('\n').filter((line) => line !== '' && !/(^|\.)data\./.test(line)).length;
}

/** What a plan after the apply would change, sorted into the emulator's doing and the product's. */
async function replan(cli: TerraformCli, stack: string, dir: string): Promise<Classified> {
  const planArgs = ['plan', '-input=false', '-no-color', '-lock=false', '-detailed-exitcode', '-out=replan.tfplan'];
  const planned = await runCliOrThrow(cli, stack, dir, planArgs, [0, 2]);
  if (planned.code === 0) return { emulator: [], product: [] };
  const shown = await runCliOrThrow(cli, stack, dir, ['show', '-json', '-no-color', 'replan.tfplan']);
  const plan = JSON.parse(shown.stdout) as {
    resource_changes?: PlannedChange[];
    output_changes?: Record<string, { actions: string[]; after_unknown?: unknown }>;
  };
  return classifyReplan(plan.resource_changes ?? [], plan.output_changes ?? {});
}

/** The identifiers of what the data stack keeps on destroy, as the inventory names them. */
async function keptByDataStack(cli: TerraformCli, dir: string, addresses: readonly string[]): Promise<string[]> {
  const shown = await runCliOrThrow(cli, 'data', dir, ['show', '-json', '-no-color']);
  const state = JSON.parse(shown.stdout) as {
    values?: { root_module?: { resources?: Array<{ address: string; values: Record<string, unknown> }> } };
  };
  const byAddress = new Map((state.values?.root_module?.resources ?? []).map((r) => [r.address, r.values]));
  return addresses.map((address) => {
    const values = byAddress.get(address);
    if (values === undefined) throw new Error(`data: retained_on_destroy names ${address}, which is not in the state`);
    const located = [values.region, values.arn].find((value): value is string => typeof value === 'string') ?? '';
    const region = /[a-z]{2}-[a-z]+-\d/.exec(located)?.[0] ?? '?';
    if (address.startsWith('aws_kms_key.'))
      return `kms-key ${region} ${String(values.key_id)} (${typeof values.description === 'string' ? values.description : ''})`;
    if (address.startsWith('aws_backup_vault.')) return `backup-vault ${region} ${String(values.name)}`;
    throw new Error(`data: retained_on_destroy names ${address}, a type the rehearsal cannot look up`);
  });
}

async function rehearse(environment: string, baseCli: TerraformCli): Promise<EnvironmentResult> {
  const { directory } = REHEARSED[environment] ?? {};
  if (directory === undefined) {
    throw new Error(`--env ${environment}: not a rehearsed environment (${Object.keys(REHEARSED).join(', ')})`);
  }
  const config: DeploymentConfig = loadDeploymentConfig({ environment, directory });
  const regions = config.regions.map((placement) => placement.region);
  const synthesized = synthesizeEnvironment(environment, directory);
  const output = readSynthOutput(synthesized.outdir);
  const order = deployOrder(output, output);
  const result: EnvironmentResult = {
    environment,
    regions,
    stacks: order.map((stack) => ({ stack })),
    problems: [],
    emulatorDrift: [],
  };
  const entry = (stack: string): StackResult => result.stacks.find((candidate) => candidate.stack === stack)!;

  const moto = await startMoto(join(HERE, 'moto_server.py'));
  // moto is also the CLI's HTTP proxy, for the one API whose host cannot be an override (S3
  // Control: tests/rehearsal/moto_server.py); loopback endpoints are never proxied.
  const cli: TerraformCli = { ...baseCli, env: { ...baseCli.env, HTTP_PROXY: moto.endpoint, NO_PROXY: '' } };
  try {
    for (const stack of order)
      writeMotoOverride(synthesized.stackDir(stack), output.stacks.get(stack) as StackJson, moto.endpoint);
    const before = new Set(JSON.parse(awsStep(moto, ['inventory', ...regions])) as string[]);
    const seeded: string[] = [];
    if (!config.dns.createHostedZone) {
      // The zone the certificates and dns stacks look up exists before any deploy (docs/deploy.md).
      awsStep(moto, ['create-zone', hostedZoneName(config)]);
      seeded.push(`hosted-zone global ${hostedZoneName(config)}.`);
    }

    console.log(`\n${environment}: ${regions.join(', ')}; project folder ${resolve(synthesized.outdir, '..')}`);
    for (const stack of order) {
      const dir = synthesized.stackDir(stack);
      if (stack.startsWith('app-') && !order.slice(0, order.indexOf(stack)).some((s) => s.startsWith('app-'))) {
        // docs/deploy.md step 4: the image is pushed to the registry stack's push_repository_url and
        // replicated to every region, under the same repository name, before any app stack.
        const pushUrl = JSON.parse(
          (
            await runCliOrThrow(cli, 'registry', synthesized.stackDir('registry'), [
              'output',
              '-json',
              'push_repository_url',
            ])
          ).stdout,
        ) as string;
        const repository = pushUrl.slice(pushUrl.indexOf('/') + 1);
        awsStep(moto, ['push-image', repository, config.service.imageTag, ...regions]);
      }
      const started = performance.now();
      try {
        await runCliOrThrow(cli, stack, dir, ['init', '-input=false', '-no-color']);
        await runCliOrThrow(cli, stack, dir, ['apply', '-input=false', '-no-color', '-auto-approve']);
      } catch (error) {
        result.problems.push(`apply ${stack}: ${(error as Error).message}`);
        console.log(`  apply   ${stack}: FAILED`);
        return result;
      }
      entry(stack).applySeconds = seconds(started);
      entry(stack).resources = await managedResourceCount(cli, stack, dir);
      console.log(`  apply   ${stack}: ${entry(stack).resources} resources in ${entry(stack).applySeconds} s`);
    }

    for (const stack of order) {
      const { emulator, product } = await replan(cli, stack, synthesized.stackDir(stack));
      entry(stack).replan = product.length > 0 ? 'CHANGES' : emulator.length > 0 ? 'emulator drift only' : 'no changes';
      result.emulatorDrift.push(...emulator.map((line) => `${stack}: ${line}`));
      for (const line of product) result.problems.push(`re-plan ${stack} is not empty: ${line}`);
      console.log(`  re-plan ${stack}: ${entry(stack).replan}`);
    }

    awsStep(moto, ['before-destroy', ...regions]);
    let kept: string[] = [];
    for (const stack of [...order].reverse()) {
      const dir = synthesized.stackDir(stack);
      // docs/deploy.md, "Destroy order", step 4: the app stacks check the image at every plan.
      if (stack === 'registry') awsStep(moto, ['empty-registry', ...regions]);
      if (stack === 'data') {
        // docs/deploy.md, "What a destroy keeps": release the retained keys and vaults first.
        const retained = JSON.parse(
          (await runCliOrThrow(cli, stack, dir, ['output', '-json', '-no-color', 'retained_on_destroy'])).stdout,
        ) as string[];
        kept = await keptByDataStack(cli, dir, retained);
        if (retained.length > 0) await runCliOrThrow(cli, stack, dir, ['state', 'rm', '-no-color', ...retained]);
      }
      const started = performance.now();
      const destroyed = await runCli(cli, dir, ['destroy', '-input=false', '-no-color', '-auto-approve']);
      if (destroyed.code !== 0) {
        result.problems.push(`destroy ${stack}: ${destroyed.stderr || destroyed.stdout}`);
        console.log(`  destroy ${stack}: FAILED`);
        continue;
      }
      entry(stack).destroySeconds = seconds(started);
      console.log(`  destroy ${stack}: ${entry(stack).destroySeconds} s`);
    }

    const after = JSON.parse(awsStep(moto, ['inventory', ...regions])) as string[];
    const expected = new Set([...kept, ...seeded]);
    result.kept = after.filter((item) => expected.has(item));
    result.leftovers = after.filter((item) => !before.has(item) && !expected.has(item));
    for (const item of result.leftovers) result.problems.push(`left behind: ${item}`);
    for (const item of expected)
      if (!after.includes(item)) result.problems.push(`expected to be kept but gone: ${item}`);
    return result;
  } finally {
    await moto.stop();
  }
}

function table(result: EnvironmentResult): string {
  const rows = result.stacks.map((s) =>
    [`\`${s.stack}\``, s.resources ?? '–', s.applySeconds ?? '–', s.replan ?? '–', s.destroySeconds ?? '–'].join(' | '),
  );
  return [
    `| stack | resources | apply s | re-plan | destroy s |`,
    `| --- | ---: | ---: | --- | ---: |`,
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}

async function main(): Promise<void> {
  silenceCdktfDeprecations();
  const { values } = parseArgs({ options: { env: { type: 'string', multiple: true } } });
  const environments = values.env ?? Object.keys(REHEARSED);
  const cli = terraformCli();
  const versions = mirroredProviderVersions();
  if (!/(^|,)aws=/.test(process.env.MRAA_PROVIDER_VERSIONS ?? versions)) {
    throw new Error(
      'no AWS provider in the toolchain mirror: run `bash scripts/toolchain/build.sh --with-aws-provider` first',
    );
  }
  const started = performance.now();
  const results: EnvironmentResult[] = [];
  for (const environment of environments) results.push(await rehearse(environment, cli));

  console.log(
    `\n## Deploy and destroy rehearsal (${cli.binary}, providers ${process.env.MRAA_PROVIDER_VERSIONS ?? versions}, moto)\n`,
  );
  for (const result of results) {
    console.log(`### ${result.environment} (${result.regions.join(', ')})\n\n${table(result)}\n`);
    if (result.emulatorDrift.length > 0) {
      console.log(
        `Re-plan changes explained by moto's gaps (${result.emulatorDrift.length}):\n- ${result.emulatorDrift.join('\n- ')}\n`,
      );
    }
    if (result.kept !== undefined)
      console.log(`Kept on destroy, as documented: ${result.kept.length} (${result.kept.join(', ') || 'none'})`);
    console.log(
      result.problems.length === 0
        ? 'Result: ok\n'
        : `Result: ${result.problems.length} problem(s)\n- ${result.problems.join('\n- ')}\n`,
    );
  }
  console.log(`Total: ${seconds(started)} s`);
  if (results.some((result) => result.problems.length > 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
