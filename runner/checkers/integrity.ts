/**
 * integrity (uploads): the sha256 the load engine sent (`intended.sum`) equals the one the
 * database stored (`committed.sum`). counts: checked, mismatched, unknown (a committed upload
 * where a side lacks a sum). valid = mismatched == 0; "unknown" when nothing was checkable.
 */
import type { CheckResult } from '../results/schema.ts';
import { F, FLOW_UPLOADS, type HistoryIndex } from './index.ts';
import { Tally, result } from './result.ts';
import type { CountKey } from './catalogue.ts';

const CATEGORIES = ['checked', 'mismatched', 'unknown'] as const satisfies ReadonlyArray<CountKey<'integrity'>>; // names and meanings: catalogue.ts
type Category = (typeof CATEGORIES)[number];

export function checkIntegrity(index: HistoryIndex): CheckResult {
  const tally = new Tally<Category>(CATEGORIES, ['mismatched', 'unknown']);
  const { sumIntended, sumCommitted, opIds } = index;
  let checked = 0;
  for (let i = 0; i < index.size; i++) {
    if (index.flow[i] !== FLOW_UPLOADS || !(index.flags[i] & F.COMMITTED)) continue;
    const sent = sumIntended[i];
    const stored = sumCommitted[i];
    if (sent === undefined || stored === undefined) {
      tally.hit('unknown', opIds[i]);
      continue;
    }
    checked++;
    if (sent !== stored && sent.toLowerCase() !== stored.toLowerCase()) tally.hit('mismatched', opIds[i]);
  }
  tally.set('checked', checked);
  const c = tally.counts;
  const notes: string[] = [];
  if (c.unknown > 0) notes.push(`${c.unknown} committed upload(s) could not be checked: a checksum is missing on one side`);
  const valid = c.mismatched > 0 ? false : c.checked === 0 ? 'unknown' : true;
  return result('integrity', valid, tally, notes);
}
