/**
 * Raw end-to-end latency samples of one run, read back from its history (the checkers keep only
 * an HdrHistogram summary). The same definition as the latency checker: message flows
 * committed − intended, song-added eventReceived − intended per subscriber, negatives clamped
 * to 0. The samples give `compare` exact order-statistic intervals and let --repeat merge runs.
 */
import { FLOW_COMMENTS, FLOW_UPLOADS, HistoryIndex } from '../checkers/index.ts';
import { readHistoryDir } from '../history/reader.ts';

export type FlowSamples = Record<string, number[]>;

export async function e2eSamples(historyDir: string, subscribers: string[], startedAtMs: number): Promise<FlowSamples> {
  const index = new HistoryIndex({ subscribers, startedAtMs });
  await readHistoryDir(historyDir, (record) => index.add(record));
  const uploads: number[] = [];
  const comments: number[] = [];
  const events: number[] = [];
  const subs = index.subscribers.length;
  for (let i = 0; i < index.size; i++) {
    const intended = index.tIntended[i]!;
    if (intended !== intended) continue;
    const flow = index.flow[i];
    const committed = index.tCommitted[i]!;
    if (committed === committed && (flow === FLOW_UPLOADS || flow === FLOW_COMMENTS)) (flow === FLOW_UPLOADS ? uploads : comments).push(Math.max(0, committed - intended));
    if (flow !== FLOW_UPLOADS) continue;
    for (let s = 0; s < subs; s++) {
      const received = index.eventFirstMs[i * subs + s]!;
      if (received === received) events.push(Math.max(0, received - intended));
    }
  }
  return { uploads, comments, 'song-added': events };
}
