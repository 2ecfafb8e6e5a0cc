import { describe, expect, it } from 'vitest';
import { flowMetrics, isBad, SUMMARY_COLUMNS, summaryRows } from '../../report-ui/src/data/summary.ts';
import { formatPercentile, latencySeries, ninesOf, ninesTicks, percentileOf } from '../../report-ui/src/data/latency.ts';
import { formatCount, formatDate, formatMs, verdictLabel } from '../../report-ui/src/data/format.ts';
import { configEntries, redactResults, REDACTED } from '../../report-ui/src/data/redact.ts';
import { parseEmbeddedData } from '../../report-ui/src/data/load.ts';
import { headerInfo } from '../../report-ui/src/data/header.ts';
import { sampleResults } from './helpers.ts';

describe('summary rows', () => {
  it('has one row per technology and flow with the counts of the checks', () => {
    const rows = summaryRows(sampleResults());
    expect(rows.map((r) => r.id)).toEqual([
      'storage-queue/uploads',
      'storage-queue/comments',
      'storage-queue/song-added',
      'service-bus/uploads',
      'service-bus/comments',
      'service-bus/song-added',
    ]);
    const sqComments = rows[1]!;
    expect(sqComments.verdict).toBe(false);
    expect(sqComments.kind).toBe('message');
    expect(sqComments.metrics).toMatchObject({ attempted: 400, acknowledged: 400, committed: 400, lost: 0, inversions: 7 });
    expect(rows[0]!.metrics.duplicatedDelivery).toBe(2);
    expect(rows[0]!.metrics.integrityMismatched).toBe(0);
    expect(rows[0]!.metrics.e2eP50Ms).toBe(38);
    expect(rows[3]!.verdict).toBe('unknown');
    expect(rows[3]!.reasons).toEqual(['integrity: unknown (no checksums were recorded by this transport)']);
    expect(rows[1]!.reasons).toEqual(['ordering: failed']);
    expect(rows[0]!.reasons).toEqual([]);
  });

  it('leaves what a flow does not measure undefined, never 0', () => {
    const rows = summaryRows(sampleResults());
    const songAdded = rows[2]!;
    expect(songAdded.kind).toBe('event');
    expect(songAdded.metrics.attempted).toBeUndefined();
    expect(songAdded.metrics.lost).toBeUndefined();
    expect(songAdded.metrics.inversions).toBeUndefined();
    expect(songAdded.metrics.fanOutMissing).toBe(0);
    expect(rows[0]!.metrics.fanOutMissing).toBeUndefined();
    expect(rows[1]!.metrics.integrityMismatched).toBeUndefined();
  });

  it("shows an event flow's dead-lettered subscriber deliveries (fan-out deadLettered) in the dead-letter column", () => {
    const results = sampleResults();
    const songAdded = results.runs[0]!.flows['song-added']!;
    const fanOut = Object.values(songAdded.checks).find((c) => c.checker === 'fan-out')!;
    expect(flowMetrics(songAdded).deadLettered).toBeUndefined(); // older results have no such count
    fanOut.counts.deadLettered = 3;
    expect(flowMetrics(songAdded).deadLettered).toBe(3);
  });

  it('treats an empty latency summary as not measured', () => {
    const results = sampleResults();
    const e2e = results.runs[0]!.flows.uploads!.checks.latency!.latency!.e2e!;
    e2e.count = 0;
    expect(flowMetrics(results.runs[0]!.flows.uploads!).e2eP99Ms).toBeUndefined();
  });

  it('finds checks under other spellings and count aliases', () => {
    const flow = {
      kind: 'message' as const,
      valid: true as const,
      checks: {
        totalQueue: { checker: 'totalQueue', valid: true as const, counts: { lost: 3, duplicated: 4 }, examples: {}, notes: [] },
        integrity_check: { checker: 'integrity', valid: false as const, counts: { mismatches: 1 }, examples: {}, notes: [] },
      },
    };
    const metrics = flowMetrics(flow);
    expect(metrics.lost).toBe(3);
    expect(metrics.duplicatedDelivery).toBe(4);
    expect(metrics.integrityMismatched).toBe(1);
    expect(metrics.e2eP50Ms).toBeUndefined();
  });

  it('shows a failed run with no flows as one invalid row carrying the error', () => {
    const results = sampleResults();
    results.runs[1] = { ...results.runs[1]!, status: 'failed', valid: 'unknown', error: 'emulator did not start', flows: {} };
    const rows = summaryRows(results);
    const failed = rows[rows.length - 1]!;
    expect(failed).toMatchObject({ tech: 'service-bus', flow: null, verdict: false, note: 'emulator did not start' });
    expect(Object.values(failed.metrics).every((v) => v === undefined)).toBe(true);
  });

  it('marks positive loss as bad but not positive attempts', () => {
    const lost = SUMMARY_COLUMNS.find((c) => c.key === 'lost')!;
    const attempted = SUMMARY_COLUMNS.find((c) => c.key === 'attempted')!;
    expect(isBad(lost, 1)).toBe(true);
    expect(isBad(lost, 0)).toBe(false);
    expect(isBad(lost, undefined)).toBe(false);
    expect(isBad(attempted, 10)).toBe(false);
  });
});

describe('latency curves on the nines axis', () => {
  it('maps percentiles to nines and back', () => {
    expect(ninesOf(0)).toBe(0);
    expect(ninesOf(90)).toBeCloseTo(1, 9);
    expect(ninesOf(99.9)).toBeCloseTo(3, 9);
    expect(ninesOf(100)).toBe(Number.POSITIVE_INFINITY);
    expect(percentileOf(2)).toBeCloseTo(99, 9);
    expect(formatPercentile(percentileOf(3))).toBe('99.9%');
    expect(formatPercentile(50)).toBe('50%');
    expect(formatPercentile(97.5)).toBe('97.5%');
  });

  it('has one e2e series per technology and flow, without the 100% point', () => {
    const series = latencySeries(sampleResults());
    expect(series.map((s) => s.label)).toEqual([
      'storage-queue · uploads',
      'storage-queue · comments',
      'storage-queue · song-added',
      'service-bus · uploads',
      'service-bus · comments',
      'service-bus · song-added',
    ]);
    const first = series[0]!;
    expect(first.points.some((p) => p.percentile === 100)).toBe(false);
    expect(first.points.find((p) => p.percentile === 50)?.valueMs).toBe(38);
    const xs = first.points.map((p) => p.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(Math.max(...xs)).toBeCloseTo(4, 9); // 99.99%
  });

  it('labels ticks 0%, 50%, 90%, 99%... up to the data', () => {
    const ticks = ninesTicks(latencySeries(sampleResults()));
    expect(ticks.map((t) => t.label)).toEqual(['0%', '50%', '90%', '99%', '99.9%', '99.99%']);
    expect(ninesTicks([]).map((t) => t.label)).toEqual(['0%', '50%', '90%', '99%']);
  });

  it('skips flows with no latency samples', () => {
    const results = sampleResults();
    results.runs[0]!.flows.uploads!.checks.latency!.latency!.e2e!.count = 0;
    delete results.runs[1]!.flows.comments!.checks.latency;
    expect(latencySeries(results).map((s) => s.id)).not.toContain('storage-queue/uploads/e2e');
    expect(latencySeries(results)).toHaveLength(4);
  });
});

describe('formatting', () => {
  it('renders missing values as a dash and verdicts as words', () => {
    expect(formatCount(undefined)).toBe('—');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(12345)).toBe('12,345');
    expect(formatMs(undefined)).toBe('—');
    expect(formatMs(0.4231)).toBe('0.42');
    expect(formatMs(61.58)).toBe('61.6');
    expect(formatMs(1467.56)).toBe('1,468');
    expect(verdictLabel(true)).toBe('valid');
    expect(verdictLabel(false)).toBe('invalid');
    expect(verdictLabel('unknown')).toBe('unknown');
    expect(formatDate('2026-11-21T23:50:12.345Z')).toBe('2026-11-21 23:50:12 UTC');
    expect(formatDate('yesterday')).toBe('yesterday');
  });
});

describe('header', () => {
  it('names the scenario, seed, target and machine', () => {
    const info = headerInfo(sampleResults());
    expect(info.title).toBe('sample-fixture');
    expect(info.description).toContain('sample fixture');
    const fields = Object.fromEntries(info.fields.map((f) => [f.label, f.value]));
    expect(fields).toMatchObject({ seed: '1234', target: 'emulated (local)', date: '2026-11-21 23:50:12 UTC' });
    expect(fields.machine).toBe('2 CPUs, 7.8 GiB, linux x64, Node v20.20.2');
    expect(fields.technologies).toBe('storage-queue, service-bus');
    expect(fields['azure profile']).toMatch(/^unknown|^\w/);
  });

  it('names the profile the emulators played, and says when latency is not Azure\'s', () => {
    const results = sampleResults();
    const profile = { name: 'ideal', version: 1, kind: 'builtin' as const, quotas: false, latency: false, tiers: { 'event-hubs': { tier: 'standard', units: 1, unitName: 'throughput units', estimates: [], sources: [] } } };
    const label = (r: typeof results) => Object.fromEntries(headerInfo(r).fields.map((f) => [f.label, f.value]))['azure profile'];
    expect(label({ ...results, environment: { ...results.environment, profile } })).toBe("ideal (builtin): event-hubs standard 1 throughput units; quotas off; no added latency: loopback timing, not Azure's");
    expect(label({ ...results, environment: { ...results.environment, profile: { ...profile, name: 'mine', kind: 'calibrated', file: 'mine.json', quotas: true, latency: true } } })).toContain('mine (calibrated mine.json): event-hubs standard 1 throughput units; quotas on; calibrated latency');
    const external = { ...results, runs: results.runs.map((r) => ({ ...r, target: 'external' as const })), environment: { ...results.environment, profile: undefined } };
    expect(label(external)).toBe("none (the target's brokers, not emulated tiers)");
    expect(Object.fromEntries(headerInfo(external).fields.map((f) => [f.label, f.value])).target).toContain('run --target');
  });
});

describe('secrets', () => {
  it('never lists secret-looking config keys or credential values', () => {
    const entries = configEntries({
      workers: 2,
      connectionString: 'Endpoint=sb://x/;SharedAccessKeyName=a;SharedAccessKey=s3cr3t',
      storage: { accountKey: 'k3y', queue: 'uploads', url: 'https://a.queue/x?sv=1&sig=abc' },
      sasToken: 'zzz',
      client_secret: 'yyy',
      note: 'Endpoint=sb://x/;SharedAccessKey=hidden',
    });
    expect(entries).toEqual([
      ['workers', '2'],
      ['storage.queue', 'uploads'],
      ['storage.url', REDACTED],
      ['note', REDACTED],
    ]);
  });

  it('redacts config and error texts in the data to inline, not checker counts', () => {
    const results = sampleResults();
    results.runs[0]!.config = { connectionString: 'AccountKey=abc', nested: { password: 'p', prefetch: 5 } };
    results.runs[0]!.errors = ['publish failed: DefaultEndpointsProtocol=http;AccountName=x;AccountKey=abc', 'timeout'];
    results.runs[0]!.flows.comments!.checks.ordering!.counts.keysOutOfOrder = 5;
    const redacted = redactResults(results);
    expect(redacted.runs[0]!.config).toEqual({ nested: { prefetch: 5 } });
    expect(redacted.runs[0]!.errors).toEqual([REDACTED, 'timeout']);
    expect(redacted.runs[0]!.flows.comments!.checks.ordering!.counts.keysOutOfOrder).toBe(5);
    expect(JSON.stringify(redacted)).not.toContain('abc');
    expect(results.runs[0]!.config).toHaveProperty('connectionString'); // input untouched
  });
});

describe('embedded data', () => {
  it('accepts an array of results', () => {
    const data = parseEmbeddedData(JSON.stringify([sampleResults()]));
    expect(data.ok && data.results[0]!.scenario.name).toBe('sample-fixture');
  });

  it('explains what is wrong instead of rendering nothing', () => {
    expect(parseEmbeddedData('')).toMatchObject({ ok: false, error: expect.stringContaining('moshpit report') });
    expect(parseEmbeddedData('[]')).toMatchObject({ ok: false, error: expect.stringContaining('empty') });
    expect(parseEmbeddedData('{oops')).toMatchObject({ ok: false, error: expect.stringContaining('not valid JSON') });
    expect(parseEmbeddedData('[{"schema":"other"}]')).toMatchObject({ ok: false, error: expect.stringContaining('not a moshpit') });
    expect(parseEmbeddedData('[{"schema":"moshpit.results","version":2,"runs":[]}]')).toMatchObject({
      ok: false,
      error: expect.stringContaining('version 2'),
    });
  });
});
