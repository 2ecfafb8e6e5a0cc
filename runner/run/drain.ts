/**
 * Drain to quiescence, not to a count. After the load stops, the drain waits until nothing can
 * change any more: every broker backlog of the run's entities is empty (ready, locked,
 * scheduled, in retry, not yet received), no worker holds a received-but-unsettled message, and
 * the api has no publish in flight (its SDK may still retry a request the client gave up on:
 * issue 19's b0-u14, which failed at the load generator and was stored after the old drain had
 * ended). Then every in-doubt operation is either stored or can no longer be, so the checkers'
 * verdicts (lost, missing) are about the broker, not about the drain's patience.
 *
 * It ends early, after two quiet polls, when also every acknowledged operation is stored and
 * every stored song's event reached every subscriber; when quiet but something is still
 * missing it stays quiet for QUIET_STABLE_MS first (a message between the broker and a worker's
 * history is invisible to both for a moment), and what is missing then is judged. At the limit
 * it ends with drained: false and names what was pending: for each flow that was not quiet, its
 * unstored operations, and, while song-added was not quiet, the undelivered events. Those are
 * written to the history (`drainPending`) and counted `pending`, never lost or missing.
 */
import type { Flow } from '../contracts/flows.ts';
import type { HopRecord } from '../contracts/history.ts';
import type { Backlog, ReceivedPositions } from './backlog/types.ts';
import { DrainLedger, type Awaited, type MessageFlow } from './drain-ledger.ts';

export { createRecordTail } from './record-tail.ts';

/** How long the stack must stay quiet before operations still missing are judged. */
export const QUIET_STABLE_MS = 2000;

export interface DrainProbe {
  /** which of these operation ids are stored in the database */
  stored(ids: string[]): Set<string>;
  /** ids of every stored song */
  songs(): string[];
  /** new records from the workers' and subscribers' histories */
  newRecords(): HopRecord[];
  /** workers that died or were restarted since the last call, with when that was noticed (absent: none) */
  goneWorkers?(): Array<{ proc: string; atMs: number }>;
  /** non-empty broker backlogs of the run's entities; throws when a broker does not answer (absent: none) */
  backlogs?(received: ReceivedPositions): Promise<Backlog[]>;
  /** the api's publishes still in flight, by operation id; null when it could not be asked (absent: none) */
  apiInFlight?(): Promise<ApiInFlight | null>;
}

export interface ApiInFlight {
  count: number;
  ops: string[];
}

export interface DrainOptions {
  /** ids of the operations the load engine saw acknowledged (setup uploads included) */
  acknowledged: Iterable<string | [string, MessageFlow]>;
  /** ids of the operations whose outcome the load engine does not know (failed without a 4xx, or no answer) */
  inDoubt?: Iterable<[string, MessageFlow]>;
  subscribers: string[];
  limitMs: number;
  pollMs?: number;
  onWait?: (state: DrainState) => void;
}

export interface DrainState {
  elapsedMs: number;
  pendingCommits: number;
  pendingEvents: number;
  backlogs: Backlog[];
  apiInFlight: number | null;
  unsettled: number;
  unreadable: string[];
}

export interface DrainResult {
  durationMs: number;
  drained: boolean;
  /** what was still in doubt when the limit passed (empty when drained) */
  pendingOps: Array<{ id: string; flow: MessageFlow }>;
  pendingEvents: Array<{ op: string; sub: string }>;
  /** the last poll's view, for the report */
  last: DrainState;
}

function ledgerFor(options: DrainOptions): DrainLedger {
  const ops: Array<[string, Awaited]> = [];
  for (const a of options.acknowledged) {
    const [id, flow] = typeof a === 'string' ? [a, 'uploads' as const] : a;
    ops.push([id, { flow, acked: true }]);
  }
  for (const [id, flow] of options.inDoubt ?? []) ops.push([id, { flow, acked: false }]);
  return new DrainLedger(ops);
}

async function readBrokers(probe: DrainProbe, ledger: DrainLedger): Promise<{ backlogs: Backlog[]; unreadable: string[]; api: ApiInFlight | null }> {
  let backlogs: Backlog[] = [];
  const unreadable: string[] = [];
  try {
    backlogs = (await probe.backlogs?.(ledger.received)) ?? [];
  } catch (error) {
    unreadable.push((error as Error).message);
  }
  const api = probe.apiInFlight ? await probe.apiInFlight() : { count: 0, ops: [] };
  return { backlogs, unreadable, api };
}

/**
 * Which flows can still change: a backlog, a busy worker or an unreadable broker (`brokers`),
 * and also a busy or unanswering api (`all`: a publish in flight may still enqueue anything).
 */
function busyFlows(state: DrainState, ledger: DrainLedger): { brokers: Set<Flow>; all: Set<Flow> } {
  const brokers = new Set<Flow>();
  const unknown = state.unreadable.length > 0;
  for (const flow of ['uploads', 'comments'] as const) {
    if (unknown || ledger.unsettledIn(flow) > 0 || state.backlogs.some((b) => b.flow === flow)) brokers.add(flow);
  }
  // a busy upload worker may still publish song-added events
  if (unknown || brokers.has('uploads') || state.backlogs.some((b) => b.flow === 'song-added')) brokers.add('song-added');
  const all = new Set(brokers);
  if (state.apiInFlight !== 0) for (const flow of ['uploads', 'comments', 'song-added'] as const) all.add(flow);
  return { brokers, all };
}

/** At the limit: unstored operations of a busy flow or still in the api's hands; undelivered events while song-added was busy. */
function pendingAt(ledger: DrainLedger, busy: { brokers: Set<Flow>; all: Set<Flow> }, api: ApiInFlight | null, events: Array<{ op: string; sub: string }>): Pick<DrainResult, 'pendingOps' | 'pendingEvents'> {
  const inApi = new Set(api?.ops ?? []);
  const apiUnknown = api === null || api.count > api.ops.length; // not asked, or more in flight than it listed
  const pendingOps: DrainResult['pendingOps'] = [];
  for (const [id, a] of ledger.awaiting) if (busy.brokers.has(a.flow) || apiUnknown || inApi.has(id)) pendingOps.push({ id, flow: a.flow });
  return { pendingOps, pendingEvents: busy.all.has('song-added') ? events : [] };
}

export async function drain(probe: DrainProbe, options: DrainOptions): Promise<DrainResult> {
  const started = Date.now();
  const pollMs = options.pollMs ?? 250;
  const ledger = ledgerFor(options);
  let lastReport = 0;
  let quietPolls = 0;
  let quietSinceMs = 0;
  for (;;) {
    for (const record of probe.newRecords()) ledger.add(record);
    for (const { proc, atMs } of probe.goneWorkers?.() ?? []) ledger.forget(proc, atMs);
    for (const id of probe.stored(ledger.unstored())) ledger.settle(id);
    const brokers = await readBrokers(probe, ledger);
    for (const id of probe.stored(ledger.unstored())) ledger.settle(id); // what was stored while the brokers were read
    const events = ledger.eventsAwaiting(probe.songs(), options.subscribers);
    const elapsedMs = Date.now() - started;
    const { backlogs, unreadable, api } = brokers;
    const state: DrainState = { elapsedMs, pendingCommits: ledger.ackedAwaiting(), pendingEvents: events.length, unsettled: ledger.unsettled.size, backlogs, unreadable, apiInFlight: api?.count ?? null };
    const busy = busyFlows(state, ledger);
    if (busy.all.size > 0) quietPolls = 0;
    else if (quietPolls++ === 0) quietSinceMs = elapsedMs;
    const accounted = state.pendingCommits === 0 && events.length === 0;
    if (quietPolls >= 2 && (accounted || elapsedMs - quietSinceMs >= QUIET_STABLE_MS)) {
      return { durationMs: elapsedMs, drained: true, pendingOps: [], pendingEvents: [], last: state };
    }
    if (elapsedMs >= options.limitMs) return { durationMs: elapsedMs, drained: false, ...pendingAt(ledger, busy, api, events), last: state };
    if (elapsedMs - lastReport >= 2000) {
      options.onWait?.(state);
      lastReport = elapsedMs;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
