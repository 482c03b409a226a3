/** Plain HCL for the example roots, laid out as `tofu fmt` lays it out. */

/** A value as an HCL expression on one line. */
export function hclValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(hclValue).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, inner]) => `${hclKey(key)} = ${hclValue(inner)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  if (typeof value === 'string') return JSON.stringify(value).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
  return JSON.stringify(value);
}

function hclKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
}

/** Attribute lines with their `=` aligned, as `tofu fmt` aligns consecutive one-line attributes. */
export function hclAttributes(attributes: ReadonlyArray<readonly [string, string]>, indent: string): string[] {
  const width = Math.max(0, ...attributes.map(([name]) => name.length));
  return attributes.map(([name, expression]) => `${indent}${name.padEnd(width)} = ${expression}`);
}
