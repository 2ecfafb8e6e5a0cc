/**
 * The profile the benchmarks use to price the tier's bookkeeping: the `standard` tiers with
 * quotas on at rates no benchmark reaches (so every operation pays the token buckets but none is
 * refused) and the latency model off (so nothing is slept). Written as a profile JSON file, the
 * same shape a user's or a calibrated profile has (profiles/schema.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HUGE = 1e9;

export function writeBookkeepingProfile(dir: string): string {
  const file = join(dir, 'bench-bookkeeping.profile.json');
  writeFileSync(file, JSON.stringify({
    version: 1,
    name: 'bench-bookkeeping',
    description: 'standard tiers, quotas on at 1e9/s (never refused), latency model off: the cost of the bookkeeping alone',
    quotas: true,
    latency: false,
    tiers: {
      'storage-queue': { tier: 'standard', quotas: { messagesPerSecondPerQueue: HUGE, requestsPerSecondPerAccount: HUGE } },
      'event-grid': { tier: 'basic', quotas: { eventsPerSecondPerTopic: HUGE, bytesPerSecondPerTopic: HUGE } },
    },
  }));
  return file;
}
