import { defineScenario } from 'moshpit';

/**
 * Smoke: a short, gentle run that exercises every hop once per technology — uploads (some over
 * the 64 KiB queue limit, so the claim-check path runs), ordered comments on a few songs, and
 * song-added fan-out to two subscribers. No faults: every flow must come out with lost == 0.
 */
export default defineScenario({
  name: 'smoke',
  description: 'Gentle 20-second run with no faults: every acknowledged upload and comment must be stored, every event delivered',
  seed: 42,
  duration: '20s',
  drainLimit: '30s',
  load: {
    uploads: { rate: 5, sizeBytes: { min: 4 * 1024, max: 128 * 1024 } },
    comments: { rate: 10, songs: 5 },
  },
  backend: {
    workers: { uploads: 2, comments: 1 },
    subscribers: 2,
    consumer: { mode: 'peek-lock', processing: 'idempotent', batchSize: 32, visibilityTimeout: '30s', maxDeliveryCount: 5 },
  },
  expect: { thresholds: { lost: ['count == 0'] } },
});
