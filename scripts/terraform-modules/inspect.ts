/**
 * What CI proves about the generated modules without the AWS provider: every module and example
 * parses (HashiCorp's terraform-config-inspect reads HCL and JSON alike), every module has an
 * example, and every example passes only inputs the module declares, every input it requires,
 * and a provider for every alias it declares.
 *
 *   npm run modules:inspect        # exit 1, listing every problem
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runTool } from './tools.js';

/** The parts of `terraform-config-inspect --json` the checks read. */
export interface InspectedModule {
  readonly variables: Record<string, { readonly required: boolean; readonly type?: string }>;
  readonly outputs: Record<string, { readonly description?: string }>;
  readonly required_providers?: Record<string, { readonly aliases?: ReadonlyArray<{ name: string; alias: string }> }>;
  readonly module_calls?: Record<string, { readonly source: string }>;
  readonly managed_resources?: Record<string, unknown>;
  readonly diagnostics?: ReadonlyArray<{ severity: string; summary: string; detail?: string }>;
}

/** `terraform-config-inspect --json dir`; it exits 1, with the JSON, when the module has errors. */
export function inspectModule(dir: string): InspectedModule {
  return JSON.parse(runTool('terraform-config-inspect', ['--json', dir], [0, 1])) as InspectedModule;
}

/** Arguments of a module call that are not inputs (Terraform's meta-arguments). */
const META_ARGUMENTS = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);

/** The folders directly under `dir`, sorted; none when it does not exist. */
export function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

function parseProblems(label: string, module: InspectedModule): string[] {
  return (module.diagnostics ?? [])
    .filter((diagnostic) => diagnostic.severity === 'error')
    .map((diagnostic) => `${label}: ${diagnostic.summary}${diagnostic.detail ? `: ${diagnostic.detail}` : ''}`);
}

type HclBody = Record<string, Array<Record<string, unknown>> | undefined>;

/** The `module` blocks of every `.tf` file in `dir`, parsed by HashiCorp's HCL parser (WebAssembly build). */
async function moduleBlocks(dir: string): Promise<Map<string, Record<string, unknown>>> {
  // A dependency of cdktf-cli: HashiCorp's HCL parser compiled to WebAssembly.
  const { parse } = (await import('@cdktf/hcl2json')) as {
    parse: (file: string, text: string) => Promise<{ module?: HclBody }>;
  };
  const blocks = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.tf'))) {
    const body = await parse(file, readFileSync(join(dir, file), 'utf8'));
    for (const [name, instances] of Object.entries(body.module ?? {})) {
      for (const instance of instances ?? []) blocks.set(name, instance);
    }
  }
  return blocks;
}

/** Every problem of the modules under `<root>/modules` and the examples under `<root>/examples`. */
export async function inspectTree(root: string): Promise<string[]> {
  const problems: string[] = [];
  const modules = new Map<string, InspectedModule>();
  for (const name of subdirectories(join(root, 'modules'))) {
    const module = inspectModule(join(root, 'modules', name));
    problems.push(...parseProblems(`modules/${name}`, module));
    modules.set(resolve(root, 'modules', name), module);
  }
  const called = new Set<string>();
  for (const name of subdirectories(join(root, 'examples'))) {
    const dir = join(root, 'examples', name);
    const example = inspectModule(dir);
    const label = `examples/${name}`;
    problems.push(...parseProblems(label, example));
    if (parseProblems(label, example).length > 0) continue;
    const blocks = await moduleBlocks(dir).catch((error: unknown) => {
      problems.push(`${label}: ${String(error)}`);
      return new Map<string, Record<string, unknown>>();
    });
    for (const [callName, call] of Object.entries(example.module_calls ?? {})) {
      const target = resolve(dir, call.source);
      const module = modules.get(target);
      if (!module) {
        problems.push(`${label}: module "${callName}" calls ${call.source}, which is not a module under modules/`);
        continue;
      }
      called.add(target);
      const args = blocks.get(callName) ?? {};
      const passed = Object.keys(args).filter((arg) => !META_ARGUMENTS.has(arg));
      for (const arg of passed) {
        if (!(arg in module.variables))
          problems.push(`${label}: module "${callName}" passes ${arg}, which ${call.source} does not declare`);
      }
      for (const [variable, declaration] of Object.entries(module.variables)) {
        if (declaration.required && !passed.includes(variable)) {
          problems.push(`${label}: module "${callName}" does not pass ${variable}, which ${call.source} requires`);
        }
      }
      const mapped = Object.keys(args.providers ?? {});
      const aliases = Object.values(module.required_providers ?? {}).flatMap((requirement) =>
        (requirement.aliases ?? []).map(({ name: provider, alias }) => `${provider}.${alias}`),
      );
      for (const alias of aliases) {
        if (!mapped.includes(alias)) problems.push(`${label}: module "${callName}" maps no provider to ${alias}`);
      }
    }
  }
  for (const target of modules.keys()) {
    if (!called.has(target))
      problems.push(`${target.slice(resolve(root).length + 1)}: no example under examples/ calls it`);
  }
  return problems;
}

async function main(): Promise<void> {
  const root = join(__dirname, '..', '..', 'terraform');
  const problems = await inspectTree(root);
  if (problems.length > 0) {
    console.error(`terraform-config-inspect found ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(
    `${subdirectories(join(root, 'modules')).length} modules and ${subdirectories(join(root, 'examples')).length} examples parse; every example passes only declared inputs and every required one`,
  );
}

if (require.main === module) void main();
