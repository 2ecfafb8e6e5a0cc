/**
 * Threshold syntax, in k6's spirit.
 *
 * Metric keys: `lost`, `e2e_latency{flow:comments}`, `lost{tech:storage-queue,flow:uploads}`.
 * Expressions: `count == 0`, `rate < 0.01`, `p(99) < 500`, `p(99.9) <= 2s`, `max < 30s`,
 * `avg < 100`, `med < 50`, and baseline regressions `p(99) regression < 20%`.
 * Syntax errors carry the 1-based column where parsing stopped.
 */

export type Aggregate = 'count' | 'rate' | 'avg' | 'min' | 'max' | 'med' | 'p';
export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type ValueUnit = 'ms' | 's' | 'm' | '%' | null;

export interface ThresholdExpression {
  text: string;
  aggregate: Aggregate;
  /** the N of p(N), 0..100; only for aggregate "p" */
  percentile?: number;
  regression: boolean;
  operator: Operator;
  /** the number as written (before unit conversion) */
  value: number;
  unit: ValueUnit;
}

export interface MetricKey {
  text: string;
  metric: string;
  scope: { tech?: string; flow?: string };
}

export class ThresholdSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly column: number,
  ) {
    super(`${reason} at column ${column}`);
    this.name = 'ThresholdSyntaxError';
  }
}

const AGGREGATES = ['count', 'rate', 'avg', 'min', 'max', 'med'] as const;
const OPERATORS: Operator[] = ['<=', '>=', '==', '!=', '<', '>'];
export const SCOPE_KEYS = ['tech', 'flow'] as const;

/** A tiny cursor over one string; columns are 1-based. */
class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }
  atEnd(): boolean {
    return this.pos >= this.text.length;
  }
  fail(reason: string, at = this.pos): never {
    throw new ThresholdSyntaxError(reason, at + 1);
  }
  take(literal: string): boolean {
    if (!this.text.startsWith(literal, this.pos)) return false;
    this.pos += literal.length;
    return true;
  }
  expect(literal: string): void {
    if (!this.take(literal)) this.fail(`expected "${literal}"`);
  }
  word(pattern = /[A-Za-z_][\w-]*/y): string | null {
    pattern.lastIndex = this.pos;
    const match = pattern.exec(this.text);
    if (!match) return null;
    this.pos += match[0].length;
    return match[0];
  }
  number(): number {
    const raw = this.word(/[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/y);
    if (raw === null) this.fail('expected a number');
    return Number(raw);
  }
}

export function parseExpression(text: string): ThresholdExpression {
  const cursor = new Cursor(text);
  cursor.skipSpaces();
  const { aggregate, percentile } = parseAggregate(cursor);
  cursor.skipSpaces();
  const regressionAt = cursor.pos;
  const regression = cursor.word() === 'regression';
  if (!regression) cursor.pos = regressionAt;
  cursor.skipSpaces();
  const operator = OPERATORS.find((op) => cursor.take(op));
  if (!operator) return cursor.fail(`expected an operator (${OPERATORS.join(' ')})${regression ? '' : ' or "regression"'}`);
  cursor.skipSpaces();
  const value = cursor.number();
  const unit = parseUnit(cursor, regression);
  cursor.skipSpaces();
  if (!cursor.atEnd()) cursor.fail('unexpected text after the threshold');
  return { text, aggregate, percentile, regression, operator, value, unit };
}

function parseAggregate(cursor: Cursor): { aggregate: Aggregate; percentile?: number } {
  const start = cursor.pos;
  const name = cursor.word(/[A-Za-z_]\w*/y);
  if (name === 'p') {
    cursor.expect('(');
    const numberAt = cursor.pos;
    const percentile = cursor.number();
    if (!(percentile >= 0 && percentile <= 100)) cursor.fail('expected a percentile between 0 and 100', numberAt);
    cursor.expect(')');
    return { aggregate: 'p', percentile };
  }
  if (name !== null && (AGGREGATES as readonly string[]).includes(name)) return { aggregate: name as Aggregate };
  return cursor.fail(`expected an aggregate (${AGGREGATES.join(', ')} or p(N))`, start);
}

function parseUnit(cursor: Cursor, regression: boolean): ValueUnit {
  const at = cursor.pos;
  const unit = cursor.word(/(ms|s|m|%)/y) as ValueUnit;
  if (regression && unit !== '%') cursor.fail('expected "%" (a regression is a percentage, e.g. "regression < 20%")', at);
  if (!regression && unit === '%') cursor.fail('"%" is only for regressions (e.g. "p(99) regression < 20%"); write rates as fractions (0.01)', at);
  return unit;
}

/** `lost{tech:service-bus,flow:uploads}` → metric + scope. Only tech and flow may scope. */
export function parseMetricKey(text: string): MetricKey {
  const cursor = new Cursor(text);
  cursor.skipSpaces();
  const metric = cursor.word(/[a-z][a-z0-9_]*/y);
  if (metric === null) return cursor.fail('expected a metric name (lowercase letters, digits, _)');
  const scope: MetricKey['scope'] = {};
  cursor.skipSpaces();
  if (cursor.take('{')) parseScope(cursor, scope);
  cursor.skipSpaces();
  if (!cursor.atEnd()) cursor.fail(cursor.text[cursor.pos] === '{' ? 'unexpected "{"' : 'expected "{" or the end of the metric name');
  return { text, metric, scope };
}

function parseScope(cursor: Cursor, scope: MetricKey['scope']): void {
  do {
    cursor.skipSpaces();
    const keyAt = cursor.pos;
    const key = cursor.word(/[a-z]+/y);
    if (key === null || !(SCOPE_KEYS as readonly string[]).includes(key)) {
      cursor.fail(`expected a scope key (${SCOPE_KEYS.join(' or ')})`, keyAt);
    }
    if (scope[key as 'tech' | 'flow'] !== undefined) cursor.fail(`"${key}" given twice`, keyAt);
    cursor.skipSpaces();
    cursor.expect(':');
    cursor.skipSpaces();
    const value = cursor.word(/[a-z0-9][a-z0-9-]*/y);
    if (value === null) cursor.fail(`expected a ${key} name`);
    scope[key as 'tech' | 'flow'] = value;
    cursor.skipSpaces();
  } while (cursor.take(','));
  cursor.expect('}');
}

/** The threshold as a person writes it back: `p(99) < 500ms`. */
export function describeExpression(expr: ThresholdExpression): string {
  return expr.text.trim().replace(/\s+/g, ' ');
}
