import { describe, expect, it } from 'vitest';
import { compareRows } from '../../report-ui/src/data/compare.ts';
import { flowRecommendations } from '../../report-ui/src/data/recommend.ts';
import { baselineComparison, metricDelta } from '../../report-ui/src/data/baseline.ts';
import { formatRecovery, runTimeline } from '../../report-ui/src/data/timeline.ts';
import { availableHops } from '../../report-ui/src/data/latency.ts';
import { downsampleResults, downsampleTimeline } from '../../runner/report/downsample.ts';
import { sampleResults } from './helpers.ts';

describe('comparison table', () => {
  it('sums counts over flows, takes the slowest flow latency, and marks the best per column', () => {
    const rows = compareRows(sampleResults());
    const [sq, sb] = rows;
    expect(sq!.tech).toBe('storage-queue');
    expect(sq!.values).toMatchObject({ lost: 0, duplicated: 2, inversions: 7, fanOutMissing: 0, throughputPerS: 25 });
    expect(sb!.values).toMatchObject({ lost: 0, duplicated: 1, inversions: 0 });
    // duplicated: 2 (sq deliveries) vs 1 (sb fan-out duplicate) → service-bus best; ties both marked
    expect([...sb!.best]).toEqual(expect.arrayContaining(['duplicated', 'inversions', 'lost', 'throughputPerS']));
    expect(sq!.best.has('duplicated')).toBe(false);
    expect(sq!.best.has('lost') && sb!.best.has('lost')).toBe(true);
    expect(sq!.values.e2eP99Ms).toBe(Math.max(...Object.values(sampleResults().runs[0]!.flows).map((f) => f.checks.latency!.latency!.e2e!.p99Ms)));
  });

  it('marks the highest throughput and never a failed run or a lone value', () => {
    const results = sampleResults();
    results.runs[1]!.load.acknowledged = 600;
    expect(compareRows(results)[1]!.best.has('throughputPerS')).toBe(true);
    expect(compareRows(results)[0]!.best.has('throughputPerS')).toBe(false);
    results.runs[1]!.status = 'failed';
    const rows = compareRows(results);
    expect(rows.every((row) => row.best.size === 0)).toBe(true); // one completed run left: nothing to compare
  });
});

describe('per-flow recommendation (the verdict shared with moshpit compare)', () => {
  it('promises first: Storage Queues are never recommended for ordered comments or fan-out, with the documented reason', () => {
    const recs = flowRecommendations(sampleResults());
    const comments = recs.find((r) => r.flow === 'comments')!;
    expect(comments.kind).toBe('message');
    expect(comments).toMatchObject({ recommended: 'service-bus', decidedBy: 'only-fit' });
    const sq = comments.techs.find((t) => t.tech === 'storage-queue')!;
    expect(sq.fit).toBe(false);
    expect(sq.reasons[0]).toMatch(/^storage-queue does not promise per-key order/);
    expect(sq.reasons).toContain('storage-queue 7 order inversions in scenario sample-fixture'); // and the run showed it
    expect(sq.promise.items.find((i) => i.promise === 'orderingPerKey')!.source.url).toMatch(/learn\.microsoft\.com/);
    const songAdded = recs.find((r) => r.flow === 'song-added')!;
    expect(songAdded.kind).toBe('event');
    expect(songAdded.techs.find((t) => t.tech === 'storage-queue')!.reasons[0]).toMatch(/does not promise fan-out/);
  });

  it('with no latency model recorded, latency never decides: both fit uploads, no pick', () => {
    const uploads = flowRecommendations(sampleResults()).find((r) => r.flow === 'uploads')!;
    expect(uploads.fits).toEqual(['storage-queue', 'service-bus']); // service-bus integrity "unknown" is not a failure
    expect(uploads.recommended).toBeNull();
    expect(uploads.latency.text).toMatch(/NOT representative of Azure/);
  });

  it('follows the data: clean comments on Storage Queues are still not recommended; inversions on Service Bus → no pick', () => {
    const results = sampleResults();
    const sqOrder = results.runs[0]!.flows.comments!;
    const sbOrder = results.runs[1]!.flows.comments!;
    sqOrder.valid = true;
    sqOrder.checks.ordering!.valid = true;
    sqOrder.checks.ordering!.counts.inversions = 0;
    expect(flowRecommendations(results).find((r) => r.flow === 'comments')!.recommended).toBe('service-bus');
    sbOrder.valid = false;
    sbOrder.checks.ordering!.valid = false;
    sbOrder.checks.ordering!.counts.inversions = 2;
    const none = flowRecommendations(results).find((r) => r.flow === 'comments')!;
    expect(none.recommended).toBeNull();
    expect(none.conclusion).toMatch(/^comments \(message\): no technology both promises what it needs and kept it in every scenario/);
    expect(none.conclusion).toContain('service-bus 2 order inversions in scenario sample-fixture');
    expect(flowRecommendations({ ...results, runs: [] })).toEqual([]);
  });
});

describe('baseline deltas', () => {
  it('flags worse counts as regressions and ignores latency noise under 10 %', () => {
    expect(metricDelta('lost', 1, 0)).toMatchObject({ delta: 1, regression: true });
    expect(metricDelta('e2eP99Ms', 105, 100)).toMatchObject({ delta: 5, relative: 0.05, regression: false });
    expect(metricDelta('e2eP99Ms', 130, 100)).toMatchObject({ regression: true });
    expect(metricDelta('throughputPerS', 80, 100)).toMatchObject({ regression: true });
    expect(metricDelta('throughputPerS', 120, 100)).toMatchObject({ regression: false, improvement: true });
    expect(metricDelta('lost', undefined, 0)).toMatchObject({ delta: undefined, regression: false });
  });

  it('compares technologies present in both files', () => {
    const current = sampleResults();
    const baseline = sampleResults();
    current.runs[0]!.flows.comments!.checks.ordering!.counts.inversions = 9;
    baseline.runs = [baseline.runs[0]!];
    const cmp = baselineComparison(current, baseline);
    expect(cmp.techs.map((t) => t.tech)).toEqual(['storage-queue']);
    expect(cmp.onlyCurrent).toEqual(['service-bus']);
    const inv = cmp.techs[0]!.metrics.find((m) => m.key === 'inversions')!;
    expect(inv).toMatchObject({ current: 9, baseline: 7, delta: 2, regression: true });
  });
});

describe('timeline and faults', () => {
  it('turns fault windows into bands in seconds; recovery is "not measured" without a recovery check', () => {
    const tl = runTimeline(sampleResults().runs[1]!);
    expect(tl.faults).toEqual([{ id: 'fault-1', label: 'latency on service-bus', startS: 8, endS: 12, open: false, recoveryMs: null }]);
    expect(formatRecovery(null)).toBe('not measured');
    expect(formatRecovery(2500, true)).toBe('2.5 s');
    expect(formatRecovery(null, false)).toBe('did not recover before the run ended');
    expect(formatRecovery(null, 'unknown')).toBe('unknown (never healed)');
    const measured = sampleResults();
    measured.runs[0]!.faults = [{ id: 'f', target: 'broker', type: 'kill', startMs: 1000, endMs: 3000, recovered: true, recoveryMs: 1500 }];
    expect(runTimeline(measured.runs[0]!).faults[0]).toMatchObject({ recoveryMs: 1500, recovered: true });
    expect(formatRecovery(2500)).toBe('2.5 s');
    const open = sampleResults().runs[1]!;
    open.faults[0]!.endMs = null;
    expect(runTimeline(open).faults[0]).toMatchObject({ open: true, endS: 19 });
  });

  it('lists the hops that have samples, in pipeline order', () => {
    expect(availableHops(sampleResults())).toEqual(['e2e', 'publishDelay', 'request', 'broker', 'process', 'event']);
  });
});

describe('downsampling', () => {
  const long = Array.from({ length: 2000 }, (_, t) => ({ t, offered: t % 2 === 0 ? 10 : 20, acknowledged: 15, committed: 14, errors: t === 1001 ? 7 : 0 }));

  it('keeps at most 600 points, averages rates and keeps error bursts', () => {
    const out = downsampleTimeline(long);
    expect(out.length).toBeLessThanOrEqual(600);
    expect(out.length).toBeGreaterThan(400);
    expect(out[0]).toEqual({ t: 0, offered: 15, acknowledged: 15, committed: 14, errors: 0 });
    expect(out.some((p) => p.errors === 7)).toBe(true);
    expect(downsampleTimeline(long.slice(0, 10))).toEqual(long.slice(0, 10));
  });

  it('applies to every run and leaves the input untouched', () => {
    const results = sampleResults();
    results.runs[0]!.timeline = long;
    const out = downsampleResults(results, 100);
    expect(out.runs[0]!.timeline).toHaveLength(100);
    expect(results.runs[0]!.timeline).toHaveLength(2000);
    expect(() => downsampleTimeline(long, 0)).toThrow(/maxPoints must be at least 1/);
  });
});
