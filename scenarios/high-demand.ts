import { defineScenario } from 'moshpit';

/**
 * High demand: the product's founding problem. The database takes about 15 writes/s (one at a
 * time, 60 ms a write plus 0.1 ms per KiB: 60 ms a comment, about 73 ms an upload of 8-256 KiB);
 * the load ramps from three quarters of that to three times it (15 uploads/s and 30 comments/s),
 * holds the peak for 6 s and falls back. Queue workers are sized to the database (4 handlers).
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
  duration: '24s',
  drainLimit: '90s',
  load: {
    uploads: {
      startRate: 4,
      stages: [{ duration: '5s', target: 4 }, { duration: '4s', target: 15 }, { duration: '6s', target: 15 }, { duration: '4s', target: 4 }, { duration: '5s', target: 2 }],
      sizeBytes: { min: 8 * 1024, max: 256 * 1024 },
    },
    comments: {
      startRate: 8,
      stages: [{ duration: '5s', target: 8 }, { duration: '4s', target: 30 }, { duration: '6s', target: 30 }, { duration: '4s', target: 8 }, { duration: '5s', target: 4 }],
      songs: 20,
    },
    clientTimeoutMs: 10_000,
  },
  backend: {
    workers: { uploads: 1, comments: 1 },
    subscribers: 2,
    consumer: { mode: 'peek-lock', processing: 'idempotent', batchSize: 16, maxConcurrentCalls: 2 },
    database: { maxConcurrent: 1, writeMsPerOp: 60, writeMsPerKiB: 0.1, queueTimeoutMs: 500 },
    api: { requestTimeoutMs: 5000, maxConcurrentRequests: 48 },
  },
  expect: { thresholds: { lost: ['count == 0'] } },
});
