/**
 * History records v1: the evidence of a run. One JSON object per line (JSONL), appended by
 * every process of the stack to its own file under `<run>/history/<proc>.jsonl`.
 *
 * Every operation has a unique id (`op`), a key (`key`, the song id), a per-key sequence
 * number (`seq`, comments only) and an intended start time. Each hop of the operation appends
 * one record. Field names are short on purpose: a 1,000,000-operation run writes ~6,000,000
 * lines.
 *
 * Durability rule: a process appends (synchronously, to the OS) the record of what it is
 * about to acknowledge *before* acknowledging it, so SIGKILL never yields a false loss or a
 * false duplicate. The database is the truth for what was stored: after the drain the runner
 * exports the database as `committed` records (proc "db").
 */
import type { Tech } from '../techs.ts';
import { FLOWS, type Flow } from './flows.ts';

export const HISTORY_VERSION = 1;

/**
 * Every hop kind, the one list: the record type, the reader's validation and the checkers take
 * their kinds from here (a new kind is added here first; the reader then accepts it).
 */
export const HOP_KINDS = [
  /** load engine: the moment the operation was scheduled to start (open model). */
  'intended',
  /** load engine: the request was actually sent. */
  'sent',
  /** load engine: the api answered 2xx (the acknowledgement the user saw). */
  'acked',
  /** load engine: the api answered with an error, or the request failed (st = status, 0 = no answer). */
  'failed',
  /** load engine: the operation could not start on time (engine saturated) and was not sent. */
  'dropped',
  /** api: the broker acknowledged the publish (written before the api answers 202). */
  'brokerAck',
  /**
   * worker: a delivery of the message (every delivery, with its delivery count `dc`; on
   * partitioned transports (event-hubs) also its partition `pt` and partition sequence number `sn`).
   */
  'received',
  /** worker: the message went to the poison / dead-letter queue. */
  'deadLettered',
  /** db export: the row is in the database (one record per stored op; `pc` = times processed). */
  'committed',
  /** worker: the song-added event was acknowledged by the broker. */
  'eventPublished',
  /** subscriber: the song-added event reached subscriber `sub`. */
  'eventReceived',
  /** runner: a fault started or stopped (op = fault id). */
  'faultStart',
  'faultStop',
  /**
   * worker / subscriber on a partitioned transport (event-hubs): a checkpoint was stored for
   * partition `pt`, covering every event of that partition up to sequence number `sn`; `op` / `k`
   * are the last covered event's. Written after the checkpoint store answered. Added to v1
   * (additive): checkers ignore it; it is the evidence of what a killed consumer replays.
   */
  'checkpoint',
  /**
   * runner: the drain ended (op "drain", f "drain"); what a worker publishes or commits after
   * this moment may have found its consumers stopped. Added to v1 (additive).
   */
  'drainEnd',
  /**
   * runner, at a drain that hit its limit (drained: no): this operation (f uploads / comments),
   * or its song-added event for subscriber `sub` (f song-added), was still in doubt; checkers
   * count it `pending`, not lost or missing. Added to v1 (additive).
   */
  'drainPending',
] as const;

export type Hop = (typeof HOP_KINDS)[number];

/** The flows a record can belong to: the backend's flows, and the runner's own records (faults, the drain). */
export const RECORD_FLOWS = [...FLOWS, 'fault', 'drain'] as const;
export type RecordFlow = (typeof RECORD_FLOWS)[number];

export interface HopRecord {
  /** hop kind */
  h: Hop;
  /** operation id; unique across the run (and across load-engine processes) */
  op: string;
  /** flow the operation belongs to */
  f: RecordFlow;
  /** key: the song id */
  k: string;
  /** wall-clock time in epoch milliseconds (fractional) */
  t: number;
  /** per-key sequence number (comments: 1, 2, 3... per song, in send order) */
  seq?: number;
  /** partition id (received / checkpoint on event-hubs) */
  pt?: string;
  /**
   * per-partition sequence number (received: the event's; checkpoint: the last event covered).
   * Not `seq`: that is the per-song send order, which a comment's `received` already carries.
   */
  sn?: number;
  /** delivery count as reported by the broker (received) */
  dc?: number;
  /** times processed (committed: the db's process count; > 1 means processed more than once) */
  pc?: number;
  /** subscriber name (eventReceived) */
  sub?: string;
  /** HTTP status (acked / failed; 0 = no response) */
  st?: number;
  /** short error text (failed / deadLettered) */
  err?: string;
  /** payload size in bytes (intended / committed for uploads) */
  b?: number;
  /** sha256 hex of the payload (intended: what was sent; committed: what was stored) */
  sum?: string;
  /** commit order in the database (committed; per-table autoincrement) */
  ord?: number;
  /** writing process (loadgen, api, worker-uploads-1, subscriber-2, db, runner) */
  p?: string;
  /** fault details (faultStart/faultStop): target and type */
  target?: string;
  type?: string;
}

/** A run's history: records from every process, in no particular order. */
export type History = Iterable<HopRecord>;

/** The technology of a history is implied by the run directory; records do not repeat it. */
export interface HistoryMeta {
  version: typeof HISTORY_VERSION;
  tech: Tech;
  runId: string;
  startedAt: number;
  /** names of subscriber processes expected to receive every song-added event */
  subscribers: string[];
}
