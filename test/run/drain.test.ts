import { mkdtempSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRecordTail, drain, QUIET_STABLE_MS, type ApiInFlight, type DrainProbe } from '../../runner/run/drain.ts';
import type { Backlog } from '../../runner/run/backlog/types.ts';
import type { HopRecord } from '../../runner/contracts/history.ts';

function probe(state: { stored: Set<string>; songs: string[]; records: Array<Record<string, unknown>> }): DrainProbe {
  return {
    stored: (ids) => new Set(ids.filter((id) => state.stored.has(id))),
    songs: () => state.songs,
    newRecords: () => state.records.splice(0) as unknown as HopRecord[], // partial records: the ledger reads only a few fields
  };
}

/** A stack whose brokers and api the test drives: backlogs and api ops change over time. */
function busyProbe(state: { stored: Set<string>; songs: string[]; records: Array<Record<string, unknown>>; backlogs: Backlog[]; api: ApiInFlight | null; unreadable?: boolean }): DrainProbe {
  return {
    ...probe(state),
    backlogs: async () => {
      if (state.unreadable) throw new Error('emulator-storage: fetch failed');
      return state.backlogs;
    },
    apiInFlight: async () => state.api,
  };
}

describe('drain to quiescence', () => {
  it('b0-u14: waits while the api still publishes an operation the client saw fail, then for its event', async () => {
    const state = { stored: new Set(['u1']), songs: ['u1'], records: [{ h: 'eventReceived', op: 'u1', sub: 's1' }] as Array<Record<string, unknown>>, backlogs: [] as Backlog[], api: { count: 1, ops: ['b0-u14'] } as ApiInFlight | null };
    const started = Date.now();
    setTimeout(() => {
      state.api = { count: 0, ops: [] };
      state.backlogs = [{ entity: 'mp-uploads', flow: 'uploads', count: 1, detail: 'visible 1' }];
    }, 300);
    setTimeout(() => {
      state.backlogs = [{ entity: 'mp-song-added-s1', flow: 'song-added', count: 1, detail: 'visible 1' }];
      state.stored.add('b0-u14');
      state.songs.push('b0-u14');
    }, 500);
    setTimeout(() => {
      state.backlogs = [];
      state.records.push({ h: 'eventReceived', op: 'b0-u14', sub: 's1' });
    }, 700);
    const result = await drain(busyProbe(state), { acknowledged: [['u1', 'uploads']], inDoubt: [['b0-u14', 'uploads']], subscribers: ['s1'], limitMs: 10_000, pollMs: 20 });
    expect(result.drained).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(680); // not before the late event arrived
    expect(result.pendingOps).toEqual([]);
  });

  it('at the limit: drained false, pending = in-doubt ops the api still holds or whose flow has a backlog, and undelivered events', async () => {
    const state = {
      stored: new Set(['u1']), songs: ['u1'], records: [] as Array<Record<string, unknown>>,
      backlogs: [{ entity: 'mp-comments', flow: 'comments', count: 2, detail: 'invisible 2' }] as Backlog[],
      api: { count: 1, ops: ['u7'] } as ApiInFlight | null,
    };
    const result = await drain(busyProbe(state), {
      acknowledged: [['u1', 'uploads'], ['c1', 'comments']],
      inDoubt: [['u7', 'uploads'], ['u8', 'uploads'], ['c2', 'comments']],
      subscribers: ['s1'], limitMs: 300, pollMs: 20,
    });
    expect(result.drained).toBe(false);
    // u8: its api call ended and the uploads queue is empty: it can no longer be stored, so it is judged, not pending
    expect(result.pendingOps.map((o) => o.id).sort()).toEqual(['c1', 'c2', 'u7']);
    expect(result.pendingEvents).toEqual([{ op: 'u1', sub: 's1' }]); // the api is busy: u1's event may be on its way
    expect(result.last.backlogs).toHaveLength(1);
  });

  it('an unreadable broker is not quiet: everything unstored is pending at the limit', async () => {
    const state = { stored: new Set<string>(), songs: [] as string[], records: [] as Array<Record<string, unknown>>, backlogs: [] as Backlog[], api: { count: 0, ops: [] }, unreadable: true };
    const result = await drain(busyProbe(state), { acknowledged: [['u1', 'uploads']], subscribers: [], limitMs: 200, pollMs: 20 });
    expect(result.drained).toBe(false);
    expect(result.pendingOps).toEqual([{ id: 'u1', flow: 'uploads' }]);
    expect(result.last.unreadable[0]).toContain('fetch failed');
  });

  it('a worker holding a received message is busy; quiet with an acknowledged op missing ends after the stable window (a real loss is judged)', async () => {
    const state = { stored: new Set<string>(), songs: [] as string[], records: [{ h: 'received', f: 'uploads', op: 'u2' }] as Array<Record<string, unknown>>, backlogs: [] as Backlog[], api: { count: 0, ops: [] } };
    const busy = await drain(busyProbe(state), { acknowledged: [['u1', 'uploads']], subscribers: [], limitMs: 200, pollMs: 20 });
    expect(busy.drained).toBe(false);
    expect(busy.last.unsettled).toBe(1);
    const quiet = { ...state, records: [] };
    const started = Date.now();
    const judged = await drain(busyProbe(quiet), { acknowledged: [['u1', 'uploads']], subscribers: [], limitMs: 10_000, pollMs: 20 });
    expect(judged.drained).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(QUIET_STABLE_MS - 50);
  });
});

describe('drain and dead workers', () => {
  it('what a worker held when it died is no longer waited for (receive-and-delete: a real loss is judged, not pending)', async () => {
    const t = Date.now();
    const state = { stored: new Set<string>(), songs: [] as string[], records: [{ h: 'received', f: 'uploads', op: 'u1', p: 'worker-uploads-1', t }] as Array<Record<string, unknown>>, backlogs: [] as Backlog[], api: { count: 0, ops: [] } };
    let gone: Array<{ proc: string; atMs: number }> = [];
    setTimeout(() => (gone = [{ proc: 'worker-uploads-1', atMs: t + 100 }]), 100);
    const result = await drain({ ...busyProbe(state), goneWorkers: () => gone.splice(0) }, { acknowledged: [['u1', 'uploads']], subscribers: [], limitMs: 10_000, pollMs: 20 });
    expect(result.drained).toBe(true);
    expect(result.last.unsettled).toBe(0);
    expect(result.last.pendingCommits).toBe(1); // judged by total-queue: lost
  });
});

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
      appendFileSync(file, '{"h":"acked","f":"uploads","op":"a","t":1}\n{"h":"ack');
      expect(tail()).toEqual([{ h: 'acked', f: 'uploads', op: 'a', t: 1 }]);
      appendFileSync(file, 'ed","f":"uploads","op":"b","t":2}\n{"not":"a record"}\n');
      expect(tail()).toEqual([{ h: 'acked', f: 'uploads', op: 'b', t: 2 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
