/**
 * Reading the data the bundler inlined: `<script id="moshpit-data" type="application/json">`
 * holding an array of results objects (one per results.json given). The runner validated them
 * with the zod schema; here only the envelope is checked so a broken page says why.
 */
import type { Results } from './types.ts';

export const DATA_ELEMENT_ID = 'moshpit-data';

export type LoadedData = { ok: true; results: Results[] } | { ok: false; error: string };

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
  const list = Array.isArray(parsed) ? parsed : [parsed];
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
  return { ok: true, results: list as Results[] };
}
