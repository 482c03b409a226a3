import { Fn, Token, type IResolvable } from 'cdktf';

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

/**
 * A value of a `jsonText` document that Terraform builds: written as `jsonencode(expression)`, so
 * the rendered document holds whatever the expression gives, escaped as JSON (quotes, backslashes).
 */
export class JsonEncoded {
  constructor(readonly expression: IResolvable) {}
}

const MARK = '\u0000';

/**
 * `JSON.stringify(value)`, with number tokens and `JsonEncoded` values written unquoted as
 * interpolations, so the document Terraform renders has numbers where the JSON needs numbers (a
 * container port, a count) and JSON where an expression builds it.
 */
export function jsonText(value: unknown): string {
  const interpolations: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof JsonEncoded) interpolations.push(Fn.jsonencode(item.expression));
    else if (typeof item === 'number' && isToken(item)) interpolations.push(Token.asString(item));
    else return item;
    return `${MARK}${interpolations.length - 1}${MARK}`;
  });
  return text.replace(/"\\u0000(\d+)\\u0000"/g, (_match, index: string) => interpolations[Number(index)] ?? '');
}
