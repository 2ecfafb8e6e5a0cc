import { defineScenario } from 'moshpit';

/** Network partition: the links between the backend and the broker hold all traffic for 8 s (sockets stay open), then heal. */
export default defineScenario({
  name: 'network-partition',
  description: 'Blackhole the backend↔broker links for 8 s: requests stall, SDK retries and timeouts kick in; nothing acknowledged may be lost',
  seed: 102,
  duration: '30s',
  drainLimit: '60s',
  load: { uploads: { rate: 10, sizeBytes: { min: 2048, max: 32768 } }, comments: { rate: 10, songs: 10 } },
  faults: [{ at: '10s', for: '8s', target: 'broker', fault: { type: 'partition' } }],
  expect: { thresholds: { lost: ['count == 0'], recovery: ['max < 30s'] } },
});
