import { defineScenario } from 'moshpit';

/**
 * Steady: a minute of sustained traffic with a ramp, to compare latency and throughput of the
 * technologies when nothing breaks. Larger uploads than smoke, more songs commented on.
 */
export default defineScenario({
  name: 'steady',
  description: 'One minute of sustained load (ramp to 20 uploads/s and 40 comments/s) with no faults: baseline latency and throughput',
  seed: 7,
  duration: '60s',
  drainLimit: '60s',
  load: {
    uploads: { stages: [{ duration: '10s', target: 20 }, { duration: '50s', target: 20 }], sizeBytes: { min: 8 * 1024, max: 256 * 1024 } },
    comments: { stages: [{ duration: '10s', target: 40 }, { duration: '50s', target: 40 }], songs: 40 },
  },
  backend: {
    workers: { uploads: 3, comments: 2 },
    subscribers: 3,
    consumer: { mode: 'peek-lock', processing: 'idempotent', batchSize: 32, maxConcurrentCalls: 16 },
  },
  expect: { thresholds: { lost: ['count == 0'], e2e_latency: ['p(99) < 2000'] } },
});
