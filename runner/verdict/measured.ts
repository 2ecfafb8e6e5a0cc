/**
 * What was MEASURED for one technology and flow across every scenario of a suite (or the one
 * run of a report): a failure names its scenario. Lost acknowledged data disqualifies for a
 * message flow, missing subscriber deliveries for an event flow, inversions for an ordered flow,
 * corrupt or unexpected data for any. Duplicates, dead letters and pending work are caveats.
 */
import type { CellEvidence } from './evidence.ts';

export interface MeasuredCheck {
  /** true: kept every promise everywhere it ran; false: a failure below; "unknown": never measured */
  ok: boolean | 'unknown';
  /** scenarios with a completed run */
  scenarios: number;
  failures: { scenario: string; what: string }[];
  caveats: { scenario: string; what: string }[];
}

function failuresOf(cell: CellEvidence, ordered: boolean): string[] {
  const out: string[] = [];
  const n = (v: number | undefined) => v ?? 0;
  if (cell.kind === 'message' && n(cell.lost) > 0) out.push(`lost ${cell.lost} acknowledged ${cell.flow}`);
  if (cell.kind === 'event' && n(cell.fanOutMissing) > 0) out.push(`${cell.fanOutMissing} subscriber deliveries never arrived`);
  if (ordered && n(cell.inversions) > 0) out.push(`${cell.inversions} order inversions`);
  if (n(cell.unexpected) > 0) out.push(`${cell.unexpected} stored that were never sent`);
  if (n(cell.integrityMismatched) > 0) out.push(`${cell.integrityMismatched} stored with different bytes`);
  return out;
}

function caveatsOf(cell: CellEvidence): string[] {
  const out: string[] = [];
  if ((cell.duplicatedProcessing ?? 0) > 0) out.push(`${cell.duplicatedProcessing} processed twice`);
  if ((cell.deadLettered ?? 0) > 0) out.push(`${cell.deadLettered} dead-lettered`);
  if ((cell.pending ?? 0) > 0) out.push(`${cell.pending} still pending at the drain limit`);
  return out;
}

export function measuredCheck(cells: CellEvidence[], ordered: boolean): MeasuredCheck {
  const result: MeasuredCheck = { ok: 'unknown', scenarios: 0, failures: [], caveats: [] };
  for (const cell of cells) {
    if (cell.status === 'failed') {
      result.caveats.push({ scenario: cell.scenario, what: `run failed, not measured${cell.error ? ` (${cell.error})` : ''}` });
      continue;
    }
    result.scenarios++;
    for (const what of failuresOf(cell, ordered)) result.failures.push({ scenario: cell.scenario, what });
    for (const what of caveatsOf(cell)) result.caveats.push({ scenario: cell.scenario, what });
  }
  result.ok = result.failures.length > 0 ? false : result.scenarios > 0 ? true : 'unknown';
  return result;
}
