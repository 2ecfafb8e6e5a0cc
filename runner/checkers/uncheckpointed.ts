/**
 * What a partitioned consumer (Event Hubs) had received but not checkpointed when it was killed:
 * exactly the events its replacement replays from the stored checkpoint.
 *
 * Pure: history records in, events out. The killed process's records are its `received`
 * records (with partition `pt` and partition sequence number `sn`) and `checkpoint` records
 * written before `killedAtMs`. Per partition, the checkpoint in force at the kill is the last
 * one written before it; every received event of that partition with `sn` above the checkpoint's
 * (all of them when the partition was never checkpointed) was not covered.
 *
 * `killedAtMs` separates the killed instance from its replacement (same process name, same
 * history file): any time after the process died and before the replacement wrote its first
 * record gives the same answer.
 */
import type { Flow } from '../contracts/flows.ts';
import type { HopRecord } from '../contracts/history.ts';

export interface UncheckpointedEvent {
  op: string;
  key: string;
  partitionId: string;
  /** per-partition sequence number */
  sequenceNumber: number;
}

export interface PartitionAtKill {
  partitionId: string;
  /** sequence number the last checkpoint before the kill covers; null = never checkpointed */
  checkpointedSn: number | null;
  /** highest sequence number received before the kill */
  receivedMaxSn: number;
  /** events received above the checkpoint */
  uncheckpointed: number;
}

export interface UncheckpointedResult {
  /** received, not covered by a checkpoint at the kill; one entry per event, by partition then sequence number */
  events: UncheckpointedEvent[];
  /** distinct operation ids among `events` (an operation published twice is two events, one op) */
  ops: string[];
  partitions: PartitionAtKill[];
  /** `received` records of the process before the kill without `pt`/`sn` (not a partitioned transport); not judged */
  unpositioned: number;
}

export interface UncheckpointedOptions {
  /** process name (`p`), e.g. "worker-comments-1" */
  process: string;
  killedAtMs: number;
  /** only this flow's records (a worker serves one flow; subscribers serve song-added) */
  flow?: Flow;
}

interface PartitionState {
  checkpointT: number;
  checkpointSn: number | null;
  receivedMaxSn: number;
  /** sequence number → the event (an event delivered twice before the kill counts once) */
  received: Map<number, UncheckpointedEvent>;
}

function partitionState(map: Map<string, PartitionState>, id: string): PartitionState {
  let s = map.get(id);
  if (!s) map.set(id, (s = { checkpointT: -Infinity, checkpointSn: null, receivedMaxSn: -1, received: new Map() }));
  return s;
}

export function uncheckpointedAtKill(records: Iterable<HopRecord>, options: UncheckpointedOptions): UncheckpointedResult {
  const partitions = new Map<string, PartitionState>();
  let unpositioned = 0;
  for (const r of records) {
    if (r.p !== options.process || !(r.t < options.killedAtMs)) continue;
    if (options.flow !== undefined && r.f !== options.flow) continue;
    if (r.h !== 'received' && r.h !== 'checkpoint' && r.h !== 'eventReceived') continue;
    if (r.pt === undefined || r.sn === undefined) {
      if (r.h !== 'checkpoint') unpositioned++;
      continue;
    }
    const s = partitionState(partitions, r.pt);
    if (r.h === 'checkpoint') {
      if (r.t >= s.checkpointT) (s.checkpointT = r.t), (s.checkpointSn = r.sn);
      continue;
    }
    if (r.sn > s.receivedMaxSn) s.receivedMaxSn = r.sn;
    if (!s.received.has(r.sn)) s.received.set(r.sn, { op: r.op, key: r.k, partitionId: r.pt, sequenceNumber: r.sn });
  }
  const events: UncheckpointedEvent[] = [];
  const summary: PartitionAtKill[] = [];
  for (const id of [...partitions.keys()].sort(byPartitionId)) {
    const s = partitions.get(id)!;
    const above = [...s.received.values()].filter((e) => s.checkpointSn === null || e.sequenceNumber > s.checkpointSn);
    above.sort((a, b) => a.sequenceNumber - b.sequenceNumber);
    events.push(...above);
    summary.push({ partitionId: id, checkpointedSn: s.checkpointSn, receivedMaxSn: s.receivedMaxSn, uncheckpointed: above.length });
  }
  return { events, ops: [...new Set(events.map((e) => e.op))], partitions: summary, unpositioned };
}

/** numeric partition ids ("0".."31") in numeric order, others after, by name */
function byPartitionId(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isInteger(na) && Number.isInteger(nb)) return na - nb;
  return Number.isInteger(na) ? -1 : Number.isInteger(nb) ? 1 : a.localeCompare(b);
}
