/** client-visible: what the user saw fail, by kind, from golden records (pure). */
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../../runner/checkers/compose.ts';
import { failKindOf, FAIL } from '../../runner/checkers/index.ts';
import type { HopRecord } from '../../runner/contracts/history.ts';

const op = (id: string, f: 'uploads' | 'comments', outcome: Partial<HopRecord> | 'acked', committed = false): HopRecord[] => {
  const k = f === 'uploads' ? id : 'song';
  const records: HopRecord[] = [
    { h: 'intended', f, op: id, k, t: 1000 },
    { h: 'sent', f, op: id, k, t: 1001 },
    outcome === 'acked' ? { h: 'acked', f, op: id, k, t: 1002, st: 202 } : { h: 'failed', f, op: id, k, t: 1002, ...outcome },
  ];
  if (committed) records.push({ h: 'committed', f, op: id, k, t: 1003, pc: 1 });
  return records;
};

describe('client-visible checker', () => {
  it('classifies what the client saw', () => {
    expect(failKindOf(0, 'timeout after 10000 ms')).toBe(FAIL.TIMEOUT);
    expect(failKindOf(504, 'x')).toBe(FAIL.TIMEOUT);
    expect(failKindOf(503, 'database: over capacity')).toBe(FAIL.SERVER_ERROR);
    expect(failKindOf(0, 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1')).toBe(FAIL.REFUSED);
    expect(failKindOf(0, 'UND_ERR_SOCKET: other side closed')).toBe(FAIL.OTHER);
    expect(failKindOf(404, 'unknown song')).toBe(FAIL.OTHER);
  });

  it('counts failures per flow, not acknowledged ones, and those stored anyway', () => {
    const records = [
      ...op('u1', 'uploads', 'acked', true),
      ...op('u2', 'uploads', { st: 503, err: 'database: over capacity' }),
      ...op('u3', 'uploads', { st: 0, err: 'timeout after 500 ms' }, true),
      ...op('c1', 'comments', { st: 0, err: 'ECONNREFUSED: connect' }),
      ...op('c2', 'comments', { st: 0, err: 'UND_ERR_SOCKET: other side closed' }),
      ...op('c3', 'comments', 'acked', true),
    ];
    const check = checkHistory(records, { subscribers: [], startedAtMs: 1000 });
    const uploads = check.flows.uploads.checks['client-visible']!;
    expect(uploads.counts).toEqual({ failed: 2, timeout: 1, serverError: 1, refused: 0, other: 0, stored: 1 });
    expect(uploads.examples.failed).toEqual(['u2', 'u3']);
    expect(uploads.examples.stored).toEqual(['u3']);
    expect(check.flows.comments.checks['client-visible']!.counts).toMatchObject({ failed: 2, refused: 1, other: 1 });
    // informational: the flow's verdict is total-queue's (nothing acknowledged was lost)
    expect(check.flows.uploads.checks['total-queue']!.valid).toBe(true);
    expect(check.flows.uploads.valid).not.toBe(false);
    const empty = checkHistory([], { subscribers: [], startedAtMs: 0 });
    expect(empty.flows.uploads.checks['client-visible']!.counts.failed).toBe(0);
  });
});
