/**
 * k6's end-of-test figures into results.json: merging two segments' summaries (fixtures are
 * trimmed handleSummary outputs of real k6 v2.2.0 runs), the description line, and the run
 * builder (k6 figures copied into `load.k6` only when the engine produced them).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHistoryDir } from '../../../runner/checkers/compose.ts';
import type { LoadSummary } from '../../../runner/load/engine.ts';
import { describeK6Summary, mergeK6Summaries, readK6Summary, type K6SegmentSummary } from '../../../runner/load/k6/summary.ts';
import { resultsJsonSchema, runResult } from '../../../runner/results/schema.ts';
import { summarizeRun } from '../../../runner/run/summarize.ts';
import { scenarioSchema } from '../../../runner/scenario/schema.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const read = (name: string): K6SegmentSummary => {
  const summary = readK6Summary(fixture(name));
  if (!summary) throw new Error(`fixture ${name} missing`);
  return summary;
};

describe('k6 summary merge', () => {
  // slow: 18 requests at ~152 ms, 16 dropped iterations; fast: 16 requests at ~2 ms, none dropped
  const slow = read('summary-slow-segment.json');
  const fast = read('summary-fast-segment.json');

  it('reads one segment: counts, and http_req_duration p95/p99/max in ms', () => {
    expect(slow).toEqual({ httpReqs: 18, droppedIterations: 16, httpReqDurationP95Ms: 153.47816840000002, httpReqDurationP99Ms: 153.56855128, httpReqDurationMaxMs: 153.591147 });
    expect(fast.droppedIterations).toBe(0); // k6 omits dropped_iterations when none were dropped
  });

  it('adds counts over segments; percentiles are the worst segment, max the true max', () => {
    const merged = mergeK6Summaries([fast, slow], 16);
    expect(merged).toEqual({
      segments: 2,
      httpRequests: 34,
      droppedIterations: 16,
      httpReqDurationMs: { p95: 153.47816840000002, p99: 153.56855128, max: 153.591147 },
      droppedCrossCheck: true,
    });
    // the order of segments does not matter
    expect(mergeK6Summaries([slow, fast], 16)).toEqual(merged);
  });

  it('cross-check fails when the history holds another number of drops', () => {
    expect(mergeK6Summaries([fast, slow], 14)?.droppedCrossCheck).toBe(false);
    expect(describeK6Summary(mergeK6Summaries([fast, slow], 14), 14)).toContain('history shows 14 dropped');
  });

  it('an idle segment counts as a segment but has no latency; no segment at all gives nothing', () => {
    const idle = read('summary-idle-segment.json');
    expect(mergeK6Summaries([idle], 0)).toEqual({ segments: 1, httpRequests: 0, droppedIterations: 0, httpReqDurationMs: { p95: null, p99: null, max: null }, droppedCrossCheck: true });
    expect(mergeK6Summaries([idle, fast], 0)?.httpReqDurationMs).toEqual({ p95: 3.2129545, p99: 3.9064596999999996, max: 4.079836 });
    expect(mergeK6Summaries([], 0)).toBeUndefined();
    expect(readK6Summary(fixture('absent.json'))).toBeUndefined();
    expect(describeK6Summary(undefined, 0)).toBe('k6: no end-of-test summary (aborted?)');
  });

  it('describes the merged figures in one line', () => {
    expect(describeK6Summary(mergeK6Summaries([fast, slow], 16), 16)).toBe(
      'k6: 34 HTTP requests, http_req_duration p95 153.5 ms p99 153.6 ms (worst segment) max 153.6 ms; dropped_iterations 16',
    );
  });
});

describe('run builder: load.k6', () => {
  const dir = mkdtempSync(join(tmpdir(), 'moshpit-k6-summary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const scenario = scenarioSchema.parse({ name: 'k6-figures', description: 'd', seed: 1, duration: '1s', drainLimit: '1s', load: { uploads: { rate: 1 } }, backend: {} });
  const load: LoadSummary = { elapsedMs: 1000, offered: 0, sent: 0, acknowledged: 0, failed: 0, dropped: 0, inFlight: 0, startedAtMs: 0, endedAtMs: 1000, setupMs: 0 };

  async function build(summary: LoadSummary, engine: string) {
    const checked = await checkHistoryDir(dir, { subscribers: [], startedAtMs: 0 });
    return summarizeRun({ tech: 'storage-queue', scenario, startedAt: new Date(0), summary, drained: { durationMs: 0, drained: true }, checked, engine });
  }

  it('a builtin-engine run has no load.k6, and still validates', async () => {
    const run = await build(load, 'builtin');
    expect('k6' in run.load).toBe(false);
    expect(runResult.safeParse(run).success).toBe(true);
  });

  it('a k6 run carries the merged figures, which validate against results v1', async () => {
    const k6 = mergeK6Summaries([read('summary-fast-segment.json'), read('summary-slow-segment.json')], 16)!;
    const run = await build({ ...load, k6 }, 'k6');
    expect(run.load.k6).toEqual(k6);
    expect(runResult.parse(JSON.parse(JSON.stringify(run))).load.k6).toEqual(k6);
    const bad = { ...run, load: { ...run.load, k6: { ...k6, httpRequests: -1 } } };
    expect(runResult.safeParse(bad).success).toBe(false);
  });

  it('the exported JSON Schema has load.k6, optional', () => {
    const schema = JSON.stringify(resultsJsonSchema());
    const loadSchema = (resultsJsonSchema() as any).properties.runs.items.properties.load;
    expect(Object.keys(loadSchema.properties.k6.properties).sort()).toEqual(['droppedCrossCheck', 'droppedIterations', 'httpReqDurationMs', 'httpRequests', 'segments']);
    expect(loadSchema.required).not.toContain('k6');
    expect(schema).toContain('worst segment');
  });
});
