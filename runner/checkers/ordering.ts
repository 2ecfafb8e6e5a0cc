/**
 * ordering (comments): per key (song), committed records sorted by `ord` (db commit order),
 * compared by `seq` (send order). An inversion is a commit whose seq is lower than a seq
 * committed before it for that key; a gap is an acknowledged seq of that key that was never
 * committed (already judged as loss by total-queue, reported here per key).
 * valid = inversions == 0 ("unknown" when nothing committed carries ord and seq).
 */
import type { CheckResult } from '../results/schema.ts';
import { F, FLOW_COMMENTS, type HistoryIndex } from './index.ts';
import { Tally, result } from './result.ts';
import type { CountKey } from './catalogue.ts';

const CATEGORIES = ['keys', 'ordered', 'inversions', 'gaps', 'keysOutOfOrder', 'keysWithGaps'] as const satisfies ReadonlyArray<CountKey<'ordering'>>; // names and meanings: catalogue.ts
type Category = (typeof CATEGORIES)[number];

const PACK = 2 ** 23; // op indexes below 8M pack exactly next to ords below 2^30

/** Committed comment ops (op indexes) sorted by commit order `ord`, ties by op index. */
function commitsByOrd(index: HistoryIndex): { order: ArrayLike<number>; unordered: number } {
  const picked: number[] = [];
  let unordered = 0;
  let packable = index.size <= PACK;
  for (let i = 0; i < index.size; i++) {
    if (index.flow[i] !== FLOW_COMMENTS || !(index.flags[i] & F.COMMITTED)) continue;
    const ord = index.ord[i];
    if (Number.isNaN(ord) || index.seq[i] < 0) unordered++;
    else {
      picked.push(i);
      if (!(Number.isInteger(ord) && ord >= 0 && ord < 2 ** 30)) packable = false;
    }
  }
  const ord = index.ord;
  if (!packable) return { order: picked.sort((a, b) => ord[a] - ord[b] || a - b), unordered };
  // numeric sort of packed doubles is native and much faster than a comparator
  const packed = new Float64Array(picked.length);
  for (let n = 0; n < picked.length; n++) packed[n] = ord[picked[n]] * PACK + picked[n];
  packed.sort();
  const order = new Int32Array(packed.length);
  for (let n = 0; n < packed.length; n++) order[n] = packed[n] % PACK;
  return { order, unordered };
}

export function checkOrdering(index: HistoryIndex): CheckResult {
  const tally = new Tally<Category>(CATEGORIES, ['keysOutOfOrder', 'keysWithGaps']);
  const { order, unordered } = commitsByOrd(index);
  const keyCount = index.keyIds.length;
  const maxSeq = new Int32Array(keyCount).fill(-1);
  const keyInverted = new Uint8Array(keyCount);
  const keySeen = new Uint8Array(keyCount);
  for (let n = 0; n < order.length; n++) {
    const i = order[n];
    const k = index.key[i];
    const s = index.seq[i];
    keySeen[k] = 1;
    if (s < maxSeq[k]) {
      tally.hit('inversions');
      if (!keyInverted[k]) {
        keyInverted[k] = 1;
        tally.hit('keysOutOfOrder', index.keyIds[k]);
      }
    } else maxSeq[k] = s;
  }
  const keyGapped = new Uint8Array(keyCount);
  for (let i = 0; i < index.size; i++) {
    if (index.flow[i] !== FLOW_COMMENTS) continue;
    const f = index.flags[i];
    const k = index.key[i];
    if (f & (F.ACKED | F.COMMITTED)) keySeen[k] = 1;
    if (!(f & F.ACKED) || f & F.COMMITTED) continue;
    tally.hit('gaps');
    if (!keyGapped[k]) {
      keyGapped[k] = 1;
      tally.hit('keysWithGaps', index.keyIds[k]);
    }
  }
  let keys = 0;
  for (let k = 0; k < keyCount; k++) keys += keySeen[k];
  tally.set('keys', keys);
  tally.set('ordered', order.length);
  const notes: string[] = [];
  if (unordered > 0) notes.push(`${unordered} committed comment(s) lack \`ord\` or \`seq\` and were not ordered`);
  const valid = tally.counts.inversions > 0 ? false : order.length === 0 ? 'unknown' : true;
  return result('ordering', valid, tally, notes);
}
