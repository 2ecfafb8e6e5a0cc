/** Unit tests with an explicit clock: heap order, visibility, expiry, receipts, journal replay. */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IndexedHeap } from '../../../fixtures/storage-queue/emulator/heap.ts';
import { Journal, LOG_FILE } from '../../../fixtures/storage-queue/emulator/journal.ts';
import * as ops from '../../../fixtures/storage-queue/emulator/operations.ts';
import { QueueStore } from '../../../fixtures/storage-queue/emulator/store.ts';

const T0 = 1_700_000_000_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('IndexedHeap', () => {
  it('pops in order after random pushes and removals', () => {
    type Item = { key: number; pos: number };
    const heap = new IndexedHeap<Item>((a, b) => a.key < b.key, (i) => i.pos, (i, p) => (i.pos = p));
    let seed = 42;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const items = Array.from({ length: 2000 }, () => ({ key: Math.floor(rand() * 500), pos: -1 }));
    for (const item of items) heap.push(item);
    const removed = new Set(items.filter(() => rand() < 0.3));
    for (const item of removed) expect(heap.remove(item)).toBe(true);
    for (const item of removed) expect(heap.remove(item)).toBe(false);
    const popped: number[] = [];
    for (let item = heap.pop(); item; item = heap.pop()) popped.push(item.key);
    const expected = items.filter((i) => !removed.has(i)).map((i) => i.key).sort((a, b) => a - b);
    expect(popped).toEqual(expected);
  });
});

describe('queue operations on a fake clock', () => {
  function storeWithQueue(): QueueStore {
    const store = new QueueStore();
    ops.createQueue(store, 'qq1', {}, T0);
    return store;
  }

  it('hides received messages until the visibility timeout, then redelivers with a higher count', () => {
    const store = storeWithQueue();
    ops.putMessage(store, 'qq1', 'a', { visibilityDelayS: 0, ttlS: 60 }, T0);
    const [first] = ops.receiveMessages(store, 'qq1', 32, 10, T0);
    expect(ops.receiveMessages(store, 'qq1', 32, 10, T0 + 9_999)).toEqual([]);
    expect(store.must('qq1').stats(T0 + 5_000)).toMatchObject({ visible: 0, inFlight: 1 });
    const [second] = ops.receiveMessages(store, 'qq1', 32, 10, T0 + 10_000);
    expect(second?.id).toBe(first?.id);
    expect(second?.dequeueCount).toBe(2);
  });

  it('never returns an expired message, even from the in-flight set', () => {
    const store = storeWithQueue();
    ops.putMessage(store, 'qq1', 'short', { visibilityDelayS: 0, ttlS: 5 }, T0);
    ops.putMessage(store, 'qq1', 'forever', { visibilityDelayS: 0, ttlS: -1 }, T0);
    ops.receiveMessages(store, 'qq1', 32, 3, T0);
    expect(ops.peekMessages(store, 'qq1', 32, T0 + 4_000).map((m) => m.text)).toEqual(['short', 'forever']);
    expect(ops.peekMessages(store, 'qq1', 32, T0 + 5_000).map((m) => m.text)).toEqual(['forever']);
    expect(ops.receiveMessages(store, 'qq1', 32, 3, T0 + 86_400_000 * 365).map((m) => m.text)).toEqual(['forever']);
    expect(store.must('qq1').stats(T0 + 5_000).depth).toBe(1);
  });

  it('changes the pop receipt on every receive and update', () => {
    const store = storeWithQueue();
    const put = ops.putMessage(store, 'qq1', 'a', { visibilityDelayS: 0, ttlS: 60 }, T0);
    const putReceipt = put.popReceipt;
    const [m] = ops.receiveMessages(store, 'qq1', 1, 1, T0);
    const receivedReceipt = m!.popReceipt;
    const updatedReceipt = ops.updateMessage(store, 'qq1', m!.id, receivedReceipt, 0, undefined, T0).popReceipt;
    expect(new Set([putReceipt, receivedReceipt, updatedReceipt]).size).toBe(3);
    expect(() => ops.deleteMessage(store, 'qq1', m!.id, putReceipt, T0)).toThrow(/pop receipt/);
    expect(() => ops.deleteMessage(store, 'qq1', m!.id, receivedReceipt, T0)).toThrow(/pop receipt/);
    ops.deleteMessage(store, 'qq1', m!.id, updatedReceipt, T0);
    expect(() => ops.deleteMessage(store, 'qq1', m!.id, updatedReceipt, T0)).toThrow(/does not exist/);
  });

  it('does not let another queue\'s depth touch this one', () => {
    const store = storeWithQueue();
    ops.createQueue(store, 'qq2', {}, T0);
    for (let i = 0; i < 1000; i++) ops.putMessage(store, 'qq2', `x${i}`, { visibilityDelayS: 0, ttlS: 60 }, T0);
    ops.putMessage(store, 'qq1', 'mine', { visibilityDelayS: 0, ttlS: 60 }, T0);
    expect(ops.receiveMessages(store, 'qq1', 32, 30, T0).map((m) => m.text)).toEqual(['mine']);
    expect(store.must('qq2').messages.size).toBe(1000);
  });
});

describe('journal', () => {
  function dir(): string {
    const d = mkdtempSync(join(tmpdir(), 'moshpit-sq-unit-'));
    dirs.push(d);
    return d;
  }

  it('replays to the same state and ignores a torn last record', () => {
    const d = dir();
    const store = new QueueStore();
    const journal = Journal.open(d, store, T0);
    ops.createQueue(store, 'qq1', { a: '1' }, T0);
    const kept = ops.putMessage(store, 'qq1', 'kept', { visibilityDelayS: 0, ttlS: -1 }, T0);
    const gone = ops.putMessage(store, 'qq1', 'gone', { visibilityDelayS: 0, ttlS: -1 }, T0);
    const [received] = ops.receiveMessages(store, 'qq1', 1, 30, T0);
    ops.deleteMessage(store, 'qq1', gone.id, gone.popReceipt, T0);
    journal.flush();
    appendFileSync(join(d, LOG_FILE), '{"o":"del","q":"qq1","id":"' + kept.id.slice(0, 5));
    journal.close();

    const replayed = new QueueStore();
    Journal.open(d, replayed, T0 + 1_000).close();
    const queue = replayed.must('qq1');
    expect(queue.metadata).toEqual({ a: '1' });
    expect([...queue.messages.keys()]).toEqual([kept.id]);
    expect(queue.messages.get(kept.id)).toMatchObject({ popReceipt: received!.popReceipt, dequeueCount: 1, visibleAtMs: T0 + 30_000 });
    expect(readFileSync(join(d, LOG_FILE), 'utf8').endsWith('}\n')).toBe(true);
  });

  it('compacts the log once it grows well past the live state, keeping the state', () => {
    const d = dir();
    const store = new QueueStore();
    const journal = Journal.open(d, store, T0, 50);
    ops.createQueue(store, 'qq1', {}, T0);
    const keep = ops.putMessage(store, 'qq1', 'keep', { visibilityDelayS: 0, ttlS: -1 }, T0);
    for (let i = 0; i < 200; i++) {
      const m = ops.putMessage(store, 'qq1', `churn${i}`, { visibilityDelayS: 0, ttlS: -1 }, T0);
      ops.deleteMessage(store, 'qq1', m.id, m.popReceipt, T0);
      journal.flush();
    }
    const lines = readFileSync(join(d, LOG_FILE), 'utf8').trim().split('\n').length;
    expect(lines).toBeLessThan(60);
    journal.close();
    const replayed = new QueueStore();
    Journal.open(d, replayed, T0).close();
    expect([...replayed.must('qq1').messages.keys()]).toEqual([keep.id]);
  });

  it('refuses a log corrupted in the middle with a message naming the file', () => {
    const d = dir();
    writeFileSync(join(d, LOG_FILE), '{"o":"cq","q":"qq1","md":{}}\nGARBAGE\n{"o":"dq","q":"qq1"}\n');
    expect(() => Journal.open(d, new QueueStore(), T0)).toThrow(/corrupt at line 2; move it away/);
  });
});
