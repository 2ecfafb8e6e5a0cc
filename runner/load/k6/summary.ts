/**
 * k6's own end-of-test figures (handleSummary JSON, one file per segment): client-side HTTP
 * latency and k6's dropped_iterations, cross-checked against the drops the history shows.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { K6LoadFigures } from '../../results/schema.ts';

export interface K6SegmentSummary {
  httpReqs: number;
  droppedIterations: number;
  httpReqDurationP95Ms?: number;
  httpReqDurationP99Ms?: number;
  httpReqDurationMaxMs?: number;
}

type Metrics = Record<string, { values?: Record<string, number> } | undefined>;

/** Reads one segment's summary; undefined when k6 wrote none (e.g. aborted). */
export function readK6Summary(path: string): K6SegmentSummary | undefined {
  if (!existsSync(path)) return undefined;
  let metrics: Metrics;
  try {
    metrics = (JSON.parse(readFileSync(path, 'utf8')) as { metrics?: Metrics }).metrics ?? {};
  } catch (error) {
    throw new Error(`k6 summary ${path} is not JSON (${(error as Error).message})`);
  }
  const value = (metric: string, stat: string) => metrics[metric]?.values?.[stat];
  return {
    httpReqs: value('http_reqs', 'count') ?? 0,
    droppedIterations: value('dropped_iterations', 'count') ?? 0,
    httpReqDurationP95Ms: value('http_req_duration', 'p(95)'),
    httpReqDurationP99Ms: value('http_req_duration', 'p(99)'),
    httpReqDurationMaxMs: value('http_req_duration', 'max'),
  };
}

/**
 * Merges every segment's summary into the run's figures (results `load.k6`); undefined when
 * no segment wrote one. Counts add up; p95/p99 are the worst segment's (k6 cannot merge
 * percentiles of separate processes); max is exact.
 */
export function mergeK6Summaries(segments: K6SegmentSummary[], droppedInHistory: number): K6LoadFigures | undefined {
  if (!segments.length) return undefined;
  const worst = (key: 'httpReqDurationP95Ms' | 'httpReqDurationP99Ms' | 'httpReqDurationMaxMs'): number | null => {
    const values = segments.map((s) => s[key]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    return values.length ? Math.max(...values) : null;
  };
  const droppedIterations = segments.reduce((sum, s) => sum + s.droppedIterations, 0);
  return {
    segments: segments.length,
    httpRequests: segments.reduce((sum, s) => sum + s.httpReqs, 0),
    droppedIterations,
    httpReqDurationMs: { p95: worst('httpReqDurationP95Ms'), p99: worst('httpReqDurationP99Ms'), max: worst('httpReqDurationMaxMs') },
    droppedCrossCheck: droppedIterations === droppedInHistory,
  };
}

/** One log line: k6's client-side figures over all segments, and the drop cross-check. */
export function describeK6Summary(figures: K6LoadFigures | undefined, droppedInHistory: number): string {
  if (!figures) return 'k6: no end-of-test summary (aborted?)';
  const ms = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(1)} ms`);
  const { p95, p99, max } = figures.httpReqDurationMs;
  const check = figures.droppedCrossCheck ? '' : ` (history shows ${droppedInHistory} dropped: the difference are iterations past the scenario's caps or cut by the end)`;
  const scope = figures.segments > 1 ? ' (worst segment)' : '';
  return `k6: ${figures.httpRequests} HTTP requests, http_req_duration p95 ${ms(p95)} p99 ${ms(p99)}${scope} max ${ms(max)}; dropped_iterations ${figures.droppedIterations}${check}`;
}
