import { defineScenario } from 'moshpit';

/** Bandwidth squeeze: the broker links carry 64 KB/s for 15 s while uploads up to 128 KiB keep coming. */
export default defineScenario({
  name: 'bandwidth-squeeze',
  description: 'Squeeze the broker links to 64 KB/s for 15 s under 128 KiB uploads: claim-check blobs vs inline messages, backlog and recovery',
  seed: 104,
  duration: '40s',
  drainLimit: '90s',
  load: { uploads: { rate: 5, sizeBytes: { min: 16384, max: 131072 } }, comments: { rate: 10, songs: 10 } },
  faults: [{ at: '10s', for: '15s', target: 'broker', fault: { type: 'bandwidth', rateKBps: 64 } }],
  expect: { thresholds: { lost: ['count == 0'] } },
});
