import { defineScenario } from 'moshpit';

/** Poison messages: every 20th upload can never be processed. After maxDeliveryCount deliveries it goes to the poison / dead-letter queue; the rest must flow around it. */
export default defineScenario({
  name: 'poison-message',
  description: 'Every 20th upload is a poison message: it is retried maxDeliveryCount times, then dead-lettered (reported as dead-lettered, not lost) while the rest keeps flowing',
  seed: 110,
  duration: '30s',
  drainLimit: '120s',
  load: { uploads: { rate: 10, sizeBytes: { min: 2048, max: 16384 }, poisonEvery: 20 }, comments: { rate: 10, songs: 10 } },
  backend: { consumer: { visibilityTimeout: '5s', maxDeliveryCount: 3 } },
  expect: { thresholds: { lost: ['count == 0'] } },
});
