import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { AnnotationMetadataEntryType, App } from 'cdktf';
import type { IConstruct } from 'constructs';
import { ConfigError, DEFAULT_ENVIRONMENT, loadDeploymentConfig, type DeploymentConfig } from '../config/index.js';
import { silenceCdktfDeprecations } from './dependency-warnings.js';
import { buildDeployment } from './index.js';

/**
 * Project root (the folder of cdktf.json): environment files and the default output directory
 * are found from here, whether this file runs from stacks/ or bundled into main.ts.
 */
export const PROJECT_ROOT = findProjectRoot(__dirname);
export const ENVIRONMENTS_DIRECTORY = join(PROJECT_ROOT, 'environments');

export interface SynthesizeOptions {
  /** Where the synthesized stacks end up. */
  readonly outdir: string;
  /** Environment name; default `default` (the built-in defaults). */
  readonly environment?: string;
  /** Folder of environment files; default `environments/` in the project. */
  readonly environmentsDirectory?: string;
  /** Image tag for every region's service; default the environment's `service.imageTag`. */
  readonly imageTag?: string;
}

/** A synthesis that must not write its output: invalid configuration or policy violations. */
export class SynthesisError extends Error {
  override name = 'SynthesisError';
}

/**
 * Loads and validates the environment, builds every stack and synthesizes them into a staging
 * directory beside `outdir`, which replaces `outdir` only when nothing failed. A failure leaves the
 * previous output untouched and writes nothing.
 */
export function synthesize(options: SynthesizeOptions): { config: DeploymentConfig; stacks: string[] } {
  const config = loadDeploymentConfig({
    environment: options.environment || DEFAULT_ENVIRONMENT,
    directory: options.environmentsDirectory || ENVIRONMENTS_DIRECTORY,
    imageTag: options.imageTag || undefined,
  });
  return { config, stacks: synthesizeConfig(config, options.outdir) };
}

/** Synthesizes a validated configuration into `outdir`, all or nothing; returns the stack names. */
export function synthesizeConfig(config: DeploymentConfig, outdirPath: string): string[] {
  const outdir = resolve(outdirPath);
  // Folders created here for a new `outdir` are removed again if synthesis fails.
  let firstCreated: string | undefined;
  try {
    firstCreated = mkdirSync(dirname(outdir), { recursive: true });
  } catch (error) {
    throw new SynthesisError(`Cannot create the output folder ${outdir}: ${(error as Error).message}`);
  }
  const staging = mkdtempSync(join(dirname(outdir), `.${basename(outdir)}.staging-`));
  let written = false;
  try {
    const app = new App({ outdir: staging, stackTraces: false });
    buildDeployment(app, config);
    app.synth();
    const errors = errorAnnotations(app);
    if (errors.length > 0) {
      throw new SynthesisError(
        `Synthesis stopped by ${errors.length} error(s):\n${errors.map((e) => `  - ${e}`).join('\n')}`,
      );
    }
    if (existsSync(outdir)) rmSync(outdir, { recursive: true, force: true });
    renameSync(staging, outdir);
    written = true;
    return app.node.children.map((stack) => stack.node.id);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    if (!written && firstCreated !== undefined) rmSync(firstCreated, { recursive: true, force: true });
  }
}

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'cdktf.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no cdktf.json above ${start}`);
  }
}

/**
 * cdktf records a full stack trace for every token it creates and shows it only when a token
 * fails to resolve; formatting those traces is a fifth of synth time. They are captured on plain
 * objects, so traces of real errors (instances of Error) keep V8's usual format.
 */
function skipTokenCreationTraces(): void {
  Error.prepareStackTrace = (error: unknown, frames: NodeJS.CallSite[]) =>
    error instanceof Error
      ? `${error.name}: ${error.message}${frames.map((frame) => `\n    at ${sourceFrame(frame)}`).join('')}`
      : '';
}

/**
 * A stack frame as `function (file:line:column)`, mapped back to the TypeScript source when the
 * code runs from scripts/run-app.cjs's in-memory bundle (which carries an inline source map).
 * Replacing Error.prepareStackTrace turns off Node's own mapping, so it is done here.
 */
function sourceFrame(frame: NodeJS.CallSite): string {
  const file = frame.getFileName();
  const line = frame.getLineNumber();
  const column = frame.getColumnNumber();
  const name = frame.getFunctionName() ?? '<anonymous>';
  if (file === undefined || file === null || line === null || column === null) return `${name} (native)`;
  const original = bundleSourceMap(file)?.findEntry(line - 1, column - 1);
  if (original === undefined || !('originalSource' in original)) return `${name} (${file}:${line}:${column})`;
  const source = resolve(dirname(file), original.originalSource);
  return `${name} (${source}:${original.originalLine + 1}:${original.originalColumn + 1})`;
}

/** The source map scripts/run-app.cjs registers for its bundle, parsed on first use. */
const BUNDLE_SOURCE_MAP = Symbol.for('mraa.synth.sourceMap');
let parsedBundleMap: SourceMap | undefined;

function bundleSourceMap(file: string): SourceMap | undefined {
  const registered = (globalThis as { [BUNDLE_SOURCE_MAP]?: { file: string; payload: SourceMapPayload } })[
    BUNDLE_SOURCE_MAP
  ];
  if (registered?.file !== file) return undefined;
  parsedBundleMap ??= new SourceMap(registered.payload);
  return parsedBundleMap;
}

/** Construct metadata types are plain strings; cdktf's error annotations carry this one. */
const ERROR_ANNOTATION: string = AnnotationMetadataEntryType.ERROR;

/** Every error annotation in the app, as `[construct path] message`. */
export function errorAnnotations(root: IConstruct): string[] {
  return root.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === ERROR_ANNOTATION)
        .map((entry) => `[${construct.node.path}] ${String(entry.data)}`),
    );
}

/** The command-line entry point: synthesize, or print why not and exit non-zero. */
export function main(environmentVariables: NodeJS.ProcessEnv): void {
  skipTokenCreationTraces();
  silenceCdktfDeprecations();
  // Error annotations are collected from every stack and reported together, not stack by stack.
  environmentVariables.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
  const outdir = resolve(environmentVariables.CDKTF_OUTDIR || join(PROJECT_ROOT, 'cdktf.out'));
  try {
    const { config, stacks } = synthesize({
      outdir,
      environment: environmentVariables.DEPLOY_ENV,
      environmentsDirectory: environmentVariables.DEPLOY_ENV_DIR,
      imageTag: environmentVariables.IMAGE_TAG,
    });
    const shown = relative(process.cwd(), outdir) || '.';
    process.stdout.write(
      `Synthesized environment "${config.environment}" (${config.regions.length} regions): ${stacks.length} stacks in ${shown.startsWith('..') ? outdir : shown}/stacks\n` +
        stacks.map((stack) => `  ${stack}\n`).join(''),
    );
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof SynthesisError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}
