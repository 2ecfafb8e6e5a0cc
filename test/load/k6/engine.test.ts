/**
 * The k6 engine against a trivial HTTP backend: real k6, one and two execution segments
 * (merged history, no duplicate ids, same totals), and its errors (k6 missing, k6 failing,
 * garbage output) via fake k6 binaries.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../runner/contracts/errors.ts';
import type { HopRecord } from '../../../runner/contracts/history.ts';
import { openHistoryWriter } from '../../../runner/contracts/history-writer.ts';
import type { LoadSummary } from '../../../runner/load/engine.ts';
import { createK6Engine, K6EngineError, K6OutputError, type K6EngineOptions } from '../../../runner/load/k6/engine.ts';
import { scenarioSchema } from '../../../runner/scenario/schema.ts';
import { startFakeBackend, type FakeBackend } from './fake-backend.ts';
import { K6_BIN, SKIP_K6 } from './k6-available.ts';

const dir = mkdtempSync(join(tmpdir(), 'moshpit-k6-engine-'));
const scenario = scenarioSchema.parse({
  name: 'k6-engine', description: 'engine test', seed: 9, duration: '3s', drainLimit: '10s',
  load: { uploads: { rate: 10, sizeBytes: { min: 100, max: 3000 } }, comments: { rate: 10, songs: 3 } },
  backend: {},
});
let backend: FakeBackend;
beforeAll(async () => {
  backend = await startFakeBackend();
});
afterAll(async () => {
  await backend?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function runEngine(name: string, options: K6EngineOptions): Promise<{ summary: LoadSummary; records: HopRecord[] }> {
  const file = join(dir, `${name}.jsonl`);
  const history = openHistoryWriter(file, 'loadgen');
  try {
    const summary = await createK6Engine(options).run({ scenario, baseUrl: backend.url, history, opIdPrefix: name });
    return { summary, records: readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as HopRecord) };
  } finally {
    history.close();
  }
}

function fakeK6(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe.skipIf(SKIP_K6)('k6 engine with real k6', () => {
  it('one and two segments offer the same load; merged history has unique ids and complete hops', async () => {
    const one = await runEngine('one', { bin: K6_BIN });
    const two = await runEngine('two', { bin: K6_BIN, segments: 2 });
    for (const { summary, records } of [one, two]) {
      expect(summary.offered).toBe(60);
      expect(summary.sent + summary.dropped).toBe(60);
      expect(summary.acknowledged).toBe(summary.sent);
      const sent = records.filter((r) => r.h === 'sent').map((r) => r.op);
      expect(new Set(sent).size).toBe(sent.length);
      const intended = records.filter((r) => r.h === 'intended').map((r) => r.op);
      expect(new Set(intended).size).toBe(intended.length);
      expect(intended.length).toBe(63); // 60 load operations + 3 seeded songs
      const seqs = records.filter((r) => r.h === 'intended' && r.f === 'comments').map((r) => `${r.k}#${r.seq}`);
      expect(new Set(seqs).size).toBe(30);
    }
    // k6's own summaries, one per segment, merged: one HTTP request per operation sent
    expect(one.summary.k6?.segments).toBe(1);
    expect(two.summary.k6?.segments).toBe(2);
    for (const { summary } of [one, two]) {
      expect(summary.k6?.httpRequests).toBe(summary.sent);
      expect(summary.k6?.droppedIterations).toBe(summary.dropped);
      expect(summary.k6?.httpReqDurationMs.max).toBeGreaterThan(0);
    }
    const ops = (r: HopRecord[]) => r.filter((x) => x.h === 'sent' && !x.op.includes('-s')).map((x) => x.op.replace(/^[^-]+-/, '')).sort();
    expect(ops(two.records)).toEqual(ops(one.records));
    // the backend saw every operation id once
    expect(new Set(backend.songOps).size).toBe(backend.songOps.length);
    expect(new Set(backend.commentOps).size).toBe(backend.commentOps.length);
  }, 90_000);

  it("k6's dropped iterations become dropped records (one VU, slow answers)", async () => {
    const slow = await startFakeBackend(300);
    const file = join(dir, 'dropped.jsonl');
    const history = openHistoryWriter(file, 'loadgen');
    const uploadsOnly = scenarioSchema.parse({ name: 'drops', description: 'd', seed: 1, duration: '2s', load: { uploads: { rate: 10, sizeBytes: 100 } }, backend: {} });
    try {
      const summary = await createK6Engine({ bin: K6_BIN, maxVUs: 1 }).run({ scenario: uploadsOnly, baseUrl: slow.url, history, opIdPrefix: 'd' });
      const records = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as HopRecord);
      expect(summary.offered).toBe(20);
      expect(summary.dropped).toBeGreaterThan(5);
      expect(summary.sent + summary.dropped).toBe(20);
      expect(records.filter((r) => r.h === 'dropped').length).toBe(summary.dropped);
      const ops = records.filter((r) => r.h === 'intended').map((r) => r.op);
      expect(new Set(ops).size).toBe(20);
    } finally {
      history.close();
      await slow.close();
    }
  }, 60_000);
});

describe('k6 engine errors', () => {
  it('k6 missing: a UserError saying how to install it', async () => {
    const error = await runEngine('missing', { bin: join(dir, 'no-such-k6') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/no executable k6 at .*no-such-k6.*install-k6\.sh/s);
  });

  it('k6 exits non-zero: the error quotes its exit code and last output', async () => {
    const bin = fakeK6('k6-fails', 'echo "level=error msg=\\"could not resolve the target\\"" >&2\nexit 107');
    const error = await runEngine('fails', { bin }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(K6EngineError);
    expect((error as Error).message).toMatch(/k6 exited with code 107; its last output:\n.*could not resolve the target/);
  });

  it('garbage in the k6 output: a K6OutputError naming the file and line', async () => {
    // writes garbage where the driver's JSON lines belong (the argument after --console-output)
    const bin = fakeK6('k6-garbage', 'while [ "$1" != "--console-output" ]; do shift; done\necho "this is not json" > "$2"\nexit 0');
    const error = await runEngine('garbage', { bin }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(K6OutputError);
    expect((error as Error).message).toMatch(/segment-0\.jsonl:1: not a JSON line from the moshpit k6 driver/);
  });

  it('bad options are UserErrors', () => {
    expect(() => createK6Engine({ segments: 0 })).toThrow(/segments: expected an integer from 1 to 64/);
  });
});
