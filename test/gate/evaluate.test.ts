import { describe, expect, it } from 'vitest';
import { UserError } from '../../runner/contracts/errors.ts';
import { evaluateThresholds, regressionPercent, type GateOutcome } from '../../runner/gate/evaluate.ts';
import { hopMetricName, knownMetricNames, percentileMs } from '../../runner/gate/metrics.ts';
import { resolveThresholds, type ThresholdMap } from '../../runner/gate/thresholds.ts';
import type { Results } from '../../runner/results/schema.ts';
import { baselineResults } from './helpers.ts';

function gate(thresholds: ThresholdMap, results: Results = baselineResults(), baseline?: Results): GateOutcome {
  const defs = resolveThresholds([{ label: 't.json', thresholds }], results, baseline !== undefined);
  return evaluateThresholds(defs, results, baseline);
}

function userError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

const run = (results: Results, tech: string) => results.runs.find((r) => r.tech === tech)!;

describe('metric extraction', () => {
  it('names hops in snake case', () => {
    expect(hopMetricName('publishDelay')).toBe('publish_delay_latency');
    expect(hopMetricName('e2e')).toBe('e2e_latency');
    expect(knownMetricNames()).toEqual(expect.arrayContaining(['lost', 'duplicated', 'ordering_inversions', 'fanout_missing', 'integrity_failures', 'event_latency', 'recovery']));
  });

  it('reads counts, rates and latency aggregates from the flow they belong to', () => {
    const results = baselineResults();
    const flows = run(results, 'storage-queue').flows;
    flows.uploads!.checks['total-queue']!.counts.duplicatedDelivery = 2;
    flows.uploads!.checks['total-queue']!.counts.committed = 40;
    const e2e = flows.comments!.checks.latency!.latency!.e2e!;
    const outcome = gate({ 'duplicated{tech:storage-queue,flow:uploads}': ['count == 2', 'rate == 0.05'], 'e2e_latency{tech:storage-queue,flow:comments}': [`p(99) == ${e2e.p99Ms}`, `med == ${e2e.p50Ms}`, `avg == ${e2e.meanMs}`, `max == ${e2e.maxMs}`, `count == ${e2e.count}`] }, results);
    expect(outcome.cases.map((c) => [c.expression, c.observed, c.passed])).toEqual([
      ['count == 2', 2, true],
      ['rate == 0.05', 0.05, true],
      [`p(99) == ${e2e.p99Ms}`, e2e.p99Ms, true],
      [`med == ${e2e.p50Ms}`, e2e.p50Ms, true],
      [`avg == ${e2e.meanMs}`, e2e.meanMs, true],
      [`max == ${e2e.maxMs}`, e2e.maxMs, true],
      [`count == ${e2e.count}`, e2e.count, true],
    ]);
  });

  it('converts s and m to ms for latencies', () => {
    const results = baselineResults();
    const e2e = run(results, 'event-grid').flows.uploads!.checks.latency!.latency!.e2e!;
    e2e.p99Ms = 1500;
    const [under, over] = gate({ 'e2e_latency{tech:event-grid,flow:uploads}': ['p(99) < 2s', 'p(99) < 1.4s'] }, results).cases;
    expect([under!.passed, over!.passed]).toEqual([true, false]);
    expect(gate({ 'e2e_latency{tech:event-grid,flow:uploads}': ['p(99) < 0.03m'] }, results).cases[0]!.passed).toBe(true);
  });

  it('takes other percentiles from the curve', () => {
    const summary = run(baselineResults(), 'storage-queue').flows.uploads!.checks.latency!.latency!.e2e!;
    const p95 = percentileMs(summary, 95);
    expect(p95).toBe(summary.curve.find((p) => p.percentile >= 95)!.valueMs);
    expect(p95).toBeGreaterThanOrEqual(summary.p90Ms);
    expect(p95).toBeLessThanOrEqual(summary.maxMs);
  });
});

describe('scoping', () => {
  it('evaluates an unscoped threshold once per technology × flow where the metric exists', () => {
    const lost = gate({ lost: ['count == 0'] }).cases.map((c) => `${c.tech}/${c.flow}`);
    expect(lost).toEqual(['storage-queue/uploads', 'storage-queue/comments', 'event-grid/uploads', 'event-grid/comments']);
    const missing = gate({ fanout_missing: ['count == 0'] }).cases.map((c) => `${c.tech}/${c.flow}`);
    expect(missing).toEqual(['storage-queue/song-added', 'event-grid/song-added']);
  });

  it('narrows to a tech, a flow, or both', () => {
    expect(gate({ 'lost{tech:event-grid}': ['count == 0'] }).cases.map((c) => c.flow)).toEqual(['uploads', 'comments']);
    expect(gate({ 'e2e_latency{flow:comments}': ['p(99) < 1m'] }).cases.map((c) => c.tech)).toEqual(['storage-queue', 'event-grid']);
    expect(gate({ 'lost{tech:storage-queue,flow:uploads}': ['count == 0'] }).cases).toHaveLength(1);
  });

  it('fails only the scope that regressed', () => {
    const results = baselineResults();
    run(results, 'event-grid').flows.comments!.checks['total-queue']!.counts.lost = 3;
    const outcome = gate({ lost: ['count == 0'] }, results);
    expect(outcome.failed).toBe(1);
    expect(outcome.cases.find((c) => !c.passed)).toMatchObject({ tech: 'event-grid', flow: 'comments', observed: 3 });
  });

  it('refuses unknown metrics, scopes that match nothing, and aggregates that do not fit, all at once', () => {
    const message = userError(() => gate({ lots: ['count == 0'], 'lost{tech:service-bus}': ['count == 0'], 'ordering_inversions{flow:uploads}': ['count == 0'], lost: ['p(99) < 5'], e2e_latency: ['rate < 0.1'], duplicated: ['count < 5s'] }));
    expect(message).toContain('t.json: "lots": unknown metric "lots"; known: lost, unexpected, duplicated');
    expect(message).toContain('no run for tech "service-bus" in the results (present: storage-queue, event-grid)');
    expect(message).toContain('metric "ordering_inversions" exists nowhere in this scope (present in: storage-queue/comments, event-grid/comments)');
    expect(message).toContain('"lost": "p(99) < 5": lost is a counter: use count, rate');
    expect(message).toContain('"e2e_latency": "rate < 0.1": e2e_latency is a latency');
    expect(message).toContain('"duplicated": "count < 5s": a time unit (s) only fits latency thresholds');
    expect(userError(() => gate({ 'e2e_latency{tech:storage-queue': ['p(99 < 500'] }))).toContain('t.json: "e2e_latency{tech:storage-queue": expected "}" at column 31');
    expect(userError(() => gate({ e2e_latency: ['p(99 < 500'] }))).toContain('t.json: "e2e_latency": "p(99 < 500": expected ")" at column 5');
  });

  it('fails a failed run instead of skipping it', () => {
    const results = baselineResults();
    Object.assign(run(results, 'event-grid'), { status: 'failed', error: 'emulator did not start', flows: {} });
    const outcome = gate({ lost: ['count == 0'] }, results);
    expect(outcome.cases.find((c) => c.tech === 'event-grid')).toMatchObject({ flow: '*', passed: false, reason: 'the event-grid run failed: emulator did not start' });
  });

  it('fails recovery as not measured when a run had no faults (never passes silently)', () => {
    const outcome = gate({ recovery: ['max < 30s'] });
    expect(outcome.cases.map((c) => [c.tech, c.passed, c.observedText])).toEqual([
      ['storage-queue', false, 'not measured'],
      ['event-grid', false, 'not measured'],
    ]);
    expect(outcome.cases[0]!.reason).toContain('had no faults');
  });

  it("judges recovery from the faults' recovery times; a fault that never recovered fails", () => {
    const results = baselineResults();
    run(results, 'storage-queue').faults = [
      { id: 'fault-1', target: 'broker', type: 'kill', startMs: 3000, endMs: 6000, recovered: true, recoveryMs: 2000 },
      { id: 'fault-2', target: 'api', type: 'pause', startMs: 8000, endMs: 9000, recovered: true, recoveryMs: 4000 },
    ];
    run(results, 'event-grid').faults = [{ id: 'fault-1', target: 'broker', type: 'kill', startMs: 3000, endMs: 6000, recovered: false, recoveryMs: null }];
    const outcome = gate({ recovery: ['max < 3s', 'max < 5s'] }, results);
    expect(outcome.cases.map((c) => [c.tech, c.expression, c.passed, c.observedText])).toEqual([
      ['storage-queue', 'max < 3s', false, '4000 ms'],
      ['event-grid', 'max < 3s', false, 'Infinity ms'],
      ['storage-queue', 'max < 5s', true, '4000 ms'],
      ['event-grid', 'max < 5s', false, 'Infinity ms'],
    ]);
  });
});

describe('baseline regressions', () => {
  it('computes the relative change', () => {
    expect(regressionPercent(120, 100)).toBeCloseTo(20);
    expect(regressionPercent(80, 100)).toBeCloseTo(-20);
    expect(regressionPercent(0, 0)).toBe(0);
    expect(regressionPercent(1, 0)).toBe(Infinity);
    expect(regressionPercent(-5, -10)).toBeCloseTo(50);
  });

  it('compares the same metric, tech and flow in the baseline', () => {
    const baseline = baselineResults();
    const current = baselineResults();
    const sq = run(current, 'storage-queue').flows.uploads!.checks.latency!.latency!.e2e!;
    const baseP99 = sq.p99Ms;
    sq.p99Ms = baseP99 * 1.5;
    const outcome = gate({ 'e2e_latency{flow:uploads}': ['p(99) regression < 20%'] }, current, baseline);
    expect(outcome.cases.map((c) => [c.tech, c.passed])).toEqual([['storage-queue', false], ['event-grid', true]]);
    expect(outcome.cases[0]!.observed).toBeCloseTo(50);
    expect(outcome.cases[0]!.observedText).toMatch(/^\+50% \(/);
    expect(outcome.cases[1]!.observed).toBe(0);
  });

  it('fails with a reason when the baseline lacks the metric', () => {
    const baseline = baselineResults();
    delete run(baseline, 'event-grid').flows.comments!.checks.latency;
    baseline.runs = baseline.runs.filter((r) => r.tech !== 'storage-queue');
    const outcome = gate({ 'e2e_latency{flow:comments}': ['med regression < 50%'] }, baselineResults(), baseline);
    expect(outcome.cases.map((c) => [c.tech, c.passed, c.reason])).toEqual([
      ['storage-queue', false, 'the baseline has no e2e_latency for storage-queue/comments'],
      ['event-grid', false, 'the baseline has no e2e_latency for event-grid/comments'],
    ]);
  });

  it('needs --baseline for a regression threshold', () => {
    expect(userError(() => gate({ lost: ['count regression < 10%'] }))).toContain('needs a baseline: pass --baseline');
  });
});
