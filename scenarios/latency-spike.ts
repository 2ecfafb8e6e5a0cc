import { defineScenario } from 'moshpit';

/** Latency spike: 300 ms ± 100 ms on every backend↔broker round trip for 15 s. */
export default defineScenario({
  name: 'latency-spike',
  description: '300 ms ± 100 ms added to the broker links for 15 s: how much of it reaches end-to-end latency, and does throughput hold?',
  seed: 103,
  duration: '40s',
  drainLimit: '60s',
  load: { uploads: { rate: 10, sizeBytes: { min: 2048, max: 32768 } }, comments: { rate: 10, songs: 10 } },
  faults: [{ at: '10s', for: '15s', target: 'broker', fault: { type: 'latency', latencyMs: 300, jitterMs: 100 } }],
  expect: { thresholds: { lost: ['count == 0'] } },
});
