/**
 * The per-operation index: built in ONE pass over a run's records (in any order), then every
 * checker is a pure function of it. State is compact on purpose (a 1,000,000-operation history
 * has ~7,000,000 records): operation ids are interned to integers and every per-operation fact
 * lives in a typed array indexed by that integer. `add` allocates nothing per record except
 * when an operation is first seen.
 */
import type { HopRecord } from '../contracts/history.ts';
import { Interner } from './interner.ts';

import { FAIL, failKindOf, F, FLOW_COMMENTS, FLOW_NONE, FLOW_UPLOADS, type FaultRecordWindow, type IndexMeta, type MessageFlowCode } from './index-codes.ts';

export { F, FAIL, failKindOf, FLOW_NONE, FLOW_UPLOADS, FLOW_COMMENTS };
export type { MessageFlowCode, FaultRecordWindow, IndexMeta };

const INITIAL_CAPACITY = 1024;

function growF64(a: Float64Array, capacity: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(capacity).fill(NaN);
  b.set(a);
  return b;
}
function growArray<T>(a: T[], capacity: number): T[] {
  const b = new Array<T>(capacity);
  for (let i = 0; i < a.length; i++) b[i] = a[i];
  return b;
}
function grow<T extends Uint8Array | Uint16Array | Int32Array>(a: T, capacity: number, fill = 0): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  if (fill !== 0) b.fill(fill);
  b.set(a);
  return b;
}

export class HistoryIndex {
  readonly subscribers: string[];
  readonly startedAtMs: number;
  /** operation id → index, and back (`opIds[index]`); keys (song ids) likewise */
  private readonly ops = new Interner();
  readonly opIds = this.ops.ids;
  private readonly keys = new Interner();
  readonly keyIds = this.keys.ids;
  size = 0;
  capacity = INITIAL_CAPACITY;

  flow = new Uint8Array(INITIAL_CAPACITY);
  flags = new Uint16Array(INITIAL_CAPACITY);
  key = new Int32Array(INITIAL_CAPACITY).fill(-1);
  seq = new Int32Array(INITIAL_CAPACITY).fill(-1);
  /** db commit order (committed.ord); NaN when absent */
  ord = new Float64Array(INITIAL_CAPACITY).fill(NaN);
  /** times processed (committed.pc) */
  pc = new Int32Array(INITIAL_CAPACITY);
  /** number of `received` records, and the highest delivery count reported */
  received = new Uint16Array(INITIAL_CAPACITY);
  maxDc = new Uint16Array(INITIAL_CAPACITY);
  /** what the client saw fail (FAIL.*), from the `failed` record */
  failKind = new Uint8Array(INITIAL_CAPACITY);
  /** hop times (epoch ms); NaN = hop not seen. Received = first delivery. */
  tIntended = new Float64Array(INITIAL_CAPACITY).fill(NaN);
  tSent = new Float64Array(INITIAL_CAPACITY).fill(NaN);
  tAcked = new Float64Array(INITIAL_CAPACITY).fill(NaN);
  tBrokerAck = new Float64Array(INITIAL_CAPACITY).fill(NaN);
  tReceived = new Float64Array(INITIAL_CAPACITY).fill(NaN);
  tCommitted = new Float64Array(INITIAL_CAPACITY).fill(NaN);
  /** sha256 of what was sent / what was stored (uploads); pre-sized so they stay fast arrays */
  sumIntended: (string | undefined)[] = new Array<string | undefined>(INITIAL_CAPACITY);
  sumCommitted: (string | undefined)[] = new Array<string | undefined>(INITIAL_CAPACITY);
  /** fan-out: per (op, subscriber) slot = op * subscribers.length + sub */
  eventCount = new Uint8Array(0);
  eventFirstMs = new Float64Array(0);
  /** fan-out: per slot, `deadLettered` records of flow song-added (the subscriber's copy was given up on) */
  eventDeadLettered = new Uint8Array(0);
  eventPublished = new Uint8Array(INITIAL_CAPACITY);
  /** first `eventPublished` time per op (epoch ms); NaN = never published */
  tEventPublished = new Float64Array(INITIAL_CAPACITY).fill(NaN);
  /** fan-out: per slot, a `drainPending` record (the event was in doubt at the drain limit) */
  eventPending = new Uint8Array(0);
  /** when the drain ended (`drainEnd`, epoch ms); NaN when the history has none */
  drainEndMs = NaN;

  /** eventReceived from a subscriber not in meta.subscribers: name → count */
  readonly unknownSubscribers = new Map<string, number>();
  /** message hops recorded under a flow that is not a message flow, etc. */
  ignoredRecords = 0;
  /** same op seen under two message flows */
  flowConflicts = 0;
  readonly faults = new Map<string, FaultRecordWindow>();
  /** per-second timeline buckets (since startedAtMs) */
  offered = new Int32Array(64);
  acknowledged = new Int32Array(64);
  committed = new Int32Array(64);
  errors = new Int32Array(64);
  lastSecond = -1;

  private readonly subscriberIndex = new Map<string, number>();

  constructor(meta: IndexMeta) {
    this.subscribers = [...meta.subscribers];
    this.startedAtMs = meta.startedAtMs;
    this.subscribers.forEach((s, i) => this.subscriberIndex.set(s, i));
    this.eventCount = new Uint8Array(INITIAL_CAPACITY * this.subscribers.length);
    this.eventFirstMs = new Float64Array(INITIAL_CAPACITY * this.subscribers.length).fill(NaN);
    this.eventDeadLettered = new Uint8Array(INITIAL_CAPACITY * this.subscribers.length);
    this.eventPending = new Uint8Array(INITIAL_CAPACITY * this.subscribers.length);
  }

  add(r: HopRecord): void {
    const h = r.h;
    if (r.f === 'fault') return this.addFault(r);
    if (h === 'drainEnd') {
      if (!(this.drainEndMs <= r.t)) this.drainEndMs = r.t;
      return;
    }
    const i = this.ops.intern(r.op);
    if (i === this.size) this.added();
    if (h === 'eventReceived') return this.addEventReceived(i, r);
    if (h === 'deadLettered' && r.f === 'song-added') return this.addEventSlot(this.eventDeadLettered, i, r);
    if (h === 'drainPending' && r.f === 'song-added') return this.addEventSlot(this.eventPending, i, r);
    if (h === 'eventPublished') {
      if (this.eventPublished[i] < 255) this.eventPublished[i]++;
      if (!(this.tEventPublished[i] <= r.t)) this.tEventPublished[i] = r.t;
      return;
    }
    const code = r.f === 'uploads' ? FLOW_UPLOADS : r.f === 'comments' ? FLOW_COMMENTS : FLOW_NONE;
    if (code === FLOW_NONE) {
      this.ignoredRecords++;
      return;
    }
    const known = this.flow[i];
    if (known === FLOW_NONE) {
      this.flow[i] = code;
      this.key[i] = this.keys.intern(r.k);
    } else if (known !== code) this.flowConflicts++;
    this.addHop(i, r);
  }

  private addHop(i: number, r: HopRecord): void {
    const t = r.t;
    switch (r.h) {
      case 'intended':
        this.flags[i] |= F.INTENDED;
        if (!(this.tIntended[i] <= t)) this.tIntended[i] = t;
        if (r.sum !== undefined) this.sumIntended[i] = r.sum;
        if (r.seq !== undefined && this.seq[i] < 0) this.seq[i] = r.seq;
        this.bump(this.offered, t);
        return;
      case 'sent':
        this.flags[i] |= F.SENT;
        if (!(this.tSent[i] <= t)) this.tSent[i] = t;
        return;
      case 'acked':
        this.flags[i] |= F.ACKED;
        if (!(this.tAcked[i] <= t)) this.tAcked[i] = t;
        this.bump(this.acknowledged, t);
        return;
      case 'failed': {
        const st = r.st;
        this.flags[i] |= st !== undefined && st >= 400 && st < 500 ? F.FAILED_DEFINITE : F.FAILED_INDETERMINATE;
        this.failKind[i] = failKindOf(st, r.err);
        this.bump(this.errors, t);
        return;
      }
      case 'dropped':
        this.flags[i] |= F.DROPPED;
        return;
      case 'brokerAck':
        this.flags[i] |= F.BROKER_ACK;
        if (!(this.tBrokerAck[i] <= t)) this.tBrokerAck[i] = t;
        if (r.seq !== undefined && this.seq[i] < 0) this.seq[i] = r.seq;
        return;
      case 'received':
        if (this.received[i] < 65535) this.received[i]++;
        if (r.dc !== undefined && r.dc > this.maxDc[i]) this.maxDc[i] = Math.min(r.dc, 65535);
        if (!(this.tReceived[i] <= t)) this.tReceived[i] = t;
        return;
      case 'deadLettered':
        this.flags[i] |= F.DEAD_LETTERED;
        return;
      case 'drainPending':
        this.flags[i] |= F.PENDING;
        return;
      case 'committed':
        this.addCommitted(i, r);
        return;
      default:
        this.ignoredRecords++;
    }
  }

  private addCommitted(i: number, r: HopRecord): void {
    const t = r.t;
    this.flags[i] |= F.COMMITTED;
    if (!(this.tCommitted[i] <= t)) this.tCommitted[i] = t;
    if (r.pc !== undefined && r.pc > this.pc[i]) this.pc[i] = r.pc;
    if (r.ord !== undefined && Number.isNaN(this.ord[i])) this.ord[i] = r.ord;
    if (r.seq !== undefined) this.seq[i] = r.seq; // what the db stored wins
    if (r.sum !== undefined) this.sumCommitted[i] = r.sum;
    this.bump(this.committed, t);
  }

  private addEventReceived(i: number, r: HopRecord): void {
    const s = r.sub === undefined ? undefined : this.subscriberIndex.get(r.sub);
    if (s === undefined) {
      const name = r.sub ?? '(no sub)';
      this.unknownSubscribers.set(name, (this.unknownSubscribers.get(name) ?? 0) + 1);
      return;
    }
    const slot = i * this.subscribers.length + s;
    if (this.eventCount[slot] < 255) this.eventCount[slot]++;
    if (!(this.eventFirstMs[slot] <= r.t)) this.eventFirstMs[slot] = r.t;
  }

  /**
   * A per-(op, subscriber) fact about a song-added event: its copy was dead-lettered
   * (`deadLettered`, written by the subscriber: `p` names it) or in doubt at the drain limit
   * (`drainPending`, written by the runner: `sub` names it).
   */
  private addEventSlot(slots: Uint8Array, i: number, r: HopRecord): void {
    const name = r.sub ?? r.p; // subscriber processes are named after their subscriber
    const s = name === undefined ? undefined : this.subscriberIndex.get(name);
    if (s === undefined) {
      this.ignoredRecords++;
      return;
    }
    const slot = i * this.subscribers.length + s;
    if (slots[slot] < 255) slots[slot]++;
  }

  private addFault(r: HopRecord): void {
    const atMs = r.t - this.startedAtMs;
    let w = this.faults.get(r.op);
    if (!w) {
      w = { id: r.op, target: r.target ?? r.k ?? '', type: r.type ?? '', startMs: atMs, endMs: null };
      this.faults.set(r.op, w);
    }
    if (r.h === 'faultStart') {
      w.startMs = atMs;
      if (r.target !== undefined) w.target = r.target;
      if (r.type !== undefined) w.type = r.type;
    } else if (r.h === 'faultStop') w.endMs = atMs;
  }

  private bump(buckets: Int32Array, t: number): void {
    let second = Math.floor((t - this.startedAtMs) / 1000);
    if (!(second >= 0)) second = 0;
    if (second >= this.offered.length) this.growTimeline(second + 1);
    buckets[second]++;
    if (second > this.lastSecond) this.lastSecond = second;
  }

  private growTimeline(needed: number): void {
    let n = this.offered.length;
    while (n < needed) n *= 2;
    this.offered = grow(this.offered, n);
    this.acknowledged = grow(this.acknowledged, n);
    this.committed = grow(this.committed, n);
    this.errors = grow(this.errors, n);
  }

  /** A new operation got index `size`. */
  private added(): void {
    if (++this.size > this.capacity) this.growOps();
  }

  private growOps(): void {
    const n = this.capacity * 2;
    this.flow = grow(this.flow, n);
    this.flags = grow(this.flags, n);
    this.key = grow(this.key, n, -1);
    this.seq = grow(this.seq, n, -1);
    this.ord = growF64(this.ord, n);
    this.pc = grow(this.pc, n);
    this.received = grow(this.received, n);
    this.maxDc = grow(this.maxDc, n);
    this.failKind = grow(this.failKind, n);
    this.tIntended = growF64(this.tIntended, n);
    this.tSent = growF64(this.tSent, n);
    this.tAcked = growF64(this.tAcked, n);
    this.tBrokerAck = growF64(this.tBrokerAck, n);
    this.tReceived = growF64(this.tReceived, n);
    this.tCommitted = growF64(this.tCommitted, n);
    this.eventCount = grow(this.eventCount, n * this.subscribers.length);
    this.eventFirstMs = growF64(this.eventFirstMs, n * this.subscribers.length);
    this.eventDeadLettered = grow(this.eventDeadLettered, n * this.subscribers.length);
    this.eventPublished = grow(this.eventPublished, n);
    this.tEventPublished = growF64(this.tEventPublished, n);
    this.eventPending = grow(this.eventPending, n * this.subscribers.length);
    this.sumIntended = growArray(this.sumIntended, n);
    this.sumCommitted = growArray(this.sumCommitted, n);
    this.capacity = n;
  }
}
