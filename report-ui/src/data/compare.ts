/**
 * The comparison table: one row per technology, flows aggregated (counts summed, latency of the
 * worst flow), with the best value in each column marked. Lower is better everywhere except
 * throughput. Nothing is marked in a column where fewer than two technologies have a value.
 */
import { flowMetrics } from './summary.ts';
import type { Results, RunResult } from './types.ts';

export type CompareKey = 'lost' | 'duplicated' | 'unexpected' | 'inversions' | 'fanOutMissing' | 'e2eP50Ms' | 'e2eP99Ms' | 'throughputPerS';

export interface CompareColumn {
  key: CompareKey;
  label: string;
  title: string;
  better: 'lower' | 'higher';
  unit?: 'ms' | 'perS';
}

export const COMPARE_COLUMNS: readonly CompareColumn[] = [
  { key: 'lost', label: 'lost', title: 'acknowledged but never committed, all flows', better: 'lower' },
  { key: 'duplicated', label: 'duplicated', title: 'duplicate deliveries (queues) and duplicate fan-out deliveries (events), all flows', better: 'lower' },
  { key: 'unexpected', label: 'unexpected', title: 'committed but never sent, all flows', better: 'lower' },
  { key: 'inversions', label: 'order inv.', title: 'per-key ordering inversions, all flows', better: 'lower' },
  { key: 'fanOutMissing', label: 'fan-out missing', title: 'subscriber deliveries that never arrived, all flows', better: 'lower' },
  { key: 'e2eP50Ms', label: 'e2e p50 ms', title: 'median end-to-end latency of the slowest flow', better: 'lower', unit: 'ms' },
  { key: 'e2eP99Ms', label: 'e2e p99 ms', title: '99th percentile end-to-end latency of the slowest flow', better: 'lower', unit: 'ms' },
  { key: 'throughputPerS', label: 'acked /s', title: 'operations acknowledged per second of load (load.acknowledged / scenario duration)', better: 'higher', unit: 'perS' },
];

export interface CompareRow {
  tech: string;
  status: RunResult['status'];
  values: Record<CompareKey, number | undefined>;
  /** columns where this row holds the best value (ties: every row with it) */
  best: Set<CompareKey>;
}

function sum(values: Array<number | undefined>): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length === 0 ? undefined : present.reduce((a, b) => a + b, 0);
}

function max(values: Array<number | undefined>): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length === 0 ? undefined : Math.max(...present);
}

export function runValues(run: RunResult, scenarioDurationMs: number): Record<CompareKey, number | undefined> {
  const flows = Object.values(run.flows);
  const metrics = flows.map(flowMetrics);
  const fanOutDup = flows.map((flow) => {
    const check = Object.values(flow.checks).find((c) => c.checker.replace(/[^a-z]/gi, '').toLowerCase() === 'fanout');
    return check?.counts.duplicated;
  });
  const seconds = scenarioDurationMs / 1000;
  return {
    lost: sum(metrics.map((m) => m.lost)),
    duplicated: sum([...metrics.map((m) => m.duplicatedDelivery), ...fanOutDup]),
    unexpected: sum(metrics.map((m) => m.unexpected)),
    inversions: sum(metrics.map((m) => m.inversions)),
    fanOutMissing: sum(metrics.map((m) => m.fanOutMissing)),
    e2eP50Ms: max(metrics.map((m) => m.e2eP50Ms)),
    e2eP99Ms: max(metrics.map((m) => m.e2eP99Ms)),
    throughputPerS: run.status === 'completed' && seconds > 0 ? run.load.acknowledged / seconds : undefined,
  };
}

/** Best per column; a failed run never wins a column. */
export function compareRows(results: Results): CompareRow[] {
  const rows: CompareRow[] = results.runs.map((run) => ({
    tech: run.tech,
    status: run.status,
    values: runValues(run, results.scenario.durationMs),
    best: new Set<CompareKey>(),
  }));
  for (const column of COMPARE_COLUMNS) {
    const candidates = rows.filter((row) => row.status === 'completed' && row.values[column.key] !== undefined);
    if (candidates.length < 2) continue;
    const values = candidates.map((row) => row.values[column.key]!);
    const best = column.better === 'lower' ? Math.min(...values) : Math.max(...values);
    for (const row of candidates) if (row.values[column.key] === best) row.best.add(column.key);
  }
  return rows;
}
