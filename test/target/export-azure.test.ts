/** `moshpit export azure` (in process, pure files): the template holds what a run cannot create; its target file loads. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportAzure } from '../../runner/commands/export-azure.ts';
import { loadTarget } from '../../runner/target/resolve.ts';

const dir = mkdtempSync(join(tmpdir(), 'moshpit-export-azure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('export azure', () => {
  it('writes main.bicep with the namespaces, hubs, consumer groups and topics, and a target file naming env vars', async () => {
    const lines = await exportAzure({ scenario: 'scenarios/smoke.ts', out: dir });
    expect(lines.join('\n')).toContain('az deployment group create');
    const bicep = readFileSync(join(dir, 'main.bicep'), 'utf8');
    for (const text of ["Microsoft.Storage/storageAccounts@", "Microsoft.ServiceBus/namespaces@", "name: 'song-added'", "name: 'subscriber-2'", "Microsoft.EventGrid/topics@", "parent: hubSongAdded"]) expect(bicep).toContain(text);
    expect(bicep).not.toMatch(/listKeys|primaryKey/); // no secret in outputs
    const env = { MOSHPIT_STORAGE_CONNECTION: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=a2V5', MOSHPIT_SERVICE_BUS_CONNECTION: 'Endpoint=sb://n.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=x', MOSHPIT_EVENT_HUBS_CONNECTION: 'Endpoint=sb://e.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=y' };
    // (the event-grid section holds placeholders to fill: the topic endpoints come from the deployment's outputs)
    const noGrid = join(dir, 'no-grid');
    await exportAzure({ scenario: 'scenarios/smoke.ts', out: noGrid, tech: 'storage-queue,service-bus,event-hubs' });
    const target = loadTarget(join(noGrid, 'target.json'), ['storage-queue', 'service-bus', 'event-hubs'], env);
    expect(target.kinds).toEqual({ storage: 'azure', serviceBus: 'azure', eventHubs: 'azure' });
  });

  it('writes only what the chosen technologies need', async () => {
    const out = join(dir, 'sq');
    await exportAzure({ scenario: 'scenarios/smoke.ts', out, tech: 'storage-queue' });
    const bicep = readFileSync(join(out, 'main.bicep'), 'utf8');
    expect(bicep).toContain('Microsoft.Storage/storageAccounts@');
    expect(bicep).not.toContain('Microsoft.ServiceBus');
    expect(bicep).not.toContain('Microsoft.EventHub');
  });
});
