import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { checkAgainst, defaultsOf, isPlainObject, type Problem } from './check.js';
import {
  DEFAULT_ZONE_LETTERS,
  defaultVpcCidr,
  DeploymentSchema,
  type DeploymentConfig,
  type RegionConfig,
} from './schema.js';
import { validateConfig } from './validate.js';

/** The declared defaults of every setting: the seed document's values. */
export const DEFAULT_SETTINGS = defaultsOf(DeploymentSchema) as Omit<DeploymentConfig, 'environment'>;

/** The key an environment file names its JSON Schema with, for editors; not a setting. */
const SCHEMA_KEY = '$schema';

/** The environment that uses the built-in defaults alone; it has no file. */
export const DEFAULT_ENVIRONMENT = 'default';

/** Invalid configuration: every problem at once, each naming its field. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly Problem[],
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((problem) => `  - ${problem.field}: ${problem.message}`);
    super([`Invalid deployment configuration in ${source} (${count}):`, ...lines].join('\n'));
    this.name = 'ConfigError';
  }
}

export interface LoadOptions {
  /** Environment name: `default`, or the base name of a file in `directory`. */
  readonly environment: string;
  /** Folder of environment files. */
  readonly directory: string;
  /** Image tag from the build pipeline (`IMAGE_TAG`); wins over the file. Default: the file's. */
  readonly imageTag?: string;
}

/** Reads, merges over the defaults, and validates an environment. Throws ConfigError. */
export function loadDeploymentConfig(options: LoadOptions): DeploymentConfig {
  const { environment, directory } = options;
  if (environment === DEFAULT_ENVIRONMENT) {
    return resolveConfig({}, environment, 'the built-in defaults', options.imageTag);
  }
  const file = join(directory, `${environment}.json`);
  const source = shownPath(file);
  if (!/^[a-z][a-z0-9-]*$/.test(environment) || !existsSync(file)) {
    throw new ConfigError(source, [
      {
        field: 'environment',
        message: `"${environment}" has no environment file; available: ${[DEFAULT_ENVIRONMENT, ...listEnvironments(directory)].join(', ')}`,
      },
    ]);
  }
  let overrides: unknown;
  try {
    overrides = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(source, [{ field: '(file)', message: `is not valid JSON: ${(error as Error).message}` }]);
  }
  return resolveConfig(overrides, environment, source, options.imageTag);
}

/** A file's path as a message shows it: relative to the working folder when inside it. */
function shownPath(file: string): string {
  const shown = relative(process.cwd(), file);
  return shown.startsWith('..') || isAbsolute(shown) ? file : shown;
}

/** Environment names that have a file in `directory`, sorted. */
export function listEnvironments(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}

/**
 * Merges `overrides` (an environment file's content) over the defaults and validates the result.
 * `source` names where the overrides came from, for the error message.
 */
export function resolveConfig(
  overrides: unknown,
  environment: string,
  source: string,
  imageTag?: string,
): DeploymentConfig {
  const problems: Problem[] = [];
  const { [SCHEMA_KEY]: _schema, ...settings } = isPlainObject(overrides) ? overrides : {};
  const file = isPlainObject(overrides) ? settings : overrides;
  const clean = (checkAgainst(DeploymentSchema, file, '', problems) ?? {}) as Record<string, unknown>;
  // The pipeline's tag gets the same check as the file's, under the name it was given by.
  const pipelineTag =
    imageTag === undefined
      ? undefined
      : (checkAgainst(DeploymentSchema.properties.service.properties.imageTag, imageTag, 'IMAGE_TAG', problems) as
          | string
          | undefined);
  const merged = deepMerge(DEFAULT_SETTINGS, clean) as Omit<DeploymentConfig, 'environment' | 'regions'> & {
    regions: Record<string, unknown>[];
  };
  const config: DeploymentConfig = {
    ...merged,
    environment,
    service: pipelineTag === undefined ? merged.service : { ...merged.service, imageTag: pipelineTag },
    regions: merged.regions.map((entry, index) => resolveRegion(entry, index, merged.aurora)),
  };
  problems.push(...validateConfig(config));
  if (problems.length > 0) throw new ConfigError(source, problems);
  return config;
}

function resolveRegion(
  entry: Record<string, unknown>,
  index: number,
  aurora: DeploymentConfig['aurora'],
): RegionConfig {
  const region = entry.region as string;
  const auroraOverrides = (entry.aurora ?? {}) as Partial<RegionConfig['aurora']>;
  return {
    region,
    vpcCidr: (entry.vpcCidr as string | undefined) ?? defaultVpcCidr(index),
    availabilityZones:
      (entry.availabilityZones as string[] | undefined) ?? DEFAULT_ZONE_LETTERS.map((letter) => `${region}${letter}`),
    aurora: {
      instanceClass: auroraOverrides.instanceClass ?? aurora.instanceClass,
      instanceCount: auroraOverrides.instanceCount ?? aurora.instancesPerRegion,
    },
  };
}

/** Objects merge field by field; anything else (lists included) replaces the default. */
function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = deepMerge(base[key], value);
  return merged;
}
