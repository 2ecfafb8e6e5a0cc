import { defineScenario } from 'moshpit';

/** Connection resets: for 15 s, every new connection to the broker is reset 500 ms after its first data (TCP RST), on half of the connections. */
export default defineScenario({
  name: 'connection-resets',
  description: 'TCP resets on the broker links for 15 s: reconnects, retries and in-doubt sends (recovered vs indeterminate)',
  seed: 108,
  duration: '40s',
  drainLimit: '60s',
  load: { uploads: { rate: 10, sizeBytes: { min: 2048, max: 32768 } }, comments: { rate: 10, songs: 10 } },
  faults: [{ at: '10s', for: '15s', target: 'broker', fault: { type: 'reset_peer', timeoutMs: 500, toxicity: 0.5 } }],
  expect: { thresholds: { lost: ['count == 0'] } },
});
