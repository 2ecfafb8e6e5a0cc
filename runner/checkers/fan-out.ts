/**
 * fan-out (song-added, an event): every committed upload must reach every subscriber named in
 * meta.subscribers (`eventReceived` records whose op is the upload's op id).
 * counts: events (committed songs), subscribers, expected, delivered, missing (never received,
 * never dead-lettered), deadLettered (the subscriber's copy was dead-lettered — a `deadLettered`
 * record of flow song-added from that subscriber — and it never received it), duplicated
 * (same op and subscriber more than once), published (ops with `eventPublished`), unexpected
 * (events for an op that is not a committed upload), pending (never received, and either in
 * doubt at a drain that hit its limit — a runner `drainPending` record for that subscriber — or
 * committed / first published after the drain ended, when the subscribers were being stopped:
 * the run never gave it the chance to arrive). Examples are upload op ids.
 * valid = missing == 0 (dead-lettered events are reported as their own count, for the gate to
 * threshold); "unknown" when there are no subscribers or no committed uploads.
 */
import type { CheckResult } from '../results/schema.ts';
import { F, FLOW_UPLOADS, type HistoryIndex } from './index.ts';
import { Tally, result } from './result.ts';
import type { CountKey } from './catalogue.ts';

const CATEGORIES = ['events', 'subscribers', 'expected', 'delivered', 'missing', 'deadLettered', 'duplicated', 'published', 'unexpected', 'pending'] as const satisfies ReadonlyArray<CountKey<'fan-out'>>; // names and meanings: catalogue.ts
type Category = (typeof CATEGORIES)[number];

/** The song was committed, or its event first published, after the drain ended (subscribers stopping). */
function afterDrain(index: HistoryIndex, i: number): boolean {
  const endMs = index.drainEndMs;
  if (Number.isNaN(endMs)) return false;
  return index.tCommitted[i] > endMs || index.tEventPublished[i] > endMs;
}

export function checkFanOut(index: HistoryIndex): CheckResult {
  const tally = new Tally<Category>(CATEGORIES, ['missing', 'deadLettered', 'duplicated', 'unexpected', 'pending']);
  const subs = index.subscribers.length;
  const { eventCount, eventDeadLettered, opIds } = index;
  let events = 0, published = 0, delivered = 0, duplicated = 0, missing = 0, deadLettered = 0, unexpected = 0, pending = 0;
  for (let i = 0; i < index.size; i++) {
    if (index.eventPublished[i] > 0) published++;
    const song = index.flow[i] === FLOW_UPLOADS && (index.flags[i] & F.COMMITTED) !== 0;
    if (song) events++;
    const late = song && afterDrain(index, i);
    for (let s = 0, slot = i * subs; s < subs; s++, slot++) {
      const n = eventCount[slot];
      if (n > 0) delivered++;
      if (n > 1) duplicated++, tally.example('duplicated', opIds[i]);
      if (song && n === 0 && eventDeadLettered[slot] > 0) deadLettered++, tally.example('deadLettered', opIds[i]);
      else if (song && n === 0 && (late || index.eventPending[slot] > 0)) pending++, tally.example('pending', opIds[i]);
      else if (song && n === 0) missing++, tally.example('missing', opIds[i]);
      if (!song && n > 0) unexpected++, tally.example('unexpected', opIds[i]);
    }
  }
  tally.set('published', published);
  tally.set('delivered', delivered);
  tally.set('duplicated', duplicated);
  tally.set('missing', missing);
  tally.set('deadLettered', deadLettered);
  tally.set('unexpected', unexpected);
  tally.set('pending', pending);
  tally.set('events', events);
  tally.set('subscribers', subs);
  tally.set('expected', events * subs);
  const notes: string[] = [];
  for (const [name, count] of index.unknownSubscribers) {
    notes.push(`${count} event(s) received by "${name}", which is not one of the expected subscribers (${index.subscribers.join(', ') || 'none'})`);
  }
  if (deadLettered > 0) notes.push(`deadLettered: ${deadLettered} subscriber deliveries the broker gave up on (dead-lettered) and the subscriber never received; not counted as missing`);
  if (pending > 0) notes.push(`pending: ${pending} subscriber deliveries still in doubt when the drain ended (committed or published after it, or pending at its limit); not counted as missing`);
  if (tally.counts.unexpected > 0) notes.push('unexpected: events received for an op that is not a committed upload');
  let valid: CheckResult['valid'] = tally.counts.missing === 0;
  if (subs === 0) {
    valid = 'unknown';
    notes.push('no subscribers were expected, so fan-out cannot be judged');
  } else if (events === 0 && valid) {
    valid = 'unknown';
    notes.push('no committed uploads, so no events were expected');
  }
  return result('fan-out', valid, tally, notes);
}
