import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzureKeyCredential, EventGridPublisherClient } from '@azure/eventgrid';
import { afterAll, describe, expect, it } from 'vitest';
import { control, startWebhook, webhookSubscription, type TestWebhook } from './helpers.ts';
import { startEmulatorChild, type ChildOptionsInput } from '../../../fixtures/emulators/child-process.ts';

const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'moshpit-eg-durable-'));
let hook: TestWebhook | undefined;

interface Ready { eventGrid: { topics: Record<string, { endpoint: string; key: string }>; controlUrl: string } }

/** The emulator through the one child entry (child.ts), so it can be SIGKILLed; its control API takes this process's key (control() in helpers.ts). */
async function startChild(options: Omit<ChildOptionsInput, 'name'>): Promise<{ child: ChildProcess; ready: Ready }> {
  const started = await startEmulatorChild({ name: 'event-grid', ...options });
  children.push(started.process);
  return { child: started.process, ready: started.ready as Ready };
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await hook?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('durability', () => {
  it('accepted, undelivered events survive kill -9 and are delivered after restart', async () => {
    hook = await startWebhook();
    const configPath = join(dir, 'eg.json');
    writeFileSync(configPath, JSON.stringify({ deliveryTimeScale: 0.01, topics: [{ name: 'durable' }] }));
    const args = { configFiles: [configPath], dataDir: join(dir, 'data') };
    const first = await startChild(args);
    const { controlUrl, topics } = first.ready.eventGrid;
    expect((await control(controlUrl, 'PUT', '/topics/durable/subscriptions/keep', webhookSubscription(hook.url))).status).toBe(201);
    await control(controlUrl, 'POST', '/faults', { type: 'pause-delivery', subscription: 'keep' });
    const client = new EventGridPublisherClient(topics.durable!.endpoint, 'EventGrid', new AzureKeyCredential(topics.durable!.key), { allowInsecureConnection: true });
    const ids = Array.from({ length: 20 }, (_, i) => `e${i}`);
    for (let i = 0; i < ids.length; i += 5) {
      await client.send(ids.slice(i, i + 5).map((id) => ({ id, eventType: 'T', subject: '/s', dataVersion: '1', data: { id } })));
    }
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(hook.deliveries).toHaveLength(0);

    const second = await startChild(args);
    await hook.waitFor(() => new Set(hook!.deliveries.flatMap((d) => d.events.map((e) => e.id))).size === 20, 15_000);
    expect([...new Set(hook.deliveries.flatMap((d) => d.events.map((e) => String(e.id))))].sort()).toEqual([...ids].sort());
    // the subscription registered at run time survived too, and the key is stable across restarts
    expect(second.ready.eventGrid.topics.durable!.key).toBe(topics.durable!.key);
    const subs = (await control(second.ready.eventGrid.controlUrl, 'GET', '/subscriptions')).json as Array<{ name: string; delivered: number }>;
    expect(subs.map((s) => s.name)).toEqual(['keep']);
    second.child.kill('SIGTERM');
    const code = await new Promise((r) => second.child.once('exit', (c) => r(c)));
    expect(code).toBe(0);
  });

  it('reports a bad config file in one readable line (exit 2)', async () => {
    const configPath = join(dir, 'bad.json');
    writeFileSync(configPath, JSON.stringify({ topics: [{ name: 'x', inputSchema: 'Nope' }] }));
    await expect(startChild({ configFiles: [configPath], inMemory: true })).rejects.toThrow(/exited with 2: moshpit: invalid Event Grid config:\n {2}- topics\["x"\]\.inputSchema/);
  });
});
