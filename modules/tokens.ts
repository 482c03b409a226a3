import { Token } from 'cdktf';

/**
 * Text built from props that may be tokens (values Terraform knows only at plan or apply). A
 * string token survives string concatenation, but a number token is a special double that
 * `String()` and `JSON.stringify` would print as a meaningless number; these write it as a
 * Terraform interpolation instead, and give the same text as `String`/`JSON.stringify` for known
 * values.
 */

/** True when Terraform, not synth, knows the value: a reference, a variable or an expression. */
export function isToken(value: unknown): boolean {
  return Token.isUnresolved(value);
}

/** `String(value)`, or the number token as an interpolation. */
export function numberText(value: number): string {
  return isToken(value) ? Token.asString(value) : String(value);
}

const NUMBER_MARK = '\u0000';

/**
 * `JSON.stringify(value)`, with number tokens written unquoted as interpolations, so the document
 * Terraform renders has numbers where the JSON needs numbers (a container port, a count).
 */
export function jsonText(value: unknown): string {
  const numbers: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== 'number' || !isToken(item)) return item;
    numbers.push(Token.asString(item));
    return `${NUMBER_MARK}${numbers.length - 1}${NUMBER_MARK}`;
  });
  return text.replace(/"\\u0000(\d+)\\u0000"/g, (_match, index: string) => numbers[Number(index)] ?? '');
}
