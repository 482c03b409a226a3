import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { ConfigError, DeploymentSchema, resolveConfig } from '../../config/index.js';
import { ENVIRONMENTS_DIRECTORY } from '../../stacks/synthesize.js';

const ROOT = resolve(__dirname, '..', '..');
const SCHEMA_PATH = join(ROOT, 'config', 'environment.schema.json');
const environmentFiles = readdirSync(ENVIRONMENTS_DIRECTORY).filter((name) => name.endsWith('.json'));

/** The JSON Schema validator editors and CI tools use, reading the committed schema file. */
function editorValidator() {
  const ajv = new Ajv({ allErrors: true });
  // VS Code shows `errorMessage` in place of its own; it is not a validation keyword.
  ajv.addKeyword('errorMessage');
  return ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
}

function synthAccepts(file: unknown): boolean {
  try {
    resolveConfig(file, 'test', 'the test');
    return true;
  } catch (error) {
    if (error instanceof ConfigError) return false;
    throw error;
  }
}

describe('the environment-file JSON Schema', () => {
  it('is named by every environment file, by a path that reaches it', () => {
    expect(environmentFiles.length).toBeGreaterThan(0);
    for (const name of environmentFiles) {
      const file = JSON.parse(readFileSync(join(ENVIRONMENTS_DIRECTORY, name), 'utf8')) as { $schema?: string };
      expect(file.$schema, name).toBeDefined();
      expect(resolve(ENVIRONMENTS_DIRECTORY, file.$schema ?? ''), name).toBe(SCHEMA_PATH);
    }
  });

  it('accepts every committed environment file, as synthesis does', () => {
    const validate = editorValidator();
    for (const name of environmentFiles) {
      const file: unknown = JSON.parse(readFileSync(join(ENVIRONMENTS_DIRECTORY, name), 'utf8'));
      expect(validate(file), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(synthAccepts(file), name).toBe(true);
    }
  });

  it.each([
    ['a misspelt field', { network: { natGateway: 'single' } }],
    ['a string for a number', { service: { cpu: '512' } }],
    ['a value outside its list', { network: { natGateways: 'none' } }],
    ['a pattern miss', { project: 'Orders!' }],
    ['a number out of range', { aurora: { backupRetentionDays: 40 } }],
    ['a region entry without its region', { regions: [{ region: 'us-east-1' }, { vpcCidr: '10.1.0.0/16' }] }],
    ['one region', { regions: [{ region: 'us-east-1' }] }],
    ['an alarm period that is not whole minutes', { alarms: { periodSeconds: 90 } }],
  ])('refuses %s in the editor and at synth alike', (_name, file) => {
    expect(editorValidator()(file)).toBe(false);
    expect(synthAccepts(file)).toBe(false);
  });

  it('declares a description for every setting, which the reference and the editor show', () => {
    const undescribed: string[] = [];
    const walk = (schema: unknown, path: string): void => {
      const node = schema as { description?: string; properties?: Record<string, unknown>; items?: unknown };
      if (!node.description) undescribed.push(path || '(root)');
      for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, path ? `${path}.${key}` : key);
      if (node.items !== undefined) walk(node.items, `${path}[]`);
    };
    walk(DeploymentSchema, '');
    expect(undescribed).toEqual([]);
  });

  it('and the configuration reference in docs/ are current with the declaration', () => {
    // The same check CI runs; it names the stale file and the command that rewrites it.
    expect(() =>
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/config-reference.ts', '--check'], {
        cwd: ROOT,
        stdio: 'pipe',
      }),
    ).not.toThrow();
  });
});
