// Writes modules/<name>/README.md from the module's own declarations, so a README cannot drift
// from the code: what the construct creates (its TSDoc), its example (modules/<name>/example.ts,
// type-checked with the rest), its props with types, defaults and descriptions (the props
// interface's TSDoc), and which props accept tokens (the construct's own `PropChecks` calls).
// `npm run docs:modules` writes them; `npm run docs:modules -- --check` fails when one is stale.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { format, resolveConfig } from 'prettier';
import ts from 'typescript';

const MODULES = join(__dirname, '..');
const PACKAGE = (JSON.parse(readFileSync(join(MODULES, 'package.json'), 'utf8')) as { name: string }).name;

/** The module folders: each has an index.ts, its entry point. */
export function moduleFolders(): string[] {
  return readdirSync(MODULES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && readdirSync(join(MODULES, entry.name)).includes('index.ts'))
    .map((entry) => entry.name)
    .sort();
}

interface Prop {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  readonly defaultValue: string | undefined;
  readonly description: string;
}

function docOf(node: ts.Node): { text: string; defaultValue: string | undefined } {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const text = docs.map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '').join(' ');
  const defaultTag = docs.flatMap((doc) => doc.tags ?? []).find((tag) => tag.tagName.text === 'default');
  return {
    text: oneLine(text),
    defaultValue: defaultTag ? oneLine(ts.getTextOfJSDocComment(defaultTag.comment) ?? '') : undefined,
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function propsOf(declaration: ts.InterfaceDeclaration, source: ts.SourceFile): Prop[] {
  const inherited = (declaration.heritageClauses ?? []).flatMap((clause) =>
    clause.types.map((type) => type.getText(source)),
  );
  const own = declaration.members.filter(ts.isPropertySignature).map((member) => {
    const { text, defaultValue } = docOf(member);
    return {
      name: member.name.getText(source),
      type: oneLine(member.type?.getText(source) ?? 'unknown'),
      optional: member.questionToken !== undefined,
      defaultValue,
      description: text,
    };
  });
  return [
    ...inherited.map((name) => ({
      name: `…${name}`,
      type: name,
      optional: false,
      defaultValue: undefined,
      description: `Every prop of \`${name}\`.`,
    })),
    ...own,
  ];
}

function table(props: readonly Prop[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  return [
    '| Prop | Type | Default | Description |',
    '| ---- | ---- | ------- | ----------- |',
    ...props.map(
      (prop) =>
        `| \`${prop.name}\` | \`${cell(prop.type)}\` | ${prop.optional ? cell(prop.defaultValue ?? 'none') : 'required'} | ${cell(prop.description)} |`,
    ),
  ].join('\n');
}

/** Prop names a module's checks pass by literal: `known`/`knownItems` (must be known at synth) and rules (plan-time when a token). */
function checkedProps(folder: string): { known: string[]; ruled: string[] } {
  const sources = readdirSync(join(MODULES, folder))
    .filter((file) => file.endsWith('.ts') && file !== 'example.ts')
    .map((file) => readFileSync(join(MODULES, folder, file), 'utf8'))
    .join('\n');
  const names = (methods: string) =>
    [...sources.matchAll(new RegExp(`\\.(?:${methods})\\(\\s*[\`']([^\`']+)[\`']`, 'g'))]
      .map((match) => match[1]!.replace(/\$\{[^}]+\}/g, '*'))
      .filter((name, index, all) => all.indexOf(name) === index);
  const known = names('known|knownItems');
  if (/placementProblems\(/.test(sources)) known.push('the region names of its placements');
  return { known, ruled: names('check|checkOptional|relation') };
}

function tokensSection(folder: string): string {
  const { known, ruled } = checkedProps(folder);
  const list = (names: readonly string[]) =>
    names.map((name) => (name.startsWith('the ') ? name : `\`${name}\``)).join(', ');
  return [
    '## Tokens',
    '',
    'Every prop accepts a value Terraform knows only at plan or apply (a cdktf token: a reference to another',
    'resource or stack, a `TerraformVariable`), except those that decide what the construct creates.',
    '',
    known.length > 0
      ? `- Must be known at synth (synth fails naming the prop when given a token): ${list(known)}.`
      : '- No prop needs to be known at synth.',
    ruled.length > 0
      ? `- Checked at synth when known (synth fails naming the prop), and by a Terraform \`precondition\` at plan when a token: ${list(ruled)}.`
      : '- No prop has a rule beyond its type; AWS checks the values at apply.',
  ].join('\n');
}

/** The README of one module, from its sources, in the repository's Prettier style. */
export async function readmeOf(folder: string): Promise<string> {
  const path = join(MODULES, folder, 'README.md');
  return format(readmeText(folder), { ...(await resolveConfig(path)), filepath: path });
}

function readmeText(folder: string): string {
  const path = join(MODULES, folder, 'index.ts');
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
  const exported = (node: ts.Node) =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const construct = source.statements.find(
    (node): node is ts.ClassDeclaration =>
      ts.isClassDeclaration(node) &&
      exported(node) &&
      node.heritageClauses?.[0]?.types[0]?.getText(source) === 'Construct',
  );
  if (!construct?.name) throw new Error(`${relative(MODULES, path)}: no exported construct class`);
  const interfaces = new Map(
    source.statements
      .filter((node): node is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(node) && exported(node))
      .map((node) => [node.name.text, node] as const),
  );
  const propsName = `${construct.name.text}Props`;
  const propsDeclaration = interfaces.get(propsName);
  if (!propsDeclaration) throw new Error(`${relative(MODULES, path)}: no exported ${propsName}`);
  const props = propsOf(propsDeclaration, source);
  // Interfaces of this module the props refer to (a region's settings, scaling, a target).
  const referenced = [...interfaces.keys()].filter(
    (name) => name !== propsName && props.some((prop) => new RegExp(`\\b${name}\\b`).test(prop.type)),
  );
  const example = readFileSync(join(MODULES, folder, 'example.ts'), 'utf8')
    .replace(/from '\.\/index\.js'/g, `from '${PACKAGE}/${folder}'`)
    .replace(/from '\.\.\/([a-z-]+)\/index\.js'/g, `from '${PACKAGE}/$1'`)
    .replace(/from '\.\.\/([a-z-]+)\.js'/g, `from '${PACKAGE}/$1'`)
    .trim();
  return [
    `# ${construct.name.text}`,
    '',
    `\`import { ${construct.name.text} } from '${PACKAGE}/${folder}';\``,
    '',
    '<!-- Written by `npm run docs:modules` from index.ts and example.ts; edit those, not this file. -->',
    '',
    docOf(construct).text,
    '',
    '## Example',
    '',
    '```ts',
    example,
    '```',
    '',
    `## Props (\`${propsName}\`)`,
    '',
    table(props),
    ...referenced.flatMap((name) => ['', `### \`${name}\``, '', table(propsOf(interfaces.get(name)!, source))]),
    '',
    tokensSection(folder),
    '',
  ].join('\n');
}

async function main(check: boolean): Promise<void> {
  const stale: string[] = [];
  for (const folder of moduleFolders()) {
    const path = join(MODULES, folder, 'README.md');
    const wanted = await readmeOf(folder);
    let current: string | undefined;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === wanted) continue;
    if (check) stale.push(relative(join(MODULES, '..'), path));
    else writeFileSync(path, wanted);
  }
  if (stale.length > 0) {
    process.stderr.write(`Out of date (run npm run docs:modules): ${stale.join(', ')}\n`);
    process.exit(1);
  }
}

if (require.main === module) void main(process.argv.includes('--check'));
