/**
 * The drain's view of a running stack: the database (what is stored), the workers' and
 * subscribers' histories (what they received), the brokers' backlogs (through the technology's
 * backlog probe) and the api's publishes in flight (GET /health). Also what the load engine's
 * history says about each operation's outcome, and the records that tell the checkers how the
 * drain ended (`drainEnd`, `drainPending`).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from '../stack/stack.ts';
import type { HistoryWriter } from '../contracts/history-writer.ts';
import type { DrainPending } from '../results/schema.ts';
import { backlogProbeFor, sdkBacklogProbe } from './backlog/registry.ts';
import { profileOf } from '../../fixtures/technologies.ts';
import { StoredView } from '../../fixtures/music-backend/public.ts';
import type { ApiInFlight, DrainProbe, DrainResult } from './drain.ts';
import type { MessageFlow } from './drain-ledger.ts';
import { createRecordTail } from './record-tail.ts';

export function stackProbe(stack: Stack, historyDir: string): DrainProbe & { committedCount(): number; close(): void } {
  const db = new StoredView(stack.dbPath);
  const safe = <T>(fallback: T, read: () => T): T => {
    try {
      return read();
    } catch {
      return fallback; // the database appears when the first worker opens it
    }
  };
  const consumers = [...stack.members.keys()].filter((n) => n.startsWith('worker-') || n.startsWith('subscriber-'));
  const controlUrl = profileOf(stack.tech).brokerControlUrl?.(stack.endpoints);
  // a target without moshpit's control APIs (Azure, Microsoft's emulators): the SDKs, where they can tell
  const backlog = (stack.target === 'external' && !controlUrl && sdkBacklogProbe(stack.tech)) || backlogProbeFor(stack.tech);
  return {
    committedCount: () => safe(0, () => db.count()),
    stored: (ids) => safe(new Set<string>(), () => db.stored(ids)),
    songs: () => safe([], () => db.songIds()),
    newRecords: createRecordTail(consumers.map((name) => join(historyDir, `${name}.jsonl`))),
    backlogs: async (received) => (await backlog.read({ endpoints: stack.endpoints, received, subscribers: stack.subscribers })).filter((b) => ofThisRun(stack, b.entity)),
    apiInFlight: () => apiInFlight(stack.apiUrl),
    goneWorkers: watchWorkers(stack, consumers),
    close: () => db.close(),
  };
}

/**
 * Whether a backlog's entity is this run's: on a target shared with other runs (run --target)
 * only the entities under the run's prefix (Event Hubs: the target's hubs, which are not
 * prefixed); with embedded emulators every entity is the run's.
 */
export function ofThisRun(stack: Pick<Stack, 'entityPrefix' | 'endpoints'>, entity: string): boolean {
  if (!stack.entityPrefix) return true;
  const hubs = stack.endpoints.eventHubs?.entities;
  if (hubs) return [hubs.uploads, hubs.comments, hubs.songAdded].includes(entity.split('/')[0]!);
  return entity.includes(stack.entityPrefix);
}

/**
 * Which workers died (exited, not yet back) or were restarted (another pid) since the last
 * call: a stack member is replaced by its restart, so a changed pid is a new incarnation.
 */
function watchWorkers(stack: Stack, names: string[]): () => Array<{ proc: string; atMs: number }> {
  const pids = new Map<string, number>();
  const exited = new Set<number>();
  return () => {
    const gone: Array<{ proc: string; atMs: number }> = [];
    for (const name of names) {
      const member = stack.members.get(name);
      if (!member) continue;
      const known = pids.get(name);
      if (known !== member.pid) {
        pids.set(name, member.pid);
        void member.exited.then(() => exited.add(member.pid));
        if (known !== undefined) gone.push({ proc: name, atMs: Date.now() });
      }
      if (exited.has(member.pid)) gone.push({ proc: name, atMs: Date.now() });
    }
    return gone;
  };
}

/** The api's publishes in flight; none when it is gone (refused: nothing can publish), null when it does not answer. */
async function apiInFlight(apiUrl: string): Promise<ApiInFlight | null> {
  try {
    const response = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(3000) });
    const body = (await response.json()) as { inFlight?: unknown; inFlightOps?: unknown };
    if (typeof body.inFlight !== 'number') return null;
    return { count: body.inFlight, ops: Array.isArray(body.inFlightOps) ? body.inFlightOps.map(String) : [] };
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    return code === 'ECONNREFUSED' ? { count: 0, ops: [] } : null;
  }
}

const isMessageFlow = (f: unknown): f is MessageFlow => f === 'uploads' || f === 'comments';

/**
 * The load engine's outcomes (every loadgen history file): acknowledged operations, and those
 * in doubt — sent, not acknowledged, not refused with a 4xx (no answer, timeout, 5xx).
 */
export function loadOutcomes(historyDir: string): { acknowledged: Array<[string, MessageFlow]>; inDoubt: Array<[string, MessageFlow]> } {
  const files = readdirSync(historyDir).filter((f) => f.startsWith('loadgen') && f.endsWith('.jsonl'));
  const sent = new Map<string, MessageFlow>();
  const acked = new Set<string>();
  const refused = new Set<string>();
  for (const r of createRecordTail(files.map((f) => join(historyDir, f)))()) {
    if (!isMessageFlow(r.f)) continue;
    const op = String(r.op);
    if (r.h === 'sent') sent.set(op, r.f);
    else if (r.h === 'acked') acked.add(op), sent.set(op, r.f);
    else if (r.h === 'failed' && typeof r.st === 'number' && r.st >= 400 && r.st < 500) refused.add(op);
  }
  const acknowledged: Array<[string, MessageFlow]> = [];
  const inDoubt: Array<[string, MessageFlow]> = [];
  for (const [op, flow] of sent) {
    if (acked.has(op)) acknowledged.push([op, flow]);
    else if (!refused.has(op)) inDoubt.push([op, flow]);
  }
  return { acknowledged, inDoubt };
}

const EXAMPLES = 50;

/** Writes how the drain ended into the runner's history; returns results.json's `pending` (none when drained). */
export function recordDrainEnd(history: HistoryWriter, result: DrainResult, atMs: number): DrainPending | undefined {
  history.append({ h: 'drainEnd', f: 'drain', op: 'drain', k: '', t: atMs });
  for (const { id, flow } of result.pendingOps) history.append({ h: 'drainPending', f: flow, op: id, k: id, t: atMs });
  for (const { op, sub } of result.pendingEvents) history.append({ h: 'drainPending', f: 'song-added', op, k: op, sub, t: atMs });
  if (result.drained) return undefined;
  const { last } = result;
  return {
    backlogs: last.backlogs,
    apiInFlight: last.apiInFlight,
    unsettled: last.unsettled,
    unreadable: last.unreadable,
    operations: result.pendingOps.length,
    operationIds: result.pendingOps.slice(0, EXAMPLES).map((o) => o.id),
    events: result.pendingEvents.length,
    eventIds: [...new Set(result.pendingEvents.map((e) => e.op))].slice(0, EXAMPLES),
  };
}
