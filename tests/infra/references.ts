import { stackOf, type StackJson } from './synth.js';

const LOCAL = /\blocal\.([A-Za-z0-9_-]+)/g;
const REMOTE_OUTPUT = /\bdata\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g;

/** `expr` for a value that is exactly one interpolation `${expr}`; undefined otherwise. */
function innerExpression(value: string): string | undefined {
  const inner = /^\$\{([\s\S]*)\}$/.exec(value)?.[1];
  return inner !== undefined && !inner.includes('${') ? inner : undefined;
}

/** The stack a `terraform_remote_state` reads: its state file (local path or S3 key) is named after the stack. */
export function remoteStateStack(stack: StackJson, id: string): string {
  const remote = stack.data?.terraform_remote_state?.[id] as { config?: { path?: string; key?: string } } | undefined;
  const file = remote?.config?.path ?? remote?.config?.key;
  if (file === undefined) throw new Error(`no terraform_remote_state ${id}`);
  return file.replace(/^.*\//, '').replace(/\.tfstate$/, '');
}

/**
 * What `value` (an argument of a block in `stackName`) stands for in the stacks that produce it:
 * locals are inlined and every remote-state output is replaced by the expression its producing
 * stack writes into that output, so a cross-stack value can be compared with the producer's own
 * expression. Throws when a reference names a local, stack or output that does not exist.
 */
export function resolveReference(
  stacks: Readonly<Record<string, StackJson>>,
  stackName: string,
  value: string,
): string {
  const stack = stackOf(stacks, stackName);
  const locals = (stack as { locals?: Record<string, string> }).locals ?? {};
  const withLocals = value.replace(LOCAL, (_, name: string) => {
    const local = locals[name];
    const inner = local === undefined ? undefined : innerExpression(local);
    if (inner === undefined) throw new Error(`${stackName}: local ${name} is missing or not one expression`);
    return inner;
  });
  return withLocals.replace(REMOTE_OUTPUT, (_, id: string, output: string) => {
    const producer = remoteStateStack(stack, id);
    const produced = stacks[producer]?.output?.[output]?.value;
    const inner = typeof produced === 'string' ? innerExpression(produced) : undefined;
    if (inner === undefined)
      throw new Error(`${stackName}: ${producer} has no output ${output} holding one expression`);
    return inner;
  });
}

/** `<type>.<id>` of the one resource of `type` that `where` accepts; throws unless exactly one does. */
export function onlyResourceId(
  stack: StackJson,
  type: string,
  where: (body: Record<string, unknown>) => boolean,
): string {
  const ids = Object.entries(stack.resource?.[type] ?? {})
    .filter(([, body]) => where(body))
    .map(([id]) => id);
  const [id] = ids;
  if (id === undefined || ids.length !== 1) throw new Error(`expected one ${type} matching, found ${ids.length}`);
  return `${type}.${id}`;
}

/** The stacks whose outputs `value` (an argument of a block in `stackName`) reads, sorted. */
export function producingStacks(
  stacks: Readonly<Record<string, StackJson>>,
  stackName: string,
  value: string,
): string[] {
  const stack = stackOf(stacks, stackName);
  const producers = [...value.matchAll(REMOTE_OUTPUT)].map(([expression, id]) => {
    if (id === undefined) throw new Error(`${expression}: no remote state id`);
    return remoteStateStack(stack, id);
  });
  return [...new Set(producers)].sort();
}
