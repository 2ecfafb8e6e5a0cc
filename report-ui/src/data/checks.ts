/**
 * Finding checker results inside a flow, by the metric catalogue's names
 * (runner/checkers/catalogue.ts). Checker names are matched loosely ("total-queue",
 * "totalQueue", "total_queue" are the same, plus the catalogue's other spellings) so the report
 * does not break on spelling, and a count is looked up under its catalogue name, then its
 * catalogue aliases (older or foreign spellings).
 */
import { CATALOGUE, countInfo, type CheckerName, type CountKey } from '../../../runner/checkers/catalogue.ts';
import type { CheckResult, FlowResult, LatencySummary } from './types.ts';

function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function spellings(checker: CheckerName): string[] {
  return [normalize(checker), ...CATALOGUE[checker].aliases];
}

export function findCheck(flow: FlowResult, checker: CheckerName): CheckResult | undefined {
  const names = spellings(checker);
  for (const [key, check] of Object.entries(flow.checks)) {
    if (names.includes(normalize(key)) || names.includes(normalize(check.checker))) return check;
  }
  if (checker === 'latency') return Object.values(flow.checks).find((check) => check.latency);
  return undefined;
}

/** The checker's count (under its name or an alias); undefined when the check or count is absent. */
export function countOf<C extends CheckerName>(check: CheckResult | undefined, checker: C, count: CountKey<C>): number | undefined {
  if (!check) return undefined;
  for (const key of [count, ...(countInfo(checker, count)?.aliases ?? [])]) {
    const value = check.counts[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

/** The count of the flow's check of that checker. */
export function flowCount<C extends CheckerName>(flow: FlowResult, checker: C, count: CountKey<C>): number | undefined {
  return countOf(findCheck(flow, checker), checker, count);
}

export function latencyOf(flow: FlowResult, hop: string): LatencySummary | undefined {
  return findCheck(flow, 'latency')?.latency?.[hop];
}
