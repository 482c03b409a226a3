/**
 * `npm run cost`: synthesizes an environment in a temporary folder (the real synth, as `npm run
 * synth`) and prints its estimated monthly cost by region and component (docs/cost.md).
 *
 *   npm run cost -- [--env <name>] [--json] [--set <setting>=<value> ...] [--price-fallback <region>]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { estimateCost, type Estimate } from '../../cost/estimate.js';
import { PriceBook } from '../../cost/prices.js';
import { renderJson, renderText } from '../../cost/render.js';
import {
  ConfigError,
  DEFAULT_ENVIRONMENT,
  loadDeploymentConfig,
  resolveConfig,
  type DeploymentConfig,
} from '../../config/index.js';
import { silenceCdktfDeprecations } from '../../stacks/dependency-warnings.js';
import { ENVIRONMENTS_DIRECTORY, SynthesisError, synthesizeConfig } from '../../stacks/synthesize.js';
import { readSynthOutput } from '../review/diff.js';

const USAGE = `usage: npm run cost -- [--env <name>] [--json] [--set <setting>=<value> ...] [--price-fallback <region>]
  --env             environment file (default: DEPLOY_ENV, else the built-in defaults)
  --set             override one setting for this estimate, e.g. --set usage.requestsPerSecond=200
                    or --set network.natGateways=single (the value is JSON when it parses, else text)
  --price-fallback  price regions or items the tables lack with this region's prices (the output says which)`;

/** `a.b.c=value` applied to a copy of `overrides`; the value is JSON when it parses as JSON, else a string. */
export function applySetting(overrides: Record<string, unknown>, setting: string): Record<string, unknown> {
  const equals = setting.indexOf('=');
  if (equals <= 0) throw new UsageError(`--set takes <setting>=<value>, got "${setting}"`);
  const path = setting.slice(0, equals).split('.');
  const text = setting.slice(equals + 1);
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // a plain string, such as single or db.r6g.xlarge
  }
  const copy = structuredClone(overrides);
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === 'object' && next !== null && !Array.isArray(next) ? next : {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
  return copy;
}

class UsageError extends Error {}

/** The environment's configuration with `settings` applied, validated like an environment file. */
export function configWithSettings(
  environment: string,
  directory: string,
  settings: readonly string[],
): DeploymentConfig {
  const config = loadDeploymentConfig({ environment, directory });
  if (settings.length === 0) return config;
  const file = join(directory, `${environment}.json`);
  const base =
    environment === DEFAULT_ENVIRONMENT || !existsSync(file)
      ? {}
      : (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
  const overrides = settings.reduce(applySetting, base);
  return resolveConfig(overrides, environment, `environment "${environment}" with --set ${settings.join(' --set ')}`);
}

/** Synthesizes `config` into a temporary folder and prices it. */
export function estimateConfig(config: DeploymentConfig, prices: PriceBook): Estimate {
  const folder = mkdtempSync(join(tmpdir(), 'mraa-cost-'));
  try {
    const outdir = join(folder, 'cdktf.out');
    synthesizeConfig(config, outdir);
    return estimateCost({
      environment: config.environment,
      stacks: readSynthOutput(outdir).stacks,
      usage: config.usage,
      prices,
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function main(argv: readonly string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        env: { type: 'string' },
        json: { type: 'boolean', default: false },
        set: { type: 'string', multiple: true },
        'price-fallback': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  silenceCdktfDeprecations();
  // Error annotations are collected from every stack and reported together, as `npm run synth` does.
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
  const environment = values.env || process.env.DEPLOY_ENV || DEFAULT_ENVIRONMENT;
  try {
    const prices = new PriceBook(undefined, values['price-fallback']);
    const config = configWithSettings(
      environment,
      process.env.DEPLOY_ENV_DIR || ENVIRONMENTS_DIRECTORY,
      values.set ?? [],
    );
    const estimate = estimateConfig(config, prices);
    process.stdout.write(values.json ? renderJson(estimate) : renderText(estimate));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof SynthesisError || error instanceof Error) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

/** Runs the command and exits with its status (scripts/cost/run.cjs calls it on the bundle). */
export function run(): void {
  process.exitCode = main(process.argv.slice(2));
}

if (require.main === module) run();
