import { defineScenario } from 'moshpit';

/** Throttling: the broker answers half of the requests with its server-busy error for 15 s (as Azure does under quota). */
export default defineScenario({
  name: 'throttling',
  description: 'Broker-side throttling (server busy) on half of the requests for 15 s: SDK retries, api errors, and whether anything acknowledged is lost',
  seed: 107,
  duration: '40s',
  drainLimit: '60s',
  load: { uploads: { rate: 10, sizeBytes: { min: 2048, max: 32768 } }, comments: { rate: 10, songs: 10 } },
  faults: [{ at: '10s', for: '15s', target: 'broker', fault: { type: 'throttle', ratio: 0.5 } }],
  expect: { thresholds: { lost: ['count == 0'] } },
});
