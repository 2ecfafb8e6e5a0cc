/**
 * What the drain still waits for, by identity: operations not yet stored (acknowledged ones,
 * and in-doubt ones — failed or unanswered at the load generator, which the api's retries may
 * still store), operations a worker received but has not stored or dead-lettered (the worker is
 * busy), song-added events not yet received by a subscriber, and how far each partitioned
 * consumer got (for the Event Hubs backlog). Fed from the workers' and subscribers' history
 * records and the database; pure bookkeeping, no I/O.
 */
import type { ReceivedPositions } from './backlog/types.ts';
import type { HopRecord } from '../contracts/history.ts';

export type MessageFlow = 'uploads' | 'comments';

export interface Awaited {
  flow: MessageFlow;
  /** acknowledged to the client (a loss if never stored); else in doubt (failed / no answer) */
  acked: boolean;
}

const isMessageFlow = (f: unknown): f is MessageFlow => f === 'uploads' || f === 'comments';

export class DrainLedger {
  /** operations not yet stored or dead-lettered */
  readonly awaiting = new Map<string, Awaited>();
  /** received by a worker (process `proc`, at `t`), not yet stored or dead-lettered */
  readonly unsettled = new Map<string, { flow: MessageFlow; proc: string; t: number }>();
  private readonly eventsIn = new Set<string>();
  private readonly settled = new Set<string>();
  private readonly positions = new Map<string, Map<string, number>>();

  constructor(operations: Iterable<[string, Awaited]>) {
    for (const [id, awaited] of operations) this.awaiting.set(id, awaited);
  }

  get received(): ReceivedPositions {
    return this.positions;
  }

  /** One record of a worker's or subscriber's history. */
  add(r: HopRecord): void {
    const op = String(r.op);
    if (r.h === 'deadLettered' && r.f === 'song-added') this.eventsIn.add(`${op}\u0000${String(r.sub ?? r.p)}`); // the subscriber's copy was given up on
    else if (r.h === 'deadLettered') this.settle(op);
    if (r.h === 'eventReceived') this.eventsIn.add(`${op}\u0000${String(r.sub)}`);
    if (r.h === 'received' && isMessageFlow(r.f) && !this.settled.has(op)) this.unsettled.set(op, { flow: r.f, proc: String(r.p), t: Number(r.t) });
    if ((r.h === 'received' || r.h === 'checkpoint' || r.h === 'eventReceived') && typeof r.pt === 'string' && typeof r.sn === 'number') {
      const consumer = r.h === 'eventReceived' ? String(r.sub) : r.f === 'song-added' ? String(r.p) : String(r.f);
      this.advance(consumer, r.pt, r.sn);
    }
  }

  /** Ids whose storage the database should be asked about. */
  unstored(): string[] {
    return [...new Set([...this.awaiting.keys(), ...this.unsettled.keys()])];
  }

  /** The operation is in the database, or dead-lettered: nothing more to wait for. */
  settle(id: string): void {
    this.settled.add(id);
    this.awaiting.delete(id);
    this.unsettled.delete(id);
  }

  /** Acknowledged operations not yet stored. */
  ackedAwaiting(): number {
    let n = 0;
    for (const a of this.awaiting.values()) if (a.acked) n++;
    return n;
  }

  /** (song, subscriber) pairs of stored songs whose event that subscriber has not received. */
  eventsAwaiting(songs: Iterable<string>, subscribers: readonly string[]): Array<{ op: string; sub: string }> {
    const out: Array<{ op: string; sub: string }> = [];
    for (const op of songs) for (const sub of subscribers) if (!this.eventsIn.has(`${op}\u0000${sub}`)) out.push({ op, sub });
    return out;
  }

  unsettledIn(flow: MessageFlow): number {
    let n = 0;
    for (const u of this.unsettled.values()) if (u.flow === flow) n++;
    return n;
  }

  /**
   * Worker `proc` died (or was restarted) by `beforeMs`: what it had received before then is no
   * longer held by anyone — back in the broker's backlog (peek-lock, visibility timeout) or
   * gone for good (receive-and-delete: a real loss, which the drain must not wait for).
   */
  forget(proc: string, beforeMs: number): void {
    for (const [op, u] of this.unsettled) if (u.proc === proc && u.t < beforeMs) this.unsettled.delete(op);
  }

  private advance(consumer: string, partition: string, sn: number): void {
    let byPartition = this.positions.get(consumer);
    if (!byPartition) this.positions.set(consumer, (byPartition = new Map()));
    if (!(sn <= (byPartition.get(partition) ?? -Infinity))) byPartition.set(partition, sn);
  }
}
