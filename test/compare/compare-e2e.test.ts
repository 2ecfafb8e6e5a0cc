/**
 * ONE cheap real end-to-end `compare`: a 3-second smoke scenario on Storage Queues and Event Grid
 * (the official SDKs against the real emulators), then comparison.json, report.html and the gate
 * on the comparison. What it must show: the promises decide for comments whatever the runs
 * showed; every flow has its matrix cells with figures; the report is one offline file < 2 MB.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCompare } from '../../runner/compare/run-suite.ts';
import { comparisonSchema } from '../../runner/compare/schema.ts';
import { runGate } from '../../runner/gate/gate.ts';

const SUITE = fileURLToPath(new URL('./fixtures/tiny-suite.json', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'moshpit-compare-e2e-'));

describe('moshpit compare end to end (tiny suite × 2 technologies)', () => {
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs the suite, writes comparison.json and report.html, and the gate reads the comparison', async () => {
    const lines: string[] = [];
    const outcome = await runCompare({ suite: SUITE, tech: 'storage-queue,event-grid', out, engine: 'builtin', report: true, log: (l) => lines.push(l) });
    expect(lines.filter((l) => l.startsWith('compare ['))).toEqual([expect.stringMatching(/^compare \[1\/2\] tiny-smoke × storage-queue · elapsed .* · ETA /), expect.stringMatching(/^compare \[2\/2\] tiny-smoke × event-grid/)]);
    const comparison = comparisonSchema.parse(JSON.parse(readFileSync(outcome.comparisonPath, 'utf8')));
    expect(comparison.runs.map((r) => [r.tech, r.status])).toEqual([['storage-queue', 'completed'], ['event-grid', 'completed']]);
    for (const r of comparison.runs) expect(existsSync(join(out, r.results))).toBe(true);

    const comments = comparison.verdicts.find((v) => v.flow === 'comments')!;
    expect(comments.recommended).toBeNull(); // neither promises per-key order, however the 3 s went
    expect(comments.fits).toEqual([]);
    const songAdded = comparison.verdicts.find((v) => v.flow === 'song-added')!;
    expect(songAdded.techs.find((t) => t.tech === 'storage-queue')!.fit).toBe(false);
    expect(comparison.matrix).toHaveLength(2 * 3);
    for (const cell of comparison.matrix) {
      expect(cell.e2e.n).toBeGreaterThan(0);
      expect(cell.counts[cell.kind === 'event' ? 'fanOutMissing' : 'lost']).toBe(0);
    }
    expect(comparison.profile).toMatchObject({ name: 'standard', latencyRepresentative: true, tiers: { 'storage-queue': { tier: 'standard' }, 'event-grid': { tier: 'basic' } } });
    expect(comparison.cost.estimates.map((e) => e.tech).sort()).toEqual(['event-grid', 'storage-queue']);
    expect(comparison.headroom.some((h) => /would throttle at [\d.]+× this load/.test(h.text))).toBe(true);

    expect(statSync(outcome.reportPath!).size).toBeLessThan(2 * 1024 * 1024);
    expect(readFileSync(outcome.reportPath!, 'utf8')).toContain('"schema":"moshpit.comparison"');

    const gate = runGate({ resultsPath: outcome.comparisonPath, thresholdsPaths: ['test/data/thresholds.json'], stepSummaryPath: join(out, 'summary.md') });
    expect(gate.outcome.cases.length).toBeGreaterThan(0);
    expect(gate.outcome.cases.every((c) => c.threshold.startsWith('[tiny-smoke] '))).toBe(true);
    expect(gate.outcome.cases.filter((c) => c.metric === 'lost').every((c) => c.passed)).toBe(true);
  }, 150_000);
});
