/**
 * Reading the data the bundler inlined: `<script id="moshpit-data" type="application/json">`
 * holding an array of results objects (one per results.json given). The runner validated them
 * with the zod schema; here only the envelope is checked so a broken page says why.
 */
import type { Results } from './types.ts';
import type { Comparison } from '../../../runner/compare/schema.ts';

export const DATA_ELEMENT_ID = 'moshpit-data';

/** A comparison report embeds comparison.json first, then one results object per scenario. */
export type LoadedData = { ok: true; results: Results[]; comparison?: Comparison } | { ok: false; error: string };

export function parseEmbeddedData(text: string | null | undefined): LoadedData {
  if (text === null || text === undefined || text.trim() === '') {
    return { ok: false, error: 'This report has no results data embedded. Create it with `moshpit report <results.json>`.' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `The embedded results data is not valid JSON: ${(error as Error).message}` };
  }
  let list = Array.isArray(parsed) ? parsed : [parsed];
  let comparison: Comparison | undefined;
  const head = list[0] as { schema?: unknown; version?: unknown } | undefined;
  if (head && typeof head === 'object' && head.schema === 'moshpit.comparison') {
    if (head.version !== 1) return { ok: false, error: `The embedded comparison has version ${String(head.version)}; this report reads version 1.` };
    comparison = head as Comparison;
    list = list.slice(1);
    if (list.length === 0) return { ok: true, results: [], comparison };
  }
  if (list.length === 0) return { ok: false, error: 'The embedded results data is empty (no results files were given).' };
  for (const [index, item] of list.entries()) {
    const envelope = item as { schema?: unknown; version?: unknown; runs?: unknown } | null;
    if (envelope === null || typeof envelope !== 'object' || envelope.schema !== 'moshpit.results') {
      return { ok: false, error: `Embedded item ${index} is not a moshpit results object.` };
    }
    if (envelope.version !== 1) {
      return { ok: false, error: `Embedded item ${index} has results version ${String(envelope.version)}; this report reads version 1.` };
    }
    if (!Array.isArray(envelope.runs)) return { ok: false, error: `Embedded item ${index} has no runs array.` };
  }
  return { ok: true, results: list as Results[], ...(comparison ? { comparison } : {}) };
}
