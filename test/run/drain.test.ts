import { mkdtempSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRecordTail, drain, type DrainProbe } from '../../runner/run/drain.ts';

function probe(state: { stored: Set<string>; songs: string[]; records: Array<Record<string, unknown>> }): DrainProbe {
  return {
    stored: (ids) => new Set(ids.filter((id) => state.stored.has(id))),
    songs: () => state.songs,
    newRecords: () => state.records.splice(0),
  };
}

describe('drain', () => {
  it('waits for every acknowledged id, not for a count that recovered operations can inflate', async () => {
    // u1..u3 acknowledged; x1, x2 failed for the client but stored (recovered): 4 rows, u3 still missing
    const state = { stored: new Set(['u1', 'u2', 'x1', 'x2']), songs: [] as string[], records: [] as Array<Record<string, unknown>> };
    const result = await drain(probe(state), { acknowledged: ['u1', 'u2', 'u3'], subscribers: [], limitMs: 300, pollMs: 20 });
    expect(result.drained).toBe(false);
    setTimeout(() => state.stored.add('u3'), 100);
    expect((await drain(probe(state), { acknowledged: ['u1', 'u2', 'u3'], subscribers: [], limitMs: 5000, pollMs: 20 })).drained).toBe(true);
  });

  it('counts dead-lettered operations as settled, and waits for every subscriber of every stored song', async () => {
    const state = {
      stored: new Set(['u1']),
      songs: ['u1'],
      records: [{ h: 'deadLettered', f: 'uploads', op: 'u2' }, { h: 'eventReceived', op: 'u1', sub: 'subscriber-1' }] as Array<Record<string, unknown>>,
    };
    const waiting = drain(probe(state), { acknowledged: ['u1', 'u2'], subscribers: ['subscriber-1', 'subscriber-2'], limitMs: 5000, pollMs: 20 });
    setTimeout(() => state.records.push({ h: 'eventReceived', op: 'u1', sub: 'subscriber-2' }), 100);
    const result = await waiting;
    expect(result.drained).toBe(true);
    expect(result.durationMs).toBeGreaterThanOrEqual(80);
  });

  it("does not wait for an event a subscriber dead-lettered (the fan-out checker reports it missing)", async () => {
    const state = { stored: new Set(['u1']), songs: ['u1'], records: [{ h: 'deadLettered', f: 'song-added', op: 'u1', p: 'subscriber-1' }] as Array<Record<string, unknown>> };
    expect((await drain(probe(state), { acknowledged: ['u1'], subscribers: ['subscriber-1'], limitMs: 2000, pollMs: 20 })).drained).toBe(true);
  });

  it('tails JSONL files by whole lines across calls', () => {
    const dir = mkdtempSync(join(tmpdir(), 'moshpit-tail-'));
    try {
      const file = join(dir, 'a.jsonl');
      const tail = createRecordTail([file, join(dir, 'missing.jsonl')]);
      expect(tail()).toEqual([]);
      appendFileSync(file, '{"h":"acked","op":"a"}\n{"h":"ack');
      expect(tail()).toEqual([{ h: 'acked', op: 'a' }]);
      appendFileSync(file, 'ed","op":"b"}\n');
      expect(tail()).toEqual([{ h: 'acked', op: 'b' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
