/**
 * Backlog depth over time: from the load's start until the drain ends, about once a second, the
 * technology's backlog probe (the drain's own, runner/run/backlog/) reads what waits in the
 * broker, summed per flow. This is load levelling made visible: while demand exceeds what the
 * database takes, the backlog grows; after the peak it drains. Event Hubs' probe needs how far
 * each consumer got: a DrainLedger of its own, fed from its own tail of the consumers'
 * histories (the drain's tail is left alone). A tick that cannot read the broker is skipped.
 */
import type { EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';
import type { TimelinePoint } from '../results/schema.ts';
import type { BacklogProbe } from './backlog/types.ts';
import { DrainLedger } from './drain-ledger.ts';
import { createRecordTail } from './record-tail.ts';

export interface BacklogSample {
  /** ms since the load started */
  tMs: number;
  total: number;
  byFlow: Record<string, number>;
}

export interface BacklogSamplerOptions {
  probe: BacklogProbe;
  endpoints: EmulatorEndpoints;
  subscribers: readonly string[];
  /** the workers' and subscribers' history files (Event Hubs positions) */
  consumerHistories: string[];
  startMs: number;
  intervalMs?: number;
  now?: () => number;
}

export interface BacklogSampler {
  /** one sample now (also what each tick does); skipped while the previous one is still reading */
  sample(): Promise<void>;
  /** stops ticking, takes a last sample, returns them all in time order */
  stop(): Promise<BacklogSample[]>;
}

export function startBacklogSampler(options: BacklogSamplerOptions): BacklogSampler {
  const now = options.now ?? Date.now;
  const ledger = new DrainLedger([]);
  const tail = createRecordTail(options.consumerHistories);
  const samples: BacklogSample[] = [];
  let reading: Promise<void> | undefined;
  const sample = (): Promise<void> => {
    if (reading) return reading;
    reading = (async () => {
      try {
        for (const record of tail()) ledger.add(record);
        const backlogs = await options.probe.read({ endpoints: options.endpoints, received: ledger.received, subscribers: options.subscribers });
        const byFlow: Record<string, number> = { uploads: 0, comments: 0, 'song-added': 0 };
        for (const b of backlogs) byFlow[b.flow] = (byFlow[b.flow] ?? 0) + b.count;
        samples.push({ tMs: now() - options.startMs, total: Object.values(byFlow).reduce((a, b) => a + b, 0), byFlow });
      } catch {
        // broker down or slow (a fault may be on): no sample this tick
      } finally {
        reading = undefined;
      }
    })();
    return reading;
  };
  void sample();
  const timer = setInterval(() => void sample(), options.intervalMs ?? 1000);
  timer.unref();
  return {
    sample,
    async stop() {
      clearInterval(timer);
      await reading;
      await sample();
      return [...samples].sort((a, b) => a.tMs - b.tMs);
    },
  };
}

/**
 * The timeline with each second's backlog (the last sample taken in it; a second with no sample
 * keeps the one before). Seconds after the last recorded operation (a long drain) get points
 * with zero operations, so the chart shows the backlog falling back to 0.
 */
export function withBacklog(timeline: TimelinePoint[], samples: BacklogSample[]): TimelinePoint[] {
  if (samples.length === 0) return timeline;
  const bySecond = new Map<number, BacklogSample>();
  for (const s of samples) bySecond.set(Math.max(0, Math.floor(s.tMs / 1000)), s);
  const lastSecond = Math.max(timeline.length - 1, ...bySecond.keys());
  const out: TimelinePoint[] = [];
  let current: BacklogSample | undefined;
  for (let t = 0; t <= lastSecond; t++) {
    current = bySecond.get(t) ?? current;
    const point = timeline[t] ?? { t, offered: 0, acknowledged: 0, committed: 0, errors: 0 };
    out.push(current ? { ...point, backlog: current.total, backlogByFlow: current.byFlow } : point);
  }
  return out;
}
