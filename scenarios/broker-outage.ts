import { defineScenario } from 'moshpit';

/** Broker outage: kill -9 the broker 10 s into the load and start it again 10 s later (same data). Durable emulators must lose nothing acknowledged; the api fails or stalls while it is down. */
export default defineScenario({
  name: 'broker-outage',
  description: 'kill -9 the broker at 10 s, restart it at 20 s: does anything acknowledged get lost, and how long until the backlog drains?',
  seed: 101,
  duration: '40s',
  drainLimit: '60s',
  load: { uploads: { rate: 10, sizeBytes: { min: 2048, max: 32768 } }, comments: { rate: 10, songs: 10 } },
  faults: [{ at: '10s', for: '10s', target: 'broker', fault: { type: 'kill' } }],
  expect: { thresholds: { lost: ['count == 0'], recovery: ['max < 30s'] } },
});
