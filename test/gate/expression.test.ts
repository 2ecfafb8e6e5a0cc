import { describe, expect, it } from 'vitest';
import { parseExpression, parseMetricKey, ThresholdSyntaxError } from '../../runner/gate/expression.ts';

function syntaxError(parse: () => unknown): { reason: string; column: number } {
  try {
    parse();
  } catch (error) {
    if (error instanceof ThresholdSyntaxError) return { reason: error.reason, column: error.column };
    throw error;
  }
  throw new Error('expected a ThresholdSyntaxError');
}

describe('threshold expressions', () => {
  it('parses the k6 forms', () => {
    expect(parseExpression('count == 0')).toMatchObject({ aggregate: 'count', operator: '==', value: 0, unit: null, regression: false });
    expect(parseExpression('rate < 0.01')).toMatchObject({ aggregate: 'rate', operator: '<', value: 0.01 });
    expect(parseExpression('p(99) < 500')).toMatchObject({ aggregate: 'p', percentile: 99, operator: '<', value: 500, unit: null });
    expect(parseExpression('p(99.9) <= 2s')).toMatchObject({ aggregate: 'p', percentile: 99.9, operator: '<=', value: 2, unit: 's' });
    expect(parseExpression('max < 30s')).toMatchObject({ aggregate: 'max', value: 30, unit: 's' });
    expect(parseExpression('avg<100')).toMatchObject({ aggregate: 'avg', operator: '<', value: 100 });
    expect(parseExpression('  med >= 50ms ')).toMatchObject({ aggregate: 'med', operator: '>=', value: 50, unit: 'ms' });
    expect(parseExpression('min != 1m')).toMatchObject({ aggregate: 'min', operator: '!=', unit: 'm' });
    expect(parseExpression('count > 3')).toMatchObject({ operator: '>', value: 3 });
  });

  it('parses baseline regressions (a percentage)', () => {
    expect(parseExpression('p(99) regression < 20%')).toMatchObject({ aggregate: 'p', percentile: 99, regression: true, operator: '<', value: 20, unit: '%' });
    expect(parseExpression('count regression < 10%')).toMatchObject({ aggregate: 'count', regression: true, value: 10 });
  });

  it('reports the exact column of malformed expressions', () => {
    expect(syntaxError(() => parseExpression('p(99 < 500'))).toEqual({ reason: 'expected ")"', column: 5 });
    expect(syntaxError(() => parseExpression('p99 < 500')).column).toBe(1);
    expect(syntaxError(() => parseExpression('count = 0'))).toMatchObject({ column: 7 });
    expect(syntaxError(() => parseExpression('count == abc'))).toEqual({ reason: 'expected a number', column: 10 });
    expect(syntaxError(() => parseExpression('count == 0 extra'))).toEqual({ reason: 'unexpected text after the threshold', column: 12 });
    expect(syntaxError(() => parseExpression('p(101) < 5')).reason).toContain('between 0 and 100');
    expect(syntaxError(() => parseExpression('p(99) regression < 20'))).toMatchObject({ column: 22 });
    expect(syntaxError(() => parseExpression('rate < 1%')).reason).toContain('only for regressions');
    expect(syntaxError(() => parseExpression('')).reason).toContain('expected an aggregate');
    expect(syntaxError(() => parseExpression('p95 < 500')).column).toBe(1);
  });
});

describe('metric keys and scopes', () => {
  it('parses names and k6-style tag scopes', () => {
    expect(parseMetricKey('lost')).toEqual({ text: 'lost', metric: 'lost', scope: {} });
    expect(parseMetricKey('lost{tech:service-bus}').scope).toEqual({ tech: 'service-bus' });
    expect(parseMetricKey('e2e_latency{flow:comments}')).toMatchObject({ metric: 'e2e_latency', scope: { flow: 'comments' } });
    expect(parseMetricKey('lost{tech:storage-queue, flow:uploads}').scope).toEqual({ tech: 'storage-queue', flow: 'uploads' });
  });

  it('reports malformed keys with the column', () => {
    expect(syntaxError(() => parseMetricKey('lost{tech:service-bus'))).toEqual({ reason: 'expected "}"', column: 22 });
    expect(syntaxError(() => parseMetricKey('lost{queue:x}'))).toMatchObject({ column: 6 });
    expect(syntaxError(() => parseMetricKey('lost{tech:a,tech:b}')).reason).toBe('"tech" given twice');
    expect(syntaxError(() => parseMetricKey('Lost')).column).toBe(1);
    expect(syntaxError(() => parseMetricKey('lost{tech:}')).reason).toBe('expected a tech name');
  });
});
