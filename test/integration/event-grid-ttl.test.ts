/**
 * Event Grid, a webhook subscriber answering 500 for a window (issue 4): with a window shorter
 * than the event time to live every event is retried on the (time-scaled) schedule and arrives;
 * with a window longer than the TTL the emulator dead-letters to Blob what it could not deliver
 * in time, the subscriber reads its dead-letter blobs, and fan-out counts those events as
 * `deadLettered`, not `missing`. Real runs: emulators, backend processes, official SDKs.
 * Every expected figure comes from the scenario files and Event Grid's schedule.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite } from '../../fixtures/emulators/azurite/server.ts';
import { DeadLetterWriter } from '../../fixtures/event-grid/emulator/deadletter.ts';
import { RETRY_SCHEDULE_MS } from '../../fixtures/event-grid/emulator/schedule.ts';
import { DEV_ACCOUNT, DEV_ACCOUNT_KEY } from '../../fixtures/emulators/endpoints.ts';
import { DeadLetterWatcher, deadLetterPrefix } from '../../fixtures/event-grid/dead-letters.ts';
import type { IncomingMessage } from '../../fixtures/music-backend/transports/types.ts';
import { eventTtlMinutes } from '../../fixtures/event-grid/transport.ts';
import type { HopRecord } from '../../runner/contracts/history.ts';
import { runScenario } from '../../runner/run/run-scenario.ts';
import { loadScenario, validateScenario } from '../../runner/scenario/loader.ts';
import { eventGridConfig } from '../../fixtures/event-grid/profile.ts';

const SHORT = 'test/data/scenarios/eg-ttl-short.json';
const LONG = 'test/data/scenarios/eg-ttl-long.json';
const out = mkdtempSync(join(tmpdir(), 'moshpit-eg-ttl-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Timing { timeScale: number; ttlMs: number; firstRetryMs: number; outageMs: number }

/** The scaled TTL and first retry, and the subscriber-1 outage, as the scenario sets them. */
async function timing(path: string): Promise<Timing> {
  const { scenario } = await loadScenario(path);
  const timeScale = scenario.emulators.eventGrid.deliveryTimeScale;
  const outage = scenario.faults.find((f) => f.target === 'subscriber-1')!;
  return {
    timeScale,
    ttlMs: eventTtlMinutes(scenario.backend.consumer.eventTimeToLive) * 60_000 * timeScale,
    firstRetryMs: RETRY_SCHEDULE_MS[0]! * timeScale,
    outageMs: outage.for!,
  };
}

function history(runDir: string, proc: string): HopRecord[] {
  return readFileSync(join(runDir, 'history', `${proc}.jsonl`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as HopRecord);
}

describe('eventTtlMinutes', () => {
  it('rounds up to whole minutes and clamps to 1..1440; absent = 1440', () => {
    expect(eventTtlMinutes(undefined)).toBe(1440);
    expect(eventTtlMinutes(1)).toBe(1);
    expect(eventTtlMinutes(60_000)).toBe(1);
    expect(eventTtlMinutes(90_000)).toBe(2);
    expect(eventTtlMinutes(48 * 3_600_000)).toBe(1440);
  });
});

describe('DeadLetterWatcher against Azurite and the emulator\'s dead-letter writer', () => {
  it('tolerates a missing container, reports each blob\'s events once, only its own subscription, nothing after stop', async () => {
    const azurite = await startAzurite({ inMemory: true, services: ['blob'] });
    const errors: unknown[] = [];
    let watcher: DeadLetterWatcher | undefined;
    try {
      const connection = `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};BlobEndpoint=${azurite.blobEndpoint};`;
      const container = BlobServiceClient.fromConnectionString(connection).getContainerClient('run-1-deadletters');
      const seen: Array<{ message: IncomingMessage; reason: string }> = [];
      watcher = new DeadLetterWatcher(container, deadLetterPrefix('song-added', 'run-1-song-added-subscriber-1'), (message, reason) => seen.push({ message, reason }), (e) => errors.push(e));
      watcher.start();
      await new Promise((r) => setTimeout(r, 1200)); // two polls on a container that does not exist yet
      const writer = new DeadLetterWriter(connection);
      const event = (id: string) => ({ id, eventType: 'Moshpit.song-added', subject: `/songs/${id}`, data: { key: id, body: { songId: id } } });
      const record = (id: string) => ({ event: event(id), deadLetterReason: 'TimeToLiveExceeded', deliveryAttempts: 3, lastDeliveryOutcome: 'GenericError', lastHttpStatusCode: 500, publishMs: Date.now() });
      await writer.write('run-1-deadletters', 'song-added', 'run-1-song-added-subscriber-1', record('u1'));
      await writer.write('run-1-deadletters', 'song-added', 'run-1-song-added-subscriber-1', record('u2'));
      await writer.write('run-1-deadletters', 'song-added', 'run-1-song-added-subscriber-10', record('other')); // another subscription
      const deadline = Date.now() + 10_000;
      while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1200)); // more polls: nothing reported twice
      expect(seen.map((s) => s.message.id).sort()).toEqual(['u1', 'u2']);
      expect(seen[0]).toMatchObject({ reason: 'TimeToLiveExceeded', message: { deliveryCount: 3 } });
      expect(seen.find((s) => s.message.id === 'u1')!.message).toMatchObject({ key: 'u1', body: { songId: 'u1' } });
      await watcher.stop();
      await writer.write('run-1-deadletters', 'song-added', 'run-1-song-added-subscriber-1', record('late'));
      await new Promise((r) => setTimeout(r, 1200));
      expect(seen).toHaveLength(2);
      expect(errors).toEqual([]);
    } finally {
      await watcher?.stop();
      await azurite.close();
    }
  }, 30_000);
});

describe('scenario fields: backend.consumer.eventTimeToLive, emulators.eventGrid.deliveryTimeScale', () => {
  const base = { name: 'x', description: 'd', duration: '1s', load: { uploads: { rate: 1 } } };

  it('defaults keep Azure\'s behaviour: no TTL given (1440 min), time scale 1', () => {
    const scenario = validateScenario(base, 'x.json');
    expect(scenario.backend.consumer.eventTimeToLive).toBeUndefined();
    expect(eventTtlMinutes(scenario.backend.consumer.eventTimeToLive)).toBe(1440);
    expect(scenario.emulators.eventGrid.deliveryTimeScale).toBe(1);
    expect(eventGridConfig(scenario).deliveryTimeScale).toBe(1);
  });

  it('takes a duration and a time scale; the per-run emulator config carries the scale, topics kept', () => {
    const scenario = validateScenario({ ...base, backend: { consumer: { eventTimeToLive: '90s' } }, emulators: { eventGrid: { deliveryTimeScale: 0.05 } } }, 'x.json');
    expect(scenario.backend.consumer.eventTimeToLive).toBe(90_000);
    const config = eventGridConfig(scenario);
    expect(config.deliveryTimeScale).toBe(0.05);
    expect(config.topics.map((t: { name: string }) => t.name)).toEqual(['uploads', 'comments', 'song-added']);
  });

  it('bad values: one readable error naming each field', () => {
    const bad = { ...base, backend: { consumer: { eventTimeToLive: '0s' } }, emulators: { eventGrid: { deliveryTimeScale: -1, speed: 2 } } };
    let message = '';
    try { validateScenario(bad, 'bad.json'); } catch (error) { message = (error as Error).message; }
    expect(message).toMatch(/bad\.json: invalid scenario \(3 problems\)/);
    expect(message).toMatch(/backend\.consumer\.eventTimeToLive: expected a duration > 0/);
    expect(message).toMatch(/emulators\.eventGrid\.deliveryTimeScale: expected a positive number/);
    expect(message).toMatch(/emulators\.eventGrid: unknown field "speed"/);
    expect(() => validateScenario({ ...base, backend: { consumer: { eventTimeToLive: 'soon' } } }, 'x.json')).toThrow(/backend\.consumer\.eventTimeToLive: expected a duration/);
  });
});

describe('Event Grid: a subscriber answering 500 for a window, against the event TTL', () => {
  it('window shorter than the TTL: retried on the scaled schedule, nothing dead-lettered or missing', async () => {
    const t = await timing(SHORT);
    expect(t.outageMs).toBeLessThan(t.ttlMs); // the premise of this case
    const outcome = await runScenario({ scenarioPath: SHORT, out: join(out, 'short'), engine: 'builtin', report: false });
    const run = outcome.runs[0]!;
    expect(run.status, run.error).toBe('completed');
    expect(run.drain.drained).toBe(true);
    const fanOut = run.flows['song-added']!.checks['fan-out']!.counts;
    expect(fanOut.events).toBeGreaterThan(0);
    expect(fanOut.missing).toBe(0);
    expect(fanOut.deadLettered).toBe(0);
    expect(fanOut.delivered).toBe(fanOut.expected);
    // retries happened: subscriber-1 got events again, the slowest no sooner than the first retry
    const sub1 = history(join(out, 'short', 'event-grid'), 'subscriber-1');
    expect(sub1.some((r) => r.h === 'eventReceived' && (r.dc ?? 0) >= 2)).toBe(true);
    expect(run.flows['song-added']!.checks.latency!.latency!.event!.maxMs).toBeGreaterThanOrEqual(t.firstRetryMs);
    expect(run.flows.uploads!.checks['total-queue']!.counts.lost).toBe(0);
  }, 90_000);

  it('window longer than the TTL: dead-lettered (counted as such, not missing), the other subscriber got everything', async () => {
    const t = await timing(LONG);
    expect(t.outageMs).toBeGreaterThan(t.ttlMs);
    const outcome = await runScenario({ scenarioPath: LONG, out: join(out, 'long'), engine: 'builtin', report: false });
    const run = outcome.runs[0]!;
    expect(run.status, run.error).toBe('completed');
    expect(run.drain.drained).toBe(true); // the dead-letters settle subscriber-1's share
    const fanOut = run.flows['song-added']!.checks['fan-out']!.counts;
    expect(fanOut.deadLettered).toBeGreaterThan(0);
    expect(fanOut.missing).toBe(0);
    expect(fanOut.delivered + fanOut.deadLettered).toBe(fanOut.expected);
    expect(run.flows['song-added']!.valid).toBe(true);
    const uploads = run.flows.uploads!.checks['total-queue']!.counts;
    expect(uploads.lost).toBe(0);
    expect(uploads.deadLettered).toBe(0); // a subscriber's dead-letter is not the upload's
    const runDir = join(out, 'long', 'event-grid');
    // every dead-letter came from subscriber-1, because the TTL ran out
    const dead = history(runDir, 'subscriber-1').filter((r) => r.h === 'deadLettered');
    expect(new Set(dead.map((r) => r.op)).size).toBe(fanOut.deadLettered);
    expect(new Set(dead.map((r) => r.err))).toEqual(new Set(['TimeToLiveExceeded']));
    // subscriber-2 got every committed song
    const sub2 = new Set(history(runDir, 'subscriber-2').filter((r) => r.h === 'eventReceived').map((r) => r.op));
    expect(sub2.size).toBe(fanOut.events);
  }, 90_000);
});
