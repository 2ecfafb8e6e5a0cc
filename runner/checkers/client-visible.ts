/**
 * client-visible for a message flow: the operations a user saw fail, as the product brief
 * counts them (the uploads and comments "not successfully posted"), by what the user saw:
 * timeout (no answer in time), serverError (5xx), refused (no connection), other (a reset, a
 * 4xx). Next to total-queue's lost (acknowledged, never stored) it separates the failures a
 * user noticed and could retry from the silent ones. An operation acknowledged after all (a
 * retry of the same id) is not counted. `stored` counts those the backend stored anyway
 * (total-queue's recovered). Informational: it does not judge the flow; valid is true ("unknown" with no operations)
 * (a failure the client saw is honest, not a broken promise: that is total-queue's lost).
 */
import type { CheckResult } from '../results/schema.ts';
import { F, FAIL, type HistoryIndex, type MessageFlowCode } from './index.ts';
import { Tally, result } from './result.ts';
import type { CountKey } from './catalogue.ts';

const CATEGORIES = ['failed', 'timeout', 'serverError', 'refused', 'other', 'stored'] as const satisfies ReadonlyArray<CountKey<'client-visible'>>; // names and meanings: catalogue.ts
type Category = (typeof CATEGORIES)[number];
const BY_KIND: Record<number, Category> = { [FAIL.TIMEOUT]: 'timeout', [FAIL.SERVER_ERROR]: 'serverError', [FAIL.REFUSED]: 'refused', [FAIL.OTHER]: 'other' };

export function checkClientVisible(index: HistoryIndex, flow: MessageFlowCode): CheckResult {
  const tally = new Tally<Category>(CATEGORIES, ['failed', 'stored']);
  const c: Record<Category, number> = { failed: 0, timeout: 0, serverError: 0, refused: 0, other: 0, stored: 0 };
  let attempted = 0;
  for (let i = 0; i < index.size; i++) {
    if (index.flow[i] !== flow) continue;
    const f = index.flags[i];
    if (f & F.INTENDED) attempted++;
    const kind = index.failKind[i];
    if (kind === FAIL.NONE || f & F.ACKED || !(f & F.INTENDED)) continue;
    c.failed++;
    c[BY_KIND[kind] ?? 'other']++;
    tally.example('failed', index.opIds[i]);
    if (f & F.COMMITTED) c.stored++, tally.example('stored', index.opIds[i]);
  }
  for (const category of CATEGORIES) tally.set(category, c[category]);
  return result('client-visible', attempted > 0 ? true : 'unknown', tally, attempted > 0 ? [] : ['no operations in this flow']);
}
