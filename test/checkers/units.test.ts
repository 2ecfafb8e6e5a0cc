/** Unit tests for the checker building blocks: interning, latency summaries, the registry. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateHistoryDir } from '../data/histories/generate.ts';
import { checkHistory, checkHistoryDir, createChecker } from '../../runner/checkers/compose.ts';
import { Interner } from '../../runner/checkers/interner.ts';
import { CURVE_PERCENTILES, HopLatency } from '../../runner/checkers/latency.ts';
import { CHECKERS, checkersFor, getChecker } from '../../runner/checkers/registry.ts';
import { UserError } from '../../runner/contracts/errors.ts';
import type { HopRecord } from '../../runner/contracts/history.ts';

describe('Interner', () => {
  it('gives every distinct id one integer, whichever lookup path it takes', () => {
    const interner = new Interner();
    const ids = [
      'run-u1', 'run-u2', 'run-c1', 'u7', 'u07', 'u007', 'x', 'song-0', 'song-00', '42', 'run-u2',
      'run-u999999999', 'run-u1234567890', 'a-b-9', 'é-3', 'run-u5000000', 'run-u3',
    ];
    const seen = new Map<string, number>();
    for (const id of [...ids, ...ids.slice().reverse()]) {
      const i = interner.intern(id);
      if (seen.has(id)) expect(i).toBe(seen.get(id));
      else seen.set(id, i);
    }
    expect(new Set(seen.values()).size).toBe(seen.size);
    expect(interner.size).toBe(seen.size);
    for (const [id, i] of seen) expect(interner.ids[i]).toBe(id);
  });

  it('stays consistent when a sparse number first falls back to the Map and the table grows later', () => {
    const interner = new Interner();
    const far = interner.intern('op-3000000'); // too sparse for the table now: Map
    for (let n = 0; n < 800_000; n++) interner.intern(`op-${n}`); // the table grows past 3,000,000's slot
    for (let n = 3_000_000; n < 3_000_010; n++) interner.intern(`op-${n}`);
    expect(interner.intern('op-3000000')).toBe(far);
    expect(interner.size).toBe(1 + 800_000 + 9);
  });

  it('handles more prefixes than it has tables for', () => {
    const interner = new Interner();
    const ids = Array.from({ length: 40 }, (_, n) => `p${String.fromCharCode(97 + (n % 26))}${n >= 26 ? 'z' : ''}-${n}`);
    const first = ids.map((id) => interner.intern(id));
    expect(ids.map((id) => interner.intern(id))).toEqual(first);
    expect(new Set(first).size).toBe(40);
  });
});

describe('HopLatency', () => {
  it('summarises exact min, max and mean, percentiles within HdrHistogram precision', () => {
    const hop = new HopLatency();
    for (let n = 1; n <= 1000; n++) hop.record(0, n * 1.5); // 1.5 ms .. 1500 ms
    const s = hop.summary();
    expect(s.count).toBe(1000);
    expect(s.minMs).toBe(1.5);
    expect(s.maxMs).toBe(1500);
    expect(s.meanMs).toBeCloseTo(750.75, 6);
    expect(Math.abs(s.p50Ms - 750) / 750).toBeLessThan(0.002);
    expect(Math.abs(s.p99Ms - 1485) / 1485).toBeLessThan(0.002);
    expect(s.curve.map((p) => p.percentile)).toEqual(CURVE_PERCENTILES);
    const values = s.curve.map((p) => p.valueMs);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(values[0]).toBe(1.5);
    expect(values.at(-1)).toBe(1500);
  });

  it('keeps microsecond precision and clamps negative differences', () => {
    const hop = new HopLatency();
    hop.record(100, 100.123);
    hop.record(100, 99);
    hop.record(NaN, 5);
    expect(hop.count).toBe(2);
    expect(hop.clamped).toBe(1);
    expect(hop.summary()).toMatchObject({ minMs: 0, maxMs: 0.123 });
  });
});

describe('registry', () => {
  it('lists the checkers per flow', () => {
    expect(checkersFor('uploads').map((c) => c.name)).toEqual(['total-queue', 'integrity', 'latency', 'client-visible']);
    expect(checkersFor('comments').map((c) => c.name)).toEqual(['total-queue', 'ordering', 'latency', 'client-visible']);
    expect(checkersFor('song-added').map((c) => c.name)).toEqual(['fan-out', 'latency']);
    expect(getChecker('ordering')).toBe(CHECKERS[1]);
  });

  it('refuses an unknown checker, listing the known ones', () => {
    expect(() => getChecker('linearizable')).toThrow(UserError);
    expect(() => getChecker('linearizable')).toThrow(/unknown checker "linearizable"; known checkers: total-queue, ordering, integrity, fan-out, latency/);
  });
});

describe('generated history (scale)', () => {
  it('a clean 3,000-op run from every process file checks valid, with redeliveries counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moshpit-gen-'));
    try {
      const g = generateHistoryDir(dir, { ops: 3000, seed: 3, redeliverEvery: 100, subscribers: ['s1', 's2', 's3'] });
      const check = await checkHistoryDir(dir, { subscribers: g.subscribers, startedAtMs: g.startedAtMs });
      expect(check.read).toMatchObject({ files: 8, records: g.records, tornLines: 0 });
      const uploads = check.flows.uploads.checks;
      const comments = check.flows.comments.checks;
      expect(uploads['total-queue'].counts).toMatchObject({ attempted: 1000, acknowledged: 1000, committed: 1000, lost: 0 });
      expect(comments['total-queue'].counts).toMatchObject({ attempted: 2000, acknowledged: 2000, committed: 2000, lost: 0 });
      const redelivered = uploads['total-queue'].counts.duplicatedDelivery + comments['total-queue'].counts.duplicatedDelivery;
      expect(redelivered).toBe(g.redelivered);
      expect(uploads.integrity.counts).toEqual({ checked: 1000, mismatched: 0, unknown: 0 });
      expect(comments.ordering.counts).toMatchObject({ ordered: 2000, inversions: 0, gaps: 0 });
      expect(check.flows['song-added'].checks['fan-out'].counts).toMatchObject({ events: 1000, expected: 3000, delivered: 3000, missing: 0 });
      for (const flow of Object.values(check.flows)) expect(flow.valid).toBe(true);
      expect(check.load).toEqual({ attempted: 3000, sent: 3000, acknowledged: 3000, failed: 0, dropped: 0 });
      expect(check.timeline.reduce((n, p) => n + p.offered, 0)).toBe(3000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the incremental checker equals the batch checker on the same records', () => {
    const records: HopRecord[] = [];
    for (let n = 0; n < 50; n++) {
      const op = `c-${n}`;
      records.push({ h: 'intended', op, f: 'comments', k: `song-${n % 4}`, t: 1000 + n, seq: Math.floor(n / 4) + 1 });
      records.push({ h: 'acked', op, f: 'comments', k: `song-${n % 4}`, t: 1010 + n, st: 202 });
      if (n % 7 !== 0) records.push({ h: 'committed', op, f: 'comments', k: `song-${n % 4}`, t: 1020 + n, seq: Math.floor(n / 4) + 1, ord: 50 - n, pc: 1 });
    }
    const checker = createChecker({ subscribers: [], startedAtMs: 0 });
    for (const r of records) checker.add(r);
    const incremental = checker.finish();
    expect(incremental).toEqual(checkHistory(records, { subscribers: [], startedAtMs: 0 }));
    expect(incremental.flows.comments.checks['total-queue'].counts.lost).toBe(8);
    expect(incremental.flows.comments.checks.ordering.counts.inversions).toBeGreaterThan(0);
    expect(incremental.flows['song-added'].checks['fan-out'].valid).toBe('unknown');
  });
});
