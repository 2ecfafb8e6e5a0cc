/**
 * total-queue (Jepsen's vocabulary) for a message flow: what the load engine attempted and saw
 * acknowledged, against what the database stored.
 *
 * - definite outcomes: acknowledged (2xx), failed with a 4xx (refused, never published), dropped
 *   (never sent); indeterminate: failed with status 0 / 5xx / none, or sent with no answer.
 * - lost: acknowledged, not committed, not dead-lettered. deadLettered: dead-lettered, not
 *   committed (reported, not lost). unexpected: committed but never attempted, or never sent.
 * - recovered / indeterminate: indeterminate outcome, committed / not committed.
 * - pending: not committed, not dead-lettered, and still in doubt when the drain hit its limit
 *   (a runner `drainPending` record: its broker backlog was not empty or a worker was busy), so
 *   neither lost nor indeterminate: the run did not wait long enough to know (Jepsen's :info).
 * - duplicatedDelivery: more than one `received` (or a delivery count > 1);
 *   duplicatedProcessing: committed with pc > 1.
 * valid = lost == 0 && unexpected == 0.
 */
import type { CheckResult } from '../results/schema.ts';
import { F, type HistoryIndex, type MessageFlowCode } from './index.ts';
import { Tally, result } from './result.ts';
import type { CountKey } from './catalogue.ts';

const CATEGORIES = [
  'attempted', 'sent', 'acknowledged', 'failed', 'dropped', 'committed', 'lost', 'deadLettered',
  'unexpected', 'recovered', 'indeterminate', 'pending', 'duplicatedDelivery', 'duplicatedProcessing',
] as const satisfies ReadonlyArray<CountKey<'total-queue'>>; // names and meanings: catalogue.ts
type Category = (typeof CATEGORIES)[number];
const WITH_EXAMPLES: Category[] = [
  'lost', 'deadLettered', 'unexpected', 'recovered', 'indeterminate', 'pending', 'duplicatedDelivery', 'duplicatedProcessing',
];

const NEVER_SENT = F.DROPPED | F.FAILED_DEFINITE;
const ANY_FAILED = F.FAILED_DEFINITE | F.FAILED_INDETERMINATE;

/** Counts per op class; a local object with fixed fields (fast) instead of a keyed record. */
function emptyCounts() {
  return {
    attempted: 0, sent: 0, acknowledged: 0, failed: 0, dropped: 0, committed: 0, lost: 0, deadLettered: 0,
    unexpected: 0, recovered: 0, indeterminate: 0, pending: 0, duplicatedDelivery: 0, duplicatedProcessing: 0, orphans: 0,
  };
}

/** Classifies every op of `flow` (one pass, no allocation per op). */
function classify(index: HistoryIndex, flow: MessageFlowCode, tally: Tally<Category>) {
  const c = emptyCounts();
  const { flags, opIds } = index;
  for (let i = 0; i < index.size; i++) {
    if (index.flow[i] !== flow) continue;
    const f = flags[i];
    const committed = (f & F.COMMITTED) !== 0;
    const acked = (f & F.ACKED) !== 0;
    if (f & F.INTENDED) c.attempted++;
    if (f & F.SENT) c.sent++;
    if (acked) c.acknowledged++;
    if (f & F.DROPPED) c.dropped++;
    if (committed) c.committed++;
    if (!acked && f & F.FAILED_DEFINITE) c.failed++;
    const pending = !committed && !(f & F.DEAD_LETTERED) && (f & F.PENDING) !== 0;
    if (pending) c.pending++, tally.example('pending', opIds[i]);
    else if (acked && !committed && !(f & F.DEAD_LETTERED)) c.lost++, tally.example('lost', opIds[i]);
    if (!committed && f & F.DEAD_LETTERED) c.deadLettered++, tally.example('deadLettered', opIds[i]);
    const neverAttempted = !(f & F.INTENDED);
    const neverSent = !acked && (f & NEVER_SENT) !== 0;
    if (committed && (neverAttempted || neverSent)) c.unexpected++, tally.example('unexpected', opIds[i]);
    // indeterminate: attempted with no definite outcome (no answer, 0 / 5xx, or still in flight)
    if (!acked && !neverSent && !neverAttempted) {
      if (committed) c.recovered++, tally.example('recovered', opIds[i]);
      else if (!pending) c.indeterminate++, tally.example('indeterminate', opIds[i]);
    }
    if (index.received[i] > 1 || index.maxDc[i] > 1) c.duplicatedDelivery++, tally.example('duplicatedDelivery', opIds[i]);
    if (committed && index.pc[i] > 1) c.duplicatedProcessing++, tally.example('duplicatedProcessing', opIds[i]);
    if (neverAttempted && !committed && !(f & ANY_FAILED)) c.orphans++;
  }
  return c;
}

export function checkTotalQueue(index: HistoryIndex, flow: MessageFlowCode): CheckResult {
  const tally = new Tally<Category>(CATEGORIES, WITH_EXAMPLES);
  const { orphans, ...c } = classify(index, flow, tally);
  for (const category of CATEGORIES) tally.set(category, c[category]);
  const notes: string[] = [];
  if (orphans > 0) notes.push(`${orphans} operation(s) have hop records but no \`intended\` record and were not committed (ignored)`);
  if (index.flowConflicts > 0) notes.push(`${index.flowConflicts} record(s) name a different flow than the first record of their operation`);
  const nothing = c.attempted === 0 && c.committed === 0;
  if (nothing) notes.push('no operations in this flow');
  const valid = c.lost === 0 && c.unexpected === 0 ? (nothing ? 'unknown' : true) : false;
  return result('total-queue', valid, tally, notes);
}
