import { defineScenario } from 'moshpit';

/**
 * High demand: the product's founding problem. The database takes about 45 writes/s (2 at once,
 * 40 ms a write plus 0.1 ms per KiB); the load ramps from two thirds of that to three times it
 * (45 uploads/s of 8-256 KiB and 90 comments/s), holds the peak for 8 s and falls back.
 * - direct (no broker): the api writes inside the request; beyond capacity writes queue, wait
 *   500 ms and fail, so a user sees a share of uploads and comments fail (503) at the peak.
 * - queues (storage-queue, service-bus, ...): the api only enqueues, so no user sees a failure;
 *   workers write at the database's pace, the backlog grows during the peak and drains after
 *   it, and end-to-end latency grows and falls with it (load levelling).
 */
export default defineScenario({
  name: 'high-demand',
  description: 'Ramp to three times the database capacity and back: direct fails uploads and comments at the peak, queues level the load (backlog and latency rise, nothing fails)',
  seed: 15,
  duration: '28s',
  drainLimit: '90s',
  load: {
    uploads: {
      startRate: 5,
      stages: [{ duration: '5s', target: 10 }, { duration: '5s', target: 45 }, { duration: '8s', target: 45 }, { duration: '5s', target: 10 }, { duration: '5s', target: 5 }],
      sizeBytes: { min: 8 * 1024, max: 256 * 1024 },
    },
    comments: {
      startRate: 10,
      stages: [{ duration: '5s', target: 20 }, { duration: '5s', target: 90 }, { duration: '8s', target: 90 }, { duration: '5s', target: 20 }, { duration: '5s', target: 10 }],
      songs: 20,
    },
    clientTimeoutMs: 10_000,
  },
  backend: {
    workers: { uploads: 2, comments: 1 },
    subscribers: 2,
    consumer: { mode: 'peek-lock', processing: 'idempotent', batchSize: 16, maxConcurrentCalls: 4 },
    database: { maxConcurrent: 2, writeMsPerOp: 40, writeMsPerKiB: 0.1, queueTimeoutMs: 500 },
    api: { requestTimeoutMs: 5000, maxConcurrentRequests: 48 },
  },
  expect: { thresholds: { lost: ['count == 0'] } },
});
