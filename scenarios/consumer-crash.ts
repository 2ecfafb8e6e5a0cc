import { defineScenario } from 'moshpit';

/** Consumer crash: kill -9 an upload worker and a comment worker mid-run and start them again 10 s later. Peek-lock redelivers what they held (duplicates, maybe reordering); receive-and-delete would lose it. */
export default defineScenario({
  name: 'consumer-crash',
  description: 'kill -9 workers mid-run, restart them 10 s later: messages they held come back after the visibility timeout / lock (duplicates, reordering), never lost with peek-lock',
  seed: 105,
  duration: '40s',
  drainLimit: '90s',
  load: { uploads: { rate: 10, sizeBytes: { min: 2048, max: 32768 } }, comments: { rate: 10, songs: 10 } },
  backend: { workers: { uploads: 2, comments: 2 }, consumer: { visibilityTimeout: '10s', processingTime: '200ms' } },
  faults: [
    { at: '10s', for: '10s', target: 'worker-uploads-1', fault: { type: 'kill' } },
    { at: '12s', for: '10s', target: 'worker-comments-1', fault: { type: 'kill' } },
  ],
  expect: { thresholds: { lost: ['count == 0'] } },
});
