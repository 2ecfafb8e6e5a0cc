/**
 * Network faults on a remote target (npm run test:slow; about a minute): moshpit's emulators
 * started separately stand in for Azure under a host name that is not loopback,
 * `moshpit-remote.test`, resolved only through MOSHPIT_HOSTS (as a namespace's name resolves to
 * Azure). The run needs --allow-remote, and the fault proxy must sit between the backend and
 * the broker without renaming it: the backend keeps the host name in its connection string and
 * reaches the proxy through the SDKs' customEndpointAddress. 300 ms of latency then a partition
 * on the broker links: the api's requests get slower (so the traffic went through the proxy),
 * nothing acknowledged is lost, both windows are recorded.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExternalEmulators, type ExternalEmulators } from '../helpers/external-emulators.ts';
import { runScenario } from '../../runner/run/run-scenario.ts';
import { HOSTS_ENV, installHostsFromEnv } from '../../fixtures/emulators/common/hosts.ts';
import type { EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';

const REMOTE = 'moshpit-remote.test';
const dir = mkdtempSync(join(tmpdir(), 'moshpit-remote-faults-'));
const targetFile = join(dir, 'target.json');
let emulators: ExternalEmulators | undefined;

beforeAll(async () => {
  process.env[HOSTS_ENV] = `${REMOTE}=127.0.0.1`; // this process (the runner) and, inherited, the backend's
  installHostsFromEnv();
  emulators = await startExternalEmulators(['--only', 'storage,service-bus,event-hubs']);
  const line = emulators.line;
  const endpoints = JSON.parse(line) as EmulatorEndpoints;
  const rename = (cs: string) => cs.replace(/sb:\/\/127\.0\.0\.1/, `sb://${REMOTE}`);
  endpoints.serviceBus!.connectionString = rename(endpoints.serviceBus!.connectionString);
  endpoints.eventHubs!.connectionString = rename(endpoints.eventHubs!.connectionString);
  writeFileSync(targetFile, JSON.stringify(endpoints));
}, 90_000);

afterAll(async () => {
  delete process.env[HOSTS_ENV];
  await emulators?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('network faults on a remote target (host names kept, customEndpointAddress to the proxy)', () => {
  it('is refused without --allow-remote, and with it the faults reach the broker links: slower, nothing lost', async () => {
    const options = { scenarioPath: 'test/data/scenarios/network-faults.json', engine: 'builtin', report: false, target: targetFile, tech: 'service-bus,event-hubs' };
    await expect(runScenario({ ...options, out: join(dir, 'refused') })).rejects.toThrow(new RegExp(`sb://${REMOTE}.*not a loopback address.*--allow-remote`));
    const outcome = await runScenario({ ...options, out: join(dir, 'run'), allowRemote: true });
    for (const run of outcome.runs) {
      expect(run.status, `${run.tech}: ${run.error}`).toBe('completed');
      expect(run.target).toBe('external');
      expect(run.errors.filter((e) => e.includes('fault')), run.tech).toEqual([]);
      expect(run.faults.map((f) => [f.id, f.type])).toEqual([['fault-1', 'latency'], ['fault-2', 'partition']]);
      expect(run.flows.uploads!.checks['total-queue']!.counts.lost, run.tech).toBe(0);
      expect(run.flows.comments!.checks['total-queue']!.counts.lost, run.tech).toBe(0);
      // 300 ms on every broker round trip shows in the api's request time: the traffic went through the proxy
      expect(run.flows.uploads!.checks.latency!.latency!.request!.maxMs, run.tech).toBeGreaterThanOrEqual(300);
    }
  }, 300_000);
});
