/** Shapes results into the summary table: one row per technology and flow. */
import type { CountKey } from '../../../runner/checkers/catalogue.ts';
import { flowCount, latencyOf } from './checks.ts';
import type { FlowResult, Results, RunResult, Validity } from './types.ts';

export type MetricKey =
  | 'attempted'
  | 'acknowledged'
  | 'committed'
  | 'lost'
  | 'duplicatedDelivery'
  | 'duplicatedProcessing'
  | 'unexpected'
  | 'recovered'
  | 'deadLettered'
  | 'inversions'
  | 'fanOutMissing'
  | 'integrityMismatched'
  | 'e2eP50Ms'
  | 'e2eP99Ms'
  | 'e2eMaxMs';

export interface SummaryColumn {
  key: MetricKey;
  label: string;
  title: string;
  /** a value above zero is a problem worth highlighting */
  badWhenPositive?: boolean;
  unit?: 'ms';
  /** header group the column sits under (keeps the table narrow enough for 1400 px) */
  group: SummaryGroup;
}

export type SummaryGroup = 'volume' | 'delivery' | 'order, fan-out, integrity' | 'e2e latency ms';
export const SUMMARY_GROUPS: readonly SummaryGroup[] = ['volume', 'delivery', 'order, fan-out, integrity', 'e2e latency ms'];

export const SUMMARY_COLUMNS: readonly SummaryColumn[] = [
  { key: 'attempted', label: 'attempted', title: 'operations the load engine scheduled', group: 'volume' },
  { key: 'acknowledged', label: 'acked', title: 'operations the api acknowledged (2xx)', group: 'volume' },
  { key: 'committed', label: 'committed', title: 'operations stored in the database', group: 'volume' },
  { key: 'lost', label: 'lost', title: 'acknowledged but never committed', badWhenPositive: true, group: 'delivery' },
  { key: 'duplicatedDelivery', label: 'dup. deliv.', title: 'delivered more than once', group: 'delivery' },
  { key: 'duplicatedProcessing', label: 'dup. proc.', title: 'processed more than once', badWhenPositive: true, group: 'delivery' },
  { key: 'unexpected', label: 'unexp.', title: 'committed but never sent', badWhenPositive: true, group: 'delivery' },
  { key: 'recovered', label: 'recov.', title: 'send outcome unknown, later committed', group: 'delivery' },
  { key: 'deadLettered', label: 'dead-letter', title: 'moved to the poison / dead-letter queue (events: subscriber deliveries dead-lettered)', badWhenPositive: true, group: 'delivery' },
  { key: 'inversions', label: 'order inv.', title: 'per-song commits out of send order', badWhenPositive: true, group: 'order, fan-out, integrity' },
  { key: 'fanOutMissing', label: 'fan-out missing', title: 'subscriber deliveries that never arrived', badWhenPositive: true, group: 'order, fan-out, integrity' },
  { key: 'integrityMismatched', label: 'integrity', title: 'stored bytes differ from the upload (checksum)', badWhenPositive: true, group: 'order, fan-out, integrity' },
  { key: 'e2eP50Ms', label: 'p50', title: 'end-to-end latency from intended start, median', unit: 'ms', group: 'e2e latency ms' },
  { key: 'e2eP99Ms', label: 'p99', title: 'end-to-end latency from intended start, 99th percentile', unit: 'ms', group: 'e2e latency ms' },
  { key: 'e2eMaxMs', label: 'max', title: 'end-to-end latency from intended start, maximum', unit: 'ms', group: 'e2e latency ms' },
];

export interface SummaryRow {
  id: string;
  tech: string;
  /** flow name; null for a run that failed before producing flows */
  flow: string | null;
  kind: 'message' | 'event' | null;
  verdict: Validity;
  runStatus: RunResult['status'];
  /** undefined = not measured / not applicable (shown as "—", never as 0) */
  metrics: Record<MetricKey, number | undefined>;
  /**
 * why the verdict is not "valid": each check that is false or unknown, with its notes (latency
 * is always "unknown" by design, thresholds judge it, so it is not listed)
 */
  reasons: string[];
  note?: string;
}

export function verdictReasons(flow: FlowResult): string[] {
  return Object.entries(flow.checks)
    .filter(([, check]) => check.valid !== true && !(check.valid === 'unknown' && check.latency))
    .map(([name, check]) => {
      const state = check.valid === false ? 'failed' : 'unknown';
      return `${name}: ${state}${check.notes.length > 0 ? ` (${check.notes.join('; ')})` : ''}`;
    });
}

export function flowMetrics(flow: FlowResult): Record<MetricKey, number | undefined> {
  const e2e = latencyOf(flow, 'e2e');
  const queue = (count: CountKey<'total-queue'>) => flowCount(flow, 'total-queue', count);
  return {
    attempted: queue('attempted'),
    acknowledged: queue('acknowledged'),
    committed: queue('committed'),
    lost: queue('lost'),
    duplicatedDelivery: queue('duplicatedDelivery'),
    duplicatedProcessing: queue('duplicatedProcessing'),
    unexpected: queue('unexpected'),
    recovered: queue('recovered'),
    // queues: the poison / dead-letter queue; events: deliveries a subscriber's broker gave up on
    deadLettered: queue('deadLettered') ?? flowCount(flow, 'fan-out', 'deadLettered'),
    inversions: flowCount(flow, 'ordering', 'inversions'),
    fanOutMissing: flowCount(flow, 'fan-out', 'missing'),
    integrityMismatched: flowCount(flow, 'integrity', 'mismatched'),
    e2eP50Ms: e2e && e2e.count > 0 ? e2e.p50Ms : undefined,
    e2eP99Ms: e2e && e2e.count > 0 ? e2e.p99Ms : undefined,
    e2eMaxMs: e2e && e2e.count > 0 ? e2e.maxMs : undefined,
  };
}

const NO_METRICS = Object.fromEntries(SUMMARY_COLUMNS.map((c) => [c.key, undefined])) as Record<
  MetricKey,
  number | undefined
>;

export function summaryRows(results: Results): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const run of results.runs) {
    const flows = Object.entries(run.flows);
    if (flows.length === 0) {
      rows.push({
        id: `${run.tech}`,
        tech: run.tech,
        flow: null,
        kind: null,
        verdict: run.status === 'failed' ? false : run.valid,
        runStatus: run.status,
        metrics: { ...NO_METRICS },
        reasons: [run.error ?? 'no flow results'],
        note: run.error ?? 'no flow results',
      });
      continue;
    }
    for (const [name, flow] of flows) {
      rows.push({
        id: `${run.tech}/${name}`,
        tech: run.tech,
        flow: name,
        kind: flow.kind,
        verdict: flow.valid,
        runStatus: run.status,
        metrics: flowMetrics(flow),
        reasons: verdictReasons(flow),
        ...(run.status === 'failed' ? { note: run.error ?? 'run failed' } : {}),
      });
    }
  }
  return rows;
}

/** True when the value deserves a warning colour in its column. */
export function isBad(column: SummaryColumn, value: number | undefined): boolean {
  return column.badWhenPositive === true && value !== undefined && value > 0;
}
