import { defineScenario } from 'moshpit';

/** Slow consumer: each message takes 400 ms to process with few handlers, so a backlog builds during the load and drains after it. */
export default defineScenario({
  name: 'slow-consumer-backlog',
  description: 'Consumers slower than the arrival rate: a backlog builds, latency grows with queue depth, everything is stored after the drain',
  seed: 106,
  duration: '30s',
  drainLimit: '120s',
  load: { uploads: { rate: 10, sizeBytes: { min: 2048, max: 16384 } }, comments: { rate: 10, songs: 10 } },
  backend: { workers: { uploads: 1, comments: 1 }, consumer: { processingTime: '400ms', maxConcurrentCalls: 2, visibilityTimeout: '60s' } },
  expect: { thresholds: { lost: ['count == 0'] } },
});
