/**
 * Golden histories for issue 19 item 4, the false loss on a busy machine: upload `b0-u14` is
 * sent during a broker outage, the load generator gives up (`failed`, no answer), the api's
 * publish goes through when the broker is back, the worker commits it and publishes its
 * song-added event 45 ms after the drain ended and the subscribers were told to stop. That is
 * no loss and no missing event: the upload is `recovered`, its event `pending`. And a drain
 * that hit its limit (`drainPending` records) turns lost / missing into `pending` for exactly
 * the operations it names, while a loss it does not name stays a loss.
 */
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../runner/checkers/compose.ts';
import type { HopRecord } from '../../runner/contracts/history.ts';
import { flowResult } from '../../runner/results/schema.ts';

const T0 = 1_700_000_000_000;
const SUBS = ['subscriber-1', 'subscriber-2'];
const META = { subscribers: SUBS, startedAtMs: T0 };

/** An upload the user saw acknowledged, stored and delivered to every subscriber. */
function delivered(op: string, atMs: number): HopRecord[] {
  const t = T0 + atMs;
  return [
    { h: 'intended', op, f: 'uploads', k: op, t, p: 'loadgen' },
    { h: 'sent', op, f: 'uploads', k: op, t: t + 1, p: 'loadgen' },
    { h: 'brokerAck', op, f: 'uploads', k: op, t: t + 2, p: 'api' },
    { h: 'acked', op, f: 'uploads', k: op, t: t + 3, st: 202, p: 'loadgen' },
    { h: 'received', op, f: 'uploads', k: op, t: t + 4, dc: 1, p: 'worker-uploads-1' },
    { h: 'committed', op, f: 'uploads', k: op, t: t + 5, pc: 1, p: 'db' },
    { h: 'eventPublished', op, f: 'song-added', k: op, t: t + 6, p: 'worker-uploads-1' },
    ...SUBS.map((sub): HopRecord => ({ h: 'eventReceived', op, f: 'song-added', k: op, sub, dc: 1, t: t + 7, p: sub })),
  ];
}

const DRAIN_END_MS = 30_000;
const drainEnd: HopRecord = { h: 'drainEnd', op: 'drain', f: 'drain', k: '', t: T0 + DRAIN_END_MS, p: 'runner' };

/** b0-u14: sent at 8 s into a broker outage, given up at 18 s, published by the api's retries, committed and published after the drain. */
function b0u14(): HopRecord[] {
  const op = 'b0-u14';
  return [
    { h: 'intended', op, f: 'uploads', k: op, t: T0 + 8_000, p: 'loadgen' },
    { h: 'sent', op, f: 'uploads', k: op, t: T0 + 8_001, p: 'loadgen' },
    { h: 'failed', op, f: 'uploads', k: op, t: T0 + 18_001, st: 0, err: 'timeout after 10000 ms', p: 'loadgen' },
    { h: 'brokerAck', op, f: 'uploads', k: op, t: T0 + 29_900, p: 'api' },
    { h: 'received', op, f: 'uploads', k: op, t: T0 + 29_990, dc: 1, p: 'worker-uploads-1' },
    { h: 'committed', op, f: 'uploads', k: op, t: T0 + DRAIN_END_MS + 20, pc: 1, p: 'db' },
    { h: 'eventPublished', op, f: 'song-added', k: op, t: T0 + DRAIN_END_MS + 45, p: 'worker-uploads-1' },
  ];
}

function check(records: HopRecord[]) {
  const checked = checkHistory(records, META);
  for (const flow of Object.values(checked.flows)) expect(() => flowResult.parse(flow)).not.toThrow();
  return { tq: checked.flows.uploads.checks['total-queue'], fanOut: checked.flows['song-added'].checks['fan-out'] };
}

describe('b0-u14: failed at the load generator, stored and published after the drain', () => {
  it('is recovered, not lost; its event is pending, not missing; both flows valid', () => {
    const { tq, fanOut } = check([...delivered('b0-u1', 0), ...delivered('b0-u2', 100), ...b0u14(), drainEnd]);
    expect(tq.counts).toMatchObject({ attempted: 3, acknowledged: 2, committed: 3, lost: 0, recovered: 1, indeterminate: 0, pending: 0 });
    expect(tq.examples.recovered).toEqual(['b0-u14']);
    expect(tq.valid).toBe(true);
    expect(fanOut.counts).toMatchObject({ events: 3, expected: 6, delivered: 4, missing: 0, pending: 2 });
    expect(fanOut.examples.pending).toEqual(['b0-u14']);
    expect(fanOut.valid).toBe(true);
    expect(fanOut.notes.join('\n')).toContain('pending: 2');
  });

  it('without the drainEnd record the same history is a missing event: the rule depends on the evidence, not on luck', () => {
    const { fanOut } = check([...delivered('b0-u1', 0), ...b0u14()]);
    expect(fanOut.counts).toMatchObject({ missing: 2, pending: 0 });
    expect(fanOut.valid).toBe(false);
  });

  it('an event published BEFORE the drain ended and never received stays missing', () => {
    const records = [...delivered('b0-u1', 0), ...b0u14().map((r) => (r.h === 'committed' || r.h === 'eventPublished' ? { ...r, t: r.t - 1000 } : r)), drainEnd];
    const { fanOut } = check(records);
    expect(fanOut.counts).toMatchObject({ missing: 2, pending: 0 });
    expect(fanOut.examples.missing).toEqual(['b0-u14']);
  });
});

describe('a drain that hit its limit', () => {
  /** acked but not yet stored when the limit passed: the runner names it pending */
  function ackedNotStored(op: string): HopRecord[] {
    return delivered(op, 1000).filter((r) => r.h === 'intended' || r.h === 'sent' || r.h === 'brokerAck' || r.h === 'acked');
  }
  const pendingOp = (op: string): HopRecord => ({ h: 'drainPending', op, f: 'uploads', k: op, t: T0 + DRAIN_END_MS, p: 'runner' });
  const pendingEvent = (op: string, sub: string): HopRecord => ({ h: 'drainPending', op, f: 'song-added', k: op, sub, t: T0 + DRAIN_END_MS, p: 'runner' });

  it('the operations it names are pending, neither lost nor indeterminate; their events pending, not missing', () => {
    const inDoubt = b0u14().filter((r) => r.p === 'loadgen'); // failed, never stored
    const stored = delivered('b0-u3', 200).filter((r) => !(r.h === 'eventReceived' && r.sub === 'subscriber-2'));
    const records = [
      ...delivered('b0-u1', 0), ...ackedNotStored('b0-u2'), ...inDoubt, ...stored, drainEnd,
      pendingOp('b0-u2'), pendingOp('b0-u14'), pendingEvent('b0-u3', 'subscriber-2'),
    ];
    const { tq, fanOut } = check(records);
    expect(tq.counts).toMatchObject({ lost: 0, indeterminate: 0, pending: 2, committed: 2 });
    expect(tq.examples.pending).toEqual(['b0-u2', 'b0-u14']);
    expect(tq.valid).toBe(true);
    expect(fanOut.counts).toMatchObject({ missing: 0, pending: 1, delivered: 3 });
    expect(fanOut.examples.pending).toEqual(['b0-u3']);
  });

  it('an acknowledged operation it does not name is still lost (a true loss is never hidden)', () => {
    const records = [...delivered('b0-u1', 0), ...ackedNotStored('b0-u2'), ...ackedNotStored('b0-u5'), drainEnd, pendingOp('b0-u5')];
    const { tq } = check(records);
    expect(tq.counts).toMatchObject({ lost: 1, pending: 1 });
    expect(tq.examples.lost).toEqual(['b0-u2']);
    expect(tq.valid).toBe(false);
  });

  it('a pending record for an operation that was stored after all changes nothing', () => {
    const { tq, fanOut } = check([...delivered('b0-u1', 0), drainEnd, pendingOp('b0-u1'), pendingEvent('b0-u1', 'subscriber-1')]);
    expect(tq.counts).toMatchObject({ lost: 0, pending: 0, committed: 1 });
    expect(fanOut.counts).toMatchObject({ missing: 0, pending: 0, delivered: 2 });
  });
});
