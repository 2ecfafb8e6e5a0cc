/**
 * calibrate against moshpit's emulators standing in for a remote target: started separately
 * (`moshpit emulators start --json`, the ready line saved as the target file), `calibrate` with
 * 5 calls per operation on all four technologies. The profile it writes validates, says
 * calibrated with its source and date on every measured value, keeps the tier's estimate where
 * nothing was measured, and `run --profile FILE --dry-run` accepts it; the calibration's
 * entities are gone afterwards. (The figures themselves are loopback timings: not asserted.)
 * Then the Event Hubs backlog read through the SDK (targets without control APIs): the events
 * calibrate left in uploads partition 0 are not yet received by the uploads workers. And
 * `compare --target` on the same brokers: the smoke runs there, the broker kill is skipped with
 * its reason, and the comparison says its brokers were a target's (latency not representative).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useExternalEmulators } from '../helpers/external-emulators.ts';
import { calibrate } from '../../runner/calibrate/run.ts';
import { resolveProfile } from '../../profiles/resolve.ts';
import { profileFileSchema } from '../../profiles/schema.ts';
import { listStorageEntities } from '../../runner/target/storage.ts';
import { listServiceBusEntities } from '../../fixtures/service-bus/target.ts';
import { sdkBacklogProbe } from '../../runner/run/backlog/registry.ts';
import { runCompare } from '../../runner/compare/run-suite.ts';
import { fileURLToPath } from 'node:url';

const { dir, targetFile, endpoints: external } = useExternalEmulators('calibrate');

describe('moshpit calibrate --target (moshpit emulators started separately)', () => {
  it('writes a calibrated profile that validates and that run --profile FILE accepts; cleans up', async () => {
    const out = join(dir, 'calibrated.json');
    const log: string[] = [];
    const { measured } = await calibrate({ target: targetFile, ops: 5, out, name: 'calibrated-test', allowRemote: false, dryRun: false, bodyBytes: 256, log: (l) => log.push(l) });
    expect(measured.map((m) => m.tech)).toEqual(['storage-queue', 'service-bus', 'event-hubs', 'event-grid']);

    const file = profileFileSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(file.kind).toBe('calibrated');
    expect(Object.keys(file.tiers['service-bus']!.latency!)).toEqual(['send', 'receive', 'complete']);
    expect(Object.keys(file.tiers['storage-queue']!.latency!)).toEqual(['send', 'receive', 'complete', 'blobPut', 'blobGet']);
    expect(Object.keys(file.tiers['event-hubs']!.latency!)).toEqual(['send', 'receive', 'checkpoint']);

    const resolved = resolveProfile(out);
    expect(resolved.kind).toBe('calibrated');
    const send = resolved.techs['service-bus'].latency.send!;
    expect(send.origin).toBe('calibrated');
    expect(send.source).toBe('moshpit calibrate against 127.0.0.1 (moshpit-emulator)');
    expect(send.basis).toMatch(/^measured: 5 calls one at a time/);
    // nothing measured it: the tier's estimate, labelled so
    expect(resolved.techs['event-grid'].latency.pushDelivery!.origin).toBe('estimate');
    expect(log.join('\n')).toContain('pushDelivery not measured');

    const dry = spawnSync(process.execPath, ['bin/moshpit.mjs', 'run', 'scenarios/smoke.ts', '--profile', out, '--dry-run'], { encoding: 'utf8', timeout: 60_000 });
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('azure profile: calibrated-test (v1, calibrated');

    const storage = await listStorageEntities(external().storage!, 'mp-');
    expect([...storage.queues, ...storage.containers].filter((n) => n.endsWith('-calibrate'))).toEqual([]);
    expect((await listServiceBusEntities(external().serviceBus!, 'mp-')).filter((n) => n.endsWith('-calibrate'))).toEqual([]);
  });

  it('reads an Event Hubs backlog through the SDK (no control API): the events calibrate left, per partition', async () => {
    const probe = sdkBacklogProbe('event-hubs')!;
    const context = { endpoints: { eventHubs: { connectionString: external().eventHubs!.connectionString, controlUrl: '' } }, subscribers: ['subscriber-1'] };
    const before = await probe.read({ ...context, received: new Map() });
    expect(before).toEqual([{ entity: 'uploads/uploads', flow: 'uploads', count: 10, detail: 'not yet received: partition 0: 10' }]);
    const after = await probe.read({ ...context, received: new Map([['uploads', new Map([['0', 9]])]]) });
    expect(after).toEqual([]);
  });

  it('compare --target runs the suite on those brokers, skips what they cannot run, and says so', async () => {
    const lines: string[] = [];
    const suite = fileURLToPath(new URL('./fixtures/target-suite.json', import.meta.url));
    const { comparison } = await runCompare({ suite, tech: 'storage-queue', target: targetFile, out: join(dir, 'compare'), engine: 'builtin', report: false, log: (l) => lines.push(l) });
    expect(comparison.runs.map((r) => [r.scenario, r.tech, r.status])).toEqual([['tiny-smoke', 'storage-queue', 'completed']]);
    expect(comparison.skipped).toEqual([{ scenario: 'broker-kill', tech: 'storage-queue', reason: expect.stringContaining("needs moshpit's embedded emulators") }]);
    expect(comparison.target).toEqual({ file: targetFile, kind: 'external' });
    expect(comparison.profile).toMatchObject({ name: `target ${targetFile}`, latencyRepresentative: false, tiers: { 'storage-queue': { tier: 'standard' } } });
    expect(lines.join('\n')).toMatch(/target .*target\.json; out/);
    expect(lines.join('\n')).toContain('skipped on the target: broker-kill × storage-queue');
  }, 120_000);
});
