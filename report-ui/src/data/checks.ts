/**
 * Finding checker results inside a flow. Checker names are matched loosely ("total-queue",
 * "totalQueue", "total_queue" are the same) so the report does not break on spelling, and
 * count keys are looked up through a short list of aliases.
 */
import type { CheckResult, FlowResult, LatencySummary } from './types.ts';

export type CheckKind = 'totalQueue' | 'ordering' | 'fanOut' | 'integrity' | 'latency';

const CHECK_NAMES: Record<CheckKind, string[]> = {
  totalQueue: ['totalqueue', 'queue', 'total'],
  ordering: ['ordering', 'order'],
  fanOut: ['fanout'],
  integrity: ['integrity'],
  latency: ['latency'],
};

function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function findCheck(flow: FlowResult, kind: CheckKind): CheckResult | undefined {
  const names = CHECK_NAMES[kind];
  for (const [key, check] of Object.entries(flow.checks)) {
    if (names.includes(normalize(key)) || names.includes(normalize(check.checker))) return check;
  }
  if (kind === 'latency') return Object.values(flow.checks).find((check) => check.latency);
  return undefined;
}

/** The first of `keys` present in the check's counts; undefined when the check or key is absent. */
export function countOf(check: CheckResult | undefined, ...keys: string[]): number | undefined {
  if (!check) return undefined;
  for (const key of keys) {
    const value = check.counts[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

export function latencyOf(flow: FlowResult, hop: string): LatencySummary | undefined {
  return findCheck(flow, 'latency')?.latency?.[hop];
}
