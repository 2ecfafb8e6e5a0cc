import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../runner/contracts/errors.ts';
import type { HopRecord } from '../../runner/contracts/history.ts';
import { openHistoryWriter, type HistoryWriter } from '../../runner/contracts/history-writer.ts';
import { createBuiltinEngine, type BuiltinEngineOptions } from '../../runner/load/builtin.ts';
import type { LoadCounters, LoadSummary } from '../../runner/load/engine.ts';
import { getLoadEngine, LOAD_ENGINES } from '../../runner/load/registry.ts';
import { LoadSetupError } from '../../runner/load/setup.ts';
import { scenarioSchema, type ScenarioInput } from '../../runner/scenario/schema.ts';
import { startStubBackend, type StubBackend, type StubOptions } from './stub-backend.ts';

function memoryHistory(): HistoryWriter & { records: HopRecord[] } {
  const records: HopRecord[] = [];
  return { records, append: (r) => void records.push({ ...r, p: r.p ?? 'loadgen' }), close: () => {} };
}

const scenarioOf = (load: ScenarioInput['load'], extra: Partial<ScenarioInput> = {}) =>
  scenarioSchema.parse({ name: 'load-test', description: 'engine test', duration: '1s', seed: 42, load, ...extra });

function byOp(records: HopRecord[]): Map<string, HopRecord[]> {
  const ops = new Map<string, HopRecord[]>();
  for (const r of records) ops.set(r.op, [...(ops.get(r.op) ?? []), r]);
  return ops;
}

async function withStub<T>(options: StubOptions, body: (stub: StubBackend) => Promise<T>): Promise<T> {
  const stub = await startStubBackend(options);
  try {
    return await body(stub);
  } finally {
    await stub.close();
  }
}

async function run(stub: StubBackend, load: ScenarioInput['load'], engineOptions: BuiltinEngineOptions = {}, extra: Partial<ScenarioInput> = {}, signal?: AbortSignal) {
  const history = memoryHistory();
  const progress: LoadCounters[] = [];
  const summary = await createBuiltinEngine({ setupPollIntervalMs: 50, ...engineOptions }).run({
    scenario: scenarioOf(load, extra),
    baseUrl: stub.baseUrl,
    history,
    opIdPrefix: 'lg1',
    onProgress: (c) => progress.push(c),
    signal,
  });
  return { summary, records: history.records, progress };
}

describe('builtin load engine against a local HTTP backend', { timeout: 20_000 }, () => {
  it('records intended, sent and acked for every operation, with per-song seq and matching checksums', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moshpit-load-'));
    const file = join(dir, 'loadgen.jsonl');
    try {
      await withStub({ commitDelayMs: 150 }, async (stub) => {
        const writer = openHistoryWriter(file, 'loadgen');
        let summary: LoadSummary;
        try {
          summary = await createBuiltinEngine({ setupPollIntervalMs: 50 }).run({
            scenario: scenarioOf({
              uploads: { rate: 100, sizeBytes: { min: 100, max: 3000 } },
              comments: { rate: 60, songs: 3, perSong: 15 },
            }),
            baseUrl: stub.baseUrl,
            history: writer,
            opIdPrefix: 'lg1',
          });
        } finally {
          writer.close();
        }
        const records = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as HopRecord);
        const ops = byOp(records);
        const ids = [...ops.keys()];
        expect(ids.filter((id) => id.startsWith('lg1-u'))).toHaveLength(100);
        expect(ids.filter((id) => id.startsWith('lg1-s')).sort()).toEqual(['lg1-s0', 'lg1-s1', 'lg1-s2']);
        expect(ids.filter((id) => id.startsWith('lg1-c'))).toHaveLength(45);
        for (const [id, hops] of ops) {
          expect(hops.map((h) => h.h), id).toEqual(['intended', 'sent', 'acked']);
          expect(hops[2]!.st).toBe(202);
          expect(hops[1]!.t).toBeGreaterThanOrEqual(hops[0]!.t);
          expect(hops.every((h) => h.p === 'loadgen' && h.k === hops[0]!.k && h.f === hops[0]!.f)).toBe(true);
        }
        // intended = the scheduled time, not when the timer fired
        expect(ops.get('lg1-u0')![0]!.t).toBe(summary.startedAtMs);
        expect(ops.get('lg1-u7')![0]!.t).toBeCloseTo(summary.startedAtMs + 70, 6);
        // checksums and sizes match what the server received
        for (const [id, hops] of ops) {
          if (hops[0]!.f !== 'uploads') continue;
          expect(stub.songs.get(id)?.sum, id).toBe(hops[0]!.sum);
          expect(stub.songs.get(id)?.sizeBytes).toBe(hops[0]!.b);
        }
        // comments: round-robin over the seeded songs, seq 1..15 per song in send order
        const intendedComments = records.filter((r) => r.f === 'comments' && r.h === 'intended');
        for (const songId of ['lg1-s0', 'lg1-s1', 'lg1-s2']) {
          const seqs = intendedComments.filter((r) => r.k === songId).map((r) => r.seq);
          expect(seqs).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
          expect(stub.comments.get(songId)?.map((c) => c.seq).sort((a, b) => a - b)).toEqual(seqs);
        }
        // setup waited for the songs to be stored: no comment was refused
        expect(stub.commentsRejected).toBe(0);
        expect(summary.setupMs).toBeGreaterThanOrEqual(140);
        expect(summary).toMatchObject({ offered: 145, sent: 145, acknowledged: 145, failed: 0, dropped: 0, inFlight: 0 });
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is reproducible: the same seed gives the same ids, sizes, checksums and schedule', async () => {
    const load = { uploads: { rate: 40, sizeBytes: { min: 10, max: 5000 } } };
    const shape = (r: { summary: LoadSummary; records: HopRecord[] }) =>
      r.records.filter((x) => x.h === 'intended').map((x) => [x.op, x.b, x.sum, x.t - r.summary.startedAtMs]);
    const [a, b] = await withStub({}, async (stub) => [await run(stub, load, {}, { duration: '250ms' }), await run(stub, load, {}, { duration: '250ms' })]);
    expect(shape(a)).toHaveLength(10);
    expect(shape(b)).toEqual(shape(a));
  });

  it('records dropped operations instead of slowing down when maxInFlight requests are outstanding', async () => {
    await withStub({ behave: (req) => (req.method === 'POST' ? 'stall' : 'normal') }, async (stub) => {
      const { summary, records } = await run(stub, { uploads: { rate: 100, sizeBytes: 64 } }, { maxInFlight: 5, requestTimeoutMs: 1500 }, { duration: '500ms' });
      expect(summary).toMatchObject({ offered: 50, sent: 5, dropped: 45, failed: 5, acknowledged: 0, inFlight: 0 });
      const ops = byOp(records);
      const dropped = [...ops.values()].filter((hops) => hops.some((h) => h.h === 'dropped'));
      expect(dropped).toHaveLength(45);
      for (const hops of dropped) expect(hops.map((h) => h.h)).toEqual(['intended', 'dropped']);
      const failed = records.filter((r) => r.h === 'failed');
      expect(failed.map((r) => r.op).sort()).toEqual(['lg1-u0', 'lg1-u1', 'lg1-u2', 'lg1-u3', 'lg1-u4']);
      for (const r of failed) {
        expect(r.st).toBe(0);
        expect(r.err).toMatch(/timeout/);
      }
    });
  });

  it('records failures with the HTTP status, and status 0 when the socket is closed without an answer', async () => {
    const behave = (_req: unknown, opId: string | undefined) =>
      opId === 'lg1-u1' ? { status: 503 } : opId === 'lg1-u2' ? { status: 400 } : opId === 'lg1-u3' ? 'destroy' : 'normal';
    await withStub({ behave: behave as StubOptions['behave'] }, async (stub) => {
      const { summary, records, progress } = await run(stub, { uploads: { rate: 50, sizeBytes: 64 } }, {}, { duration: '200ms' });
      expect(summary).toMatchObject({ offered: 10, sent: 10, acknowledged: 7, failed: 3, dropped: 0 });
      expect(progress.at(-1)).toMatchObject({ offered: 10, acknowledged: 7, failed: 3, inFlight: 0 });
      const failed = Object.fromEntries(records.filter((r) => r.h === 'failed').map((r) => [r.op, r]));
      expect(Object.keys(failed).sort()).toEqual(['lg1-u1', 'lg1-u2', 'lg1-u3']);
      expect(failed['lg1-u1']).toMatchObject({ st: 503, err: 'stub says 503' });
      expect(failed['lg1-u2']).toMatchObject({ st: 400, err: 'stub says 400' });
      expect(failed['lg1-u3']!.st).toBe(0);
      expect(failed['lg1-u3']!.err).toBeTruthy();
    });
  });

  it('gives up waiting for the seeded songs after the drain limit, with a clear error', async () => {
    await withStub({ commitDelayMs: Infinity }, async (stub) => {
      const history = memoryHistory();
      const running = createBuiltinEngine({ setupPollIntervalMs: 50 }).run({
        scenario: scenarioOf({ comments: { rate: 10, songs: 2 } }, { drainLimit: '400ms' }),
        baseUrl: stub.baseUrl,
        history,
        opIdPrefix: 'lg1',
      });
      await expect(running).rejects.toThrow(LoadSetupError);
      await expect(running).rejects.toThrow(/2 of 2 song\(s\) for the comments flow were not stored within the drain limit \(400 ms\).*lg1-s0: HTTP 404/);
      expect(history.records.filter((r) => r.h === 'acked').map((r) => r.op).sort()).toEqual(['lg1-s0', 'lg1-s1']);
      expect(history.records.some((r) => r.f === 'comments')).toBe(false);
    });
  });

  it('retries a failed seed upload under a new op id, then fails clearly', async () => {
    await withStub({ behave: (req) => (req.method === 'POST' ? { status: 503 } : 'normal') }, async (stub) => {
      const history = memoryHistory();
      const running = createBuiltinEngine().run({ scenario: scenarioOf({ comments: { rate: 10, songs: 1 } }), baseUrl: stub.baseUrl, history, opIdPrefix: 'lg1' });
      await expect(running).rejects.toThrow(/could not upload song 0 of 1 .* after 3 attempt\(s\): 503 \(stub says 503\)/);
      expect(history.records.filter((r) => r.h === 'failed').map((r) => r.op)).toEqual(['lg1-s0', 'lg1-s0-r1', 'lg1-s0-r2']);
    });
  });

  it('stops early when aborted and still closes every sent operation', async () => {
    await withStub({}, async (stub) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 300);
      const { summary, records } = await run(stub, { uploads: { rate: 50, sizeBytes: 64 } }, {}, { duration: '10s' }, controller.signal);
      expect(summary.offered).toBeGreaterThan(0);
      expect(summary.offered).toBeLessThan(100);
      const ops = byOp(records);
      for (const hops of ops.values()) expect(hops.some((h) => h.h === 'acked' || h.h === 'failed')).toBe(true);
    });
  });
});

describe('engine registry and bad input', () => {
  it('knows the builtin engine and lists the known ones for an unknown name', () => {
    expect(LOAD_ENGINES).toContain('builtin');
    expect(getLoadEngine('builtin').name).toBe('builtin');
    expect(() => getLoadEngine('locust')).toThrow(UserError);
    expect(() => getLoadEngine('locust')).toThrow(/unknown load engine "locust": known engines are builtin/);
    expect(() => getLoadEngine('toString')).toThrow(UserError);
  });

  it('rejects bad options, op id prefixes and base URLs with readable errors', async () => {
    expect(() => createBuiltinEngine({ maxInFlight: 0 })).toThrow(/maxInFlight: expected a positive number/);
    const ctx = { scenario: scenarioOf({ uploads: { rate: 1 } }), history: memoryHistory() };
    await expect(createBuiltinEngine().run({ ...ctx, baseUrl: 'http://127.0.0.1:1', opIdPrefix: 'has space' })).rejects.toThrow(/opIdPrefix/);
    await expect(createBuiltinEngine().run({ ...ctx, baseUrl: 'not a url', opIdPrefix: 'ok' })).rejects.toThrow(/baseUrl: expected an http/);
    const closed = await startStubBackend();
    await closed.close();
    await expect(createBuiltinEngine().run({ ...ctx, baseUrl: closed.baseUrl, opIdPrefix: 'ok' })).rejects.toThrow(
      /music backend api at http:\/\/127\.0\.0\.1:\d+ does not answer GET \/health .*Is it running\?/,
    );
    expect(ctx.history.records).toEqual([]);
  });
});
