/**
 * One cell of the comparison matrix: one scenario × technology × flow, the figures that decide
 * it (lost, duplicated, inversions, fan-out missing, dead-lettered, e2e p50/p99 with n) and the
 * run's fault windows. Built from results.json only (pure; the report builds it in the browser).
 */
import type { Results, RunResult, Validity } from '../results/schema.ts';
import { findCheck, flowCount } from '../../report-ui/src/data/checks.ts';
import { flowMetrics } from '../../report-ui/src/data/summary.ts';

export interface FaultRef {
  id: string;
  type: string;
  target: string;
  startMs: number;
  endMs: number | null;
}

export interface CellEvidence {
  scenario: string;
  tech: string;
  flow: string;
  kind: 'message' | 'event';
  status: 'completed' | 'failed';
  valid: Validity;
  error?: string;
  lost?: number;
  duplicatedDelivery?: number;
  duplicatedProcessing?: number;
  unexpected?: number;
  inversions?: number;
  fanOutMissing?: number;
  deadLettered?: number;
  integrityMismatched?: number;
  pending?: number;
  e2eP50Ms?: number;
  e2eP99Ms?: number;
  e2eCount: number;
  faults: FaultRef[];
}

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function cellsOfRun(scenario: string, run: RunResult): CellEvidence[] {
  const faults = run.faults.map((f) => ({ id: f.id, type: f.type, target: f.target, startMs: f.startMs, endMs: f.endMs }));
  return Object.entries(run.flows).map(([flow, result]) => {
    const m = flowMetrics(result);
    const pending = flowCount(result, 'total-queue', 'pending') ?? flowCount(result, 'fan-out', 'pending');
    const e2e = findCheck(result, 'latency')?.latency?.e2e;
    return defined({
      scenario,
      tech: run.tech,
      flow,
      kind: result.kind,
      status: run.status,
      valid: run.status === 'failed' ? false : result.valid,
      error: run.error,
      lost: m.lost,
      duplicatedDelivery: m.duplicatedDelivery,
      duplicatedProcessing: m.duplicatedProcessing,
      unexpected: m.unexpected,
      inversions: m.inversions,
      fanOutMissing: m.fanOutMissing,
      deadLettered: m.deadLettered,
      integrityMismatched: m.integrityMismatched,
      pending,
      e2eP50Ms: m.e2eP50Ms,
      e2eP99Ms: m.e2eP99Ms,
      e2eCount: e2e?.count ?? 0,
      faults,
    });
  });
}

/** Every cell of one results file (its scenario's name labels the cells). */
export function cellsOfResults(results: Results, scenario = results.scenario.name): CellEvidence[] {
  return results.runs.flatMap((run) => cellsOfRun(scenario, run));
}

/** A run that produced no flow (it failed at start) still counts: one failed cell per flow it should have had. */
export function failedCells(scenario: string, tech: string, flows: string[], error: string): CellEvidence[] {
  return flows.map((flow) => ({ scenario, tech, flow, kind: flow === 'song-added' ? 'event' : 'message', status: 'failed', valid: false, error, e2eCount: 0, faults: [] }));
}
