/**
 * fan-out and dead-letters (issue 4, Event Grid TTL): a song-added event a subscriber's broker
 * gave up on (`deadLettered`, flow song-added, from that subscriber) is counted per
 * (op, subscriber) as `deadLettered`, not as `missing`, and does not touch the upload itself.
 */
import { describe, expect, it } from 'vitest';
import { checkHistory, createChecker } from '../../runner/checkers/compose.ts';
import type { HopRecord } from '../../runner/contracts/history.ts';
import { flowResult } from '../../runner/results/schema.ts';

const T0 = 1_700_000_000_000;
const META = { subscribers: ['subscriber-1', 'subscriber-2'], startedAtMs: T0 };

/** One upload, acknowledged, committed and published at t0 + n ms. */
function upload(op: string, n: number): HopRecord[] {
  const t = T0 + n;
  return [
    { h: 'intended', op, f: 'uploads', k: op, t, p: 'loadgen' },
    { h: 'sent', op, f: 'uploads', k: op, t: t + 1, p: 'loadgen' },
    { h: 'brokerAck', op, f: 'uploads', k: op, t: t + 2, p: 'api' },
    { h: 'acked', op, f: 'uploads', k: op, t: t + 3, st: 202, p: 'loadgen' },
    { h: 'received', op, f: 'uploads', k: op, t: t + 4, dc: 1, p: 'worker-uploads-1' },
    { h: 'committed', op, f: 'uploads', k: op, t: t + 5, pc: 1, ord: n + 1, p: 'db' },
    { h: 'eventPublished', op, f: 'song-added', k: op, t: t + 6, p: 'worker-uploads-1' },
  ];
}

function received(op: string, sub: string, t: number, dc = 1): HopRecord {
  return { h: 'eventReceived', op, f: 'song-added', k: op, sub, dc, t: T0 + t, p: sub };
}

/** What worker.ts writes when a subscriber's transport reports a dead-letter (no `sub`; `p` names it). */
function deadLettered(op: string, proc: string, t: number): HopRecord {
  return { h: 'deadLettered', op, f: 'song-added', k: op, dc: 3, err: 'TimeToLiveExceeded', t: T0 + t, p: proc };
}

const UPLOADS = ['up-1', 'up-2', 'up-3', 'up-4'];

function baseHistory(): HopRecord[] {
  const records = UPLOADS.flatMap((op, n) => upload(op, n * 10));
  for (const op of UPLOADS) records.push(received(op, 'subscriber-2', 100));
  return records;
}

describe('fan-out with dead-lettered events', () => {
  it('a subscriber that dead-letters 2 events: deadLettered 2, missing 0, the uploads untouched', () => {
    const records = baseHistory();
    records.push(received('up-1', 'subscriber-1', 100), received('up-2', 'subscriber-1', 100));
    records.push(deadLettered('up-3', 'subscriber-1', 3000), deadLettered('up-4', 'subscriber-1', 3100));
    const check = checkHistory(records, META);
    for (const flow of Object.values(check.flows)) expect(() => flowResult.parse(flow)).not.toThrow();
    const fanOut = check.flows['song-added'].checks['fan-out'];
    expect(fanOut.counts).toEqual({
      events: 4, subscribers: 2, expected: 8, delivered: 6, missing: 0, deadLettered: 2, duplicated: 0, published: 4, unexpected: 0, pending: 0,
    });
    expect(fanOut.examples.deadLettered).toEqual(['up-3', 'up-4']);
    expect(fanOut.examples.missing).toEqual([]);
    expect(fanOut.valid).toBe(true);
    expect(fanOut.notes.join('\n')).toContain('deadLettered: 2');
    // the uploads themselves were committed: a subscriber's dead-letter is not the upload's
    const tq = check.flows.uploads.checks['total-queue'].counts;
    expect(tq).toMatchObject({ acknowledged: 4, committed: 4, lost: 0, deadLettered: 0 });
  });

  it('dead-lettered and later received (e.g. a replay) counts as delivered, not dead-lettered', () => {
    const records = baseHistory();
    records.push(received('up-1', 'subscriber-1', 100), received('up-2', 'subscriber-1', 100));
    records.push(deadLettered('up-3', 'subscriber-1', 3000), received('up-3', 'subscriber-1', 5000, 4));
    const check = checkHistory(records, META);
    const fanOut = check.flows['song-added'].checks['fan-out'];
    expect(fanOut.counts).toMatchObject({ expected: 8, delivered: 7, deadLettered: 0, missing: 1 });
    expect(fanOut.examples.missing).toEqual(['up-4']); // never received nor dead-lettered
    expect(fanOut.valid).toBe(false);
  });

  it('a dead-letter from the other subscriber does not excuse this one', () => {
    const records = UPLOADS.flatMap((op, n) => upload(op, n * 10));
    for (const op of UPLOADS) records.push(received(op, 'subscriber-1', 100));
    records.push(deadLettered('up-1', 'subscriber-1', 3000)); // subscriber-1 got it anyway
    const fanOut = checkHistory(records, META).flows['song-added'].checks['fan-out'];
    expect(fanOut.counts).toMatchObject({ delivered: 4, missing: 4, deadLettered: 0 });
  });

  it('names the subscriber by `sub` when present, and ignores one that is not expected', () => {
    const records = baseHistory();
    for (const op of ['up-1', 'up-2']) records.push({ ...deadLettered(op, 'some-proc', 3000), sub: 'subscriber-1' });
    records.push(deadLettered('up-3', 'subscriber-9', 3000));
    const fanOut = checkHistory(records, META).flows['song-added'].checks['fan-out'];
    expect(fanOut.counts).toMatchObject({ deadLettered: 2, missing: 2 });
  });

  it('the incremental checker agrees with the batch one, records in any order', () => {
    const records = baseHistory();
    records.push(deadLettered('up-3', 'subscriber-1', 3000), deadLettered('up-4', 'subscriber-1', 3100), received('up-1', 'subscriber-1', 100));
    const incremental = createChecker(META);
    for (const r of records.slice().reverse()) incremental.add(r);
    const reversed = incremental.finish().flows['song-added'].checks['fan-out'];
    const batch = checkHistory(records, META).flows['song-added'].checks['fan-out'];
    expect(reversed.counts).toEqual(batch.counts);
    expect(batch.counts).toMatchObject({ delivered: 5, deadLettered: 2, missing: 1 });
    expect([...reversed.examples.deadLettered!].sort()).toEqual(['up-3', 'up-4']); // example order follows the records' order
  });

  it('keeps counting past the initial capacity (slots grow with the operations)', () => {
    const ops = Array.from({ length: 3000 }, (_, n) => `up-${n}`);
    const records = ops.flatMap((op, n) => [...upload(op, n), received(op, 'subscriber-2', n + 50)]);
    for (const op of ops) records.push(deadLettered(op, 'subscriber-1', 5000));
    const fanOut = checkHistory(records, META).flows['song-added'].checks['fan-out'];
    expect(fanOut.counts).toMatchObject({ events: 3000, delivered: 3000, deadLettered: 3000, missing: 0 });
    expect(fanOut.examples.deadLettered).toHaveLength(20);
  });
});
