import { defineScenario } from 'moshpit';

/** Subscriber outage: one song-added subscriber fails every delivery for 20 s (a webhook answering 500, a queue consumer abandoning), then recovers. */
export default defineScenario({
  name: 'subscriber-outage',
  description: 'subscriber-1 fails every song-added delivery for 20 s: Event Grid retries on its schedule, queues redeliver after the visibility timeout; does every subscriber still get every event?',
  seed: 109,
  duration: '40s',
  drainLimit: '120s',
  load: { uploads: { rate: 5, sizeBytes: { min: 2048, max: 16384 } } },
  backend: { subscribers: 2, consumer: { visibilityTimeout: '10s', maxDeliveryCount: 10 } },
  faults: [{ at: '10s', for: '20s', target: 'subscriber-1', fault: { type: 'consumer-error' } }],
  expect: { thresholds: { fanout_missing: ['count == 0'] } },
});
