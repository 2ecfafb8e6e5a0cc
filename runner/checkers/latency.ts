/**
 * latency: HdrHistogram (hdr-histogram-js) per hop, from the INTENDED start of each operation
 * (no coordinated omission). Values are recorded as integer microseconds (ms with µs precision).
 * Message flows: publishDelay = sent − intended, request = acked − sent, broker = first
 * received − brokerAck, process = committed − first received, e2e = committed − intended.
 * song-added: event = eventReceived − committed (of the upload), e2e = eventReceived − intended.
 * Negative differences are clamped to 0 and counted in notes: a push broker (Event Grid) can
 * deliver before its acknowledgement reaches the publisher; otherwise it is clock skew.
 * valid = "unknown": thresholds judge latency later. Hops with no sample are left out.
 */
import * as hdr from 'hdr-histogram-js';
import type { CheckResult, LatencySummary } from '../results/schema.ts';
import { FLOW_UPLOADS, type HistoryIndex, type MessageFlowCode } from './index.ts';

/** Percentiles of the `curve` (log-scale friendly: dense towards 100). */
export const CURVE_PERCENTILES = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99, 100];

export class HopLatency {
  private readonly histogram = hdr.build({ bitBucketSize: 32, numberOfSignificantValueDigits: 3, autoResize: true });
  count = 0;
  clamped = 0;
  private minUs = Infinity;
  private maxUs = 0;
  private sumUs = 0;

  /** Records `toMs − fromMs` when both are known (NaN = hop not seen). */
  record(fromMs: number, toMs: number): void {
    const diffMs = toMs - fromMs;
    if (diffMs !== diffMs) return; // NaN: one side missing
    let us = Math.round(diffMs * 1000);
    if (us < 0) {
      us = 0;
      this.clamped++;
    }
    this.histogram.recordValue(us);
    this.count++;
    this.sumUs += us;
    if (us < this.minUs) this.minUs = us;
    if (us > this.maxUs) this.maxUs = us;
  }

  summary(): LatencySummary {
    const at = (p: number) => {
      if (p === 0) return this.minUs / 1000;
      if (p === 100) return this.maxUs / 1000;
      return Math.min(this.maxUs, Math.max(this.minUs, this.histogram.getValueAtPercentile(p))) / 1000;
    };
    return {
      count: this.count,
      minMs: this.minUs / 1000,
      meanMs: this.sumUs / this.count / 1000,
      p50Ms: at(50),
      p90Ms: at(90),
      p99Ms: at(99),
      p999Ms: at(99.9),
      maxMs: this.maxUs / 1000,
      curve: CURVE_PERCENTILES.map((percentile) => ({ percentile, valueMs: at(percentile) })),
    };
  }
}

function latencyResult(hops: Record<string, HopLatency>): CheckResult {
  const latency: Record<string, LatencySummary> = {};
  const counts: Record<string, number> = {};
  const notes: string[] = [];
  for (const [name, hop] of Object.entries(hops)) {
    counts[name] = hop.count;
    if (hop.count > 0) latency[name] = hop.summary();
    if (hop.clamped > 0) notes.push(`${name}: ${hop.clamped} negative difference(s) clamped to 0 (the later hop was recorded first: push delivery before the publisher saw the acknowledgement, or clock skew)`);
  }
  return { checker: 'latency', valid: 'unknown', counts, examples: {}, notes, latency };
}

export function checkMessageLatency(index: HistoryIndex, flow: MessageFlowCode): CheckResult {
  const hops = {
    publishDelay: new HopLatency(),
    request: new HopLatency(),
    broker: new HopLatency(),
    process: new HopLatency(),
    e2e: new HopLatency(),
  };
  const { tIntended, tSent, tAcked, tBrokerAck, tReceived, tCommitted } = index;
  for (let i = 0; i < index.size; i++) {
    if (index.flow[i] !== flow) continue;
    hops.publishDelay.record(tIntended[i], tSent[i]);
    hops.request.record(tSent[i], tAcked[i]);
    hops.broker.record(tBrokerAck[i], tReceived[i]);
    hops.process.record(tReceived[i], tCommitted[i]);
    hops.e2e.record(tIntended[i], tCommitted[i]);
  }
  return latencyResult(hops);
}

export function checkEventLatency(index: HistoryIndex): CheckResult {
  const hops = { event: new HopLatency(), e2e: new HopLatency() };
  const subs = index.subscribers.length;
  const { tIntended, tCommitted, eventFirstMs } = index;
  for (let i = 0; i < index.size; i++) {
    if (index.flow[i] !== FLOW_UPLOADS) continue;
    for (let s = 0, slot = i * subs; s < subs; s++, slot++) {
      const receivedMs = eventFirstMs[slot];
      hops.event.record(tCommitted[i], receivedMs);
      hops.e2e.record(tIntended[i], receivedMs);
    }
  }
  return latencyResult(hops);
}
