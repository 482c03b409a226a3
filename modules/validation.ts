import { Fn, Op, type IResolvable, type TerraformResourceLifecycle } from 'cdktf';
import type { IConstruct } from 'constructs';
import { isToken } from './tokens.js';

/**
 * Validation of construct props that may be tokens.
 *
 * A consumer often knows a prop only at plan or apply: an id or ARN from another stack, a
 * Terraform variable, an expression. cdktf hands such a value to the construct as a token (a
 * placeholder string, number or list). Every rule of a prop is therefore written once, with two
 * readings: a test for a value known at synth, which fails synth with a message naming the prop,
 * and the same rule as a Terraform condition, which the construct attaches to one of its resources
 * as a `lifecycle.precondition` when the value is a token, so Terraform still refuses a bad value,
 * at plan (or at apply, when the value itself is known only then). A prop that decides what the
 * construct creates (how many subnets, which regions, construct ids) must be known at synth;
 * `known` refuses a token there, naming the prop.
 */

type Comparison = 'eq' | 'gt' | 'gte' | 'lt' | 'lte';
const MIRRORED: Readonly<Record<Comparison, Comparison>> = { eq: 'eq', gt: 'lt', gte: 'lte', lt: 'gt', lte: 'gte' };

/**
 * `left <comparison> right` as a Terraform expression over numbers. cdktf's `Op` leaves out a right
 * operand of 0 (it renders `x >= undefined`), so such a comparison is written the other way round.
 */
export function compare(left: number, comparison: Comparison, right: number): IResolvable {
  return right === 0 ? Op[MIRRORED[comparison]](right, left) : Op[comparison](left, right);
}

/** A rule over one prop's value, readable at synth (a known value) and by Terraform (a token). */
export interface Rule<T> {
  /** What the rule allows, completing "must be …", such as `a whole number from 1 to 35`. */
  readonly allowed: string;
  /** Whether a value known at synth follows the rule. */
  readonly holds: (value: T) => boolean;
  /** What is wrong with a known value that breaks the rule, such as `40 is outside 1-35`. */
  readonly problem: (value: T) => string;
  /** The rule as a Terraform boolean expression over a token. */
  readonly condition: (token: T) => IResolvable;
}

/** A whole number from `min` to `max` (no upper bound when `max` is omitted). */
export function wholeNumber(min: number, max?: number): Rule<number> {
  return {
    allowed: max === undefined ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`,
    holds: (value) => Number.isInteger(value) && value >= min && (max === undefined || value <= max),
    problem: (value) =>
      max === undefined ? `${value} must be a whole number of at least ${min}` : `${value} is outside ${min}-${max}`,
    condition: (token) => {
      const atLeast = Op.and(compare(token, 'eq', Fn.floor(token)), compare(token, 'gte', min));
      return max === undefined ? atLeast : Op.and(atLeast, compare(token, 'lte', max));
    },
  };
}

/** One of `values`. */
export function oneOf<T extends string | number>(values: readonly T[]): Rule<T> {
  return {
    allowed: `one of ${values.join(', ')}`,
    holds: (value) => values.includes(value),
    problem: (value) => `${value} is not allowed; allowed: ${values.join(', ')}`,
    condition: (token) => Fn.contains([...values], token) as IResolvable,
  };
}

/**
 * `text` as the content of an HCL quoted string, for a literal string argument of a cdktf `Fn`
 * call. cdktf writes such an argument between double quotes and escapes only newlines and `${`, so
 * a backslash would start an HCL escape (tofu: "Invalid escape sequence"), a double quote would end
 * the string and `%{` would start a template directive; each is escaped here.
 */
export function hclStringContent(text: string): string {
  return text.replace(/[\\"]/g, '\\$&').replace(/%\{/g, '%%{');
}

/**
 * Terraform's reading of `pattern.test(value)`: `can(regex(pattern, value))`. The pattern must mean
 * the same in JavaScript and in Terraform's RE2 (no lookaround, no backreferences).
 */
export function matchesPattern(pattern: RegExp, value: string): IResolvable {
  return Fn.can(Fn.regex(hclStringContent(pattern.source), value));
}

/**
 * Matches `pattern`, an anchored regular expression that means the same in JavaScript and in
 * Terraform's `regex()` (RE2: no lookaround, no backreferences).
 */
export function matching(pattern: RegExp, allowed: string, problem: (value: string) => string): Rule<string> {
  return {
    allowed,
    holds: (value) => pattern.test(value),
    problem,
    condition: (token) => matchesPattern(pattern, token),
  };
}

/** A URL path, such as a health check's: it starts with `/`. */
export const URL_PATH: Rule<string> = matching(
  /^\//,
  'a path starting with /',
  (path) => `"${path}" must start with /`,
);

/** A list of at least `min` items. */
export function atLeastItems(min: number, problem: (count: number) => string): Rule<readonly string[]> {
  return {
    allowed: `a list of at least ${min}`,
    holds: (value) => value.length >= min,
    problem: (value) => problem(value.length),
    condition: (token) => compare(Fn.lengthOf(token), 'gte', min),
  };
}

/**
 * The problems of one construct's props. Known values are checked as they are given; the rules
 * of tokens wait, as preconditions, for `checkAtPlanOn`. `throwIfAny` ends synth with every
 * problem in one message: `<owner>:\n  - <prop>: <problem>`.
 */
export class PropChecks {
  private readonly problems: string[] = [];
  private readonly deferred: Array<{ readonly condition: IResolvable; readonly errorMessage: string }> = [];
  private placed = false;

  /**
   * @param scope the construct whose props these are; synth fails if a token's rule was never
   *   placed on a resource (a bug of the construct, not of its caller).
   * @param owner names the construct in messages, such as `LoadBalancer app-us-east-1/load-balancer`.
   */
  constructor(
    scope: IConstruct,
    private readonly owner: string,
  ) {
    scope.node.addValidation({
      validate: () =>
        this.deferred.length > 0 && !this.placed
          ? [`${this.owner}: the checks of token props were never attached to a resource`]
          : [],
    });
  }

  /** `value` of `prop` follows `rule`; `label` replaces `<prop>: ` before the problem when given. */
  check<T>(prop: string, value: T, rule: Rule<T>, label = `${prop}: `): this {
    if (isToken(value)) this.atPlan(prop, rule.allowed, rule.condition(value));
    else if (!rule.holds(value)) this.problems.push(`${label}${rule.problem(value)}`);
    return this;
  }

  /** `value` of `prop`, when given, follows `rule`; an omitted optional prop takes its default elsewhere. */
  checkOptional<T>(prop: string, value: T | undefined, rule: Rule<T>): this {
    return value === undefined ? this : this.check(prop, value, rule);
  }

  /**
   * A rule over several values (such as one prop that must exceed another): checked at synth when
   * every value is known, else by Terraform over the same values.
   */
  relation(
    prop: string,
    values: readonly unknown[],
    rule: { readonly allowed: string; holds(): boolean; problem(): string; condition(): IResolvable },
  ): this {
    if (values.some(isToken)) this.atPlan(prop, rule.allowed, rule.condition());
    else if (!rule.holds()) this.problems.push(`${prop}: ${rule.problem()}`);
    return this;
  }

  /**
   * `prop` must be known at synth: it decides what the construct creates (`because`), which
   * Terraform cannot change once synth has written it. For a list, its length must be known; its
   * items may be tokens unless `knownItems` says otherwise.
   */
  known(prop: string, value: unknown, because: string): this {
    if (isToken(value)) this.problems.push(`${prop}: must be known at synth, not a token (${because})`);
    return this;
  }

  /** A list `prop` whose length and every item must be known at synth (`because`). */
  knownItems(prop: string, values: readonly unknown[], because: string): this {
    if (isToken(values) || values.some(isToken)) {
      this.problems.push(`${prop}: must be known at synth, not a token (${because})`);
    }
    return this;
  }

  /** A problem the construct's own logic found with known values. */
  add(...problems: string[]): this {
    this.problems.push(...problems);
    return this;
  }

  /** Throws one error listing every problem, when there is any. */
  throwIfAny(): this {
    if (this.problems.length > 0) throw new Error(`${this.owner}:\n  - ${this.problems.join('\n  - ')}`);
    return this;
  }

  /**
   * Attaches the rules of the token props to `resource` (a resource or data source of the
   * construct), as preconditions Terraform checks at plan.
   */
  checkAtPlanOn(resource: { lifecycle?: TerraformResourceLifecycle }): void {
    this.placed = true;
    if (this.deferred.length === 0) return;
    const lifecycle = resource.lifecycle ?? {};
    resource.lifecycle = { ...lifecycle, precondition: [...(lifecycle.precondition ?? []), ...this.deferred] };
  }

  private atPlan(prop: string, allowed: string, condition: IResolvable): void {
    this.deferred.push({ condition, errorMessage: `${this.owner}: ${prop} must be ${allowed}.` });
  }
}
