import { describe, expect, it } from 'vitest';
import type { HopRecord } from '../../runner/contracts/history.ts';
import { uncheckpointedAtKill } from '../../runner/checkers/uncheckpointed.ts';

const P = 'worker-comments-1';
const rcv = (op: string, pt: string, sn: number, t: number, p = P): HopRecord => ({ h: 'received', f: 'comments', op, k: `song-${pt}`, dc: 1, pt, sn, t, p });
const ckpt = (op: string, pt: string, sn: number, t: number, p = P): HopRecord => ({ h: 'checkpoint', f: 'comments', op, k: `song-${pt}`, pt, sn, t, p });

describe('uncheckpointedAtKill', () => {
  it('empty history: nothing uncheckpointed', () => {
    expect(uncheckpointedAtKill([], { process: P, killedAtMs: 100 })).toEqual({ events: [], ops: [], partitions: [], unpositioned: 0 });
  });

  it('per partition, the events received above the last checkpoint before the kill', () => {
    const history = [
      rcv('a1', '0', 0, 1), rcv('a2', '0', 1, 2), ckpt('a2', '0', 1, 3), rcv('a3', '0', 2, 4), rcv('a4', '0', 3, 5),
      rcv('b1', '1', 0, 1), rcv('b2', '1', 1, 2), ckpt('b2', '1', 1, 6),
      rcv('c1', '2', 5, 7), // never checkpointed: all of it replays
    ];
    const r = uncheckpointedAtKill(history, { process: P, killedAtMs: 10 });
    expect(r.events.map((e) => e.op)).toEqual(['a3', 'a4', 'c1']);
    expect(r.ops).toEqual(['a3', 'a4', 'c1']);
    expect(r.partitions).toEqual([
      { partitionId: '0', checkpointedSn: 1, receivedMaxSn: 3, uncheckpointed: 2 },
      { partitionId: '1', checkpointedSn: 1, receivedMaxSn: 1, uncheckpointed: 0 },
      { partitionId: '2', checkpointedSn: null, receivedMaxSn: 5, uncheckpointed: 1 },
    ]);
    expect(r.events[0]).toEqual({ op: 'a3', key: 'song-0', partitionId: '0', sequenceNumber: 2 });
  });

  it('ignores what the replacement wrote after the kill and what other processes wrote', () => {
    const history = [
      rcv('a1', '0', 0, 1), rcv('a2', '0', 1, 2), ckpt('a1', '0', 0, 3),
      // replacement (same process name) after the kill: replays a2, checkpoints it
      rcv('a2', '0', 1, 20), ckpt('a2', '0', 1, 21),
      // another worker's checkpoint of the same partition does not cover this process's kill
      rcv('x', '3', 9, 2, 'worker-comments-2'), ckpt('a2', '0', 1, 4, 'worker-comments-2'),
    ];
    const r = uncheckpointedAtKill(history, { process: P, killedAtMs: 10 });
    expect(r.ops).toEqual(['a2']);
    expect(r.partitions).toHaveLength(1);
  });

  it('the checkpoint in force is the last one written, not the highest; records in any order', () => {
    // pathological: a checkpoint moved back (ownership came back from another consumer)
    const history = [ckpt('a3', '0', 2, 5), rcv('a1', '0', 0, 1), ckpt('a1', '0', 0, 6), rcv('a3', '0', 2, 3), rcv('a2', '0', 1, 2)];
    expect(uncheckpointedAtKill(history, { process: P, killedAtMs: 10 }).ops).toEqual(['a2', 'a3']);
  });

  it('a checkpoint ahead of what was received (receive-and-delete checkpoints first) leaves nothing to replay', () => {
    const history = [ckpt('a4', '0', 3, 1), rcv('a1', '0', 0, 2), rcv('a2', '0', 1, 3)];
    const r = uncheckpointedAtKill(history, { process: P, killedAtMs: 10 });
    expect(r.events).toEqual([]);
    expect(r.partitions[0]).toMatchObject({ checkpointedSn: 3, receivedMaxSn: 1, uncheckpointed: 0 });
  });

  it('an event delivered twice before the kill (retried in place) is one event; the same op at two positions is two events, one op', () => {
    const history = [
      rcv('a1', '0', 0, 1), { ...rcv('a1', '0', 0, 2), dc: 2 },
      { ...rcv('s1', '1', 4, 3), h: 'eventReceived', f: 'song-added', sub: 'subscriber-1' } as HopRecord,
      { ...rcv('s1', '1', 7, 4), h: 'eventReceived', f: 'song-added', sub: 'subscriber-1' } as HopRecord,
    ];
    const r = uncheckpointedAtKill(history, { process: P, killedAtMs: 10 });
    expect(r.events.map((e) => `${e.op}@${e.sequenceNumber}`)).toEqual(['a1@0', 's1@4', 's1@7']);
    expect(r.ops).toEqual(['a1', 's1']);
    expect(uncheckpointedAtKill(history, { process: P, killedAtMs: 10, flow: 'comments' }).ops).toEqual(['a1']);
  });

  it('counts received records without a partition position (not a partitioned transport) instead of judging them', () => {
    const history: HopRecord[] = [{ h: 'received', f: 'comments', op: 'q1', k: 's', dc: 1, t: 1, p: P }, rcv('a1', '0', 0, 2)];
    const r = uncheckpointedAtKill(history, { process: P, killedAtMs: 10 });
    expect(r.unpositioned).toBe(1);
    expect(r.ops).toEqual(['a1']);
  });
});
