/**
 * k6's own end-of-test figures (handleSummary JSON, one file per segment): client-side HTTP
 * latency and k6's dropped_iterations, cross-checked against the drops the history shows.
 */
import { existsSync, readFileSync } from 'node:fs';

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

/** One log line: k6's client-side figures over all segments, and the drop cross-check. */
export function describeK6Summary(segments: K6SegmentSummary[], droppedInHistory: number): string {
  if (!segments.length) return 'k6: no end-of-test summary (aborted?)';
  const reqs = segments.reduce((sum, s) => sum + s.httpReqs, 0);
  const dropped = segments.reduce((sum, s) => sum + s.droppedIterations, 0);
  const worst = (key: 'httpReqDurationP95Ms' | 'httpReqDurationP99Ms' | 'httpReqDurationMaxMs') => {
    const values = segments.map((s) => s[key]).filter((v): v is number => v !== undefined);
    return values.length ? `${Math.max(...values).toFixed(1)} ms` : 'n/a';
  };
  const check = dropped === droppedInHistory ? '' : ` (history shows ${droppedInHistory} dropped: the difference are iterations past the scenario's caps or cut by the end)`;
  return `k6: ${reqs} HTTP requests, http_req_duration p95 ${worst('httpReqDurationP95Ms')} p99 ${worst('httpReqDurationP99Ms')} max ${worst('httpReqDurationMaxMs')} (worst segment); dropped_iterations ${dropped}${check}`;
}
