/**
 * Event Hubs Standard's throughput-unit quota through the unmodified SDK: a flood of 3,000
 * 1 KB events/s for 5 s gets ServerBusy on a 1 TU namespace and is accepted at 1,000 events/s
 * (+-15%); with 4 TU the same flood passes. Slow (two 5 s floods): npm run test:slow.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resolveProfile } from '../../profiles/resolve.ts';
import { startEventHubs, type RunningEventHubs } from '../../fixtures/event-hubs/emulator/server.ts';
import { config } from '../emulators/event-hubs/helpers.ts';
import { floodEventHubs } from './flood.ts';

const HUB_CONFIG = config([{ Name: 'flood', PartitionCount: '2' }]);
let running: RunningEventHubs | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function flood(units: number) {
  const profile = resolveProfile('standard', { 'event-hubs': { units } }).techs['event-hubs'];
  running = await startEventHubs({ inMemory: true, config: HUB_CONFIG, profile: { ...profile, enforceLatency: false } });
  return floodEventHubs(running.connectionString, 'flood', { ratePerSecond: 3000, eventBytes: 1024, durationMs: 5000 });
}

describe('Event Hubs standard throughput units', () => {
  it('1 TU: a 3,000 events/s flood gets ServerBusy and is accepted at 1,000 events/s +-15%', async () => {
    const r = await flood(1);
    console.log(`1 TU: offered ${r.offered}, accepted ${r.accepted} (${r.acceptedPerSecond.toFixed(0)}/s), ServerBusy ${r.busy}, elapsed ${r.elapsedMs.toFixed(0)} ms`);
    expect(r.otherErrors).toEqual([]);
    expect(r.busy).toBeGreaterThan(0);
    expect(r.acceptedPerSecond).toBeGreaterThan(850);
    expect(r.acceptedPerSecond).toBeLessThan(1150);
  });

  it('4 TU: the same flood passes', async () => {
    const r = await flood(4);
    console.log(`4 TU: offered ${r.offered}, accepted ${r.accepted} (${r.acceptedPerSecond.toFixed(0)}/s), ServerBusy ${r.busy}`);
    expect(r.otherErrors).toEqual([]);
    expect(r.busy).toBe(0);
    expect(r.accepted).toBe(r.offered);
  });
});
