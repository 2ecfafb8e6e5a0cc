/**
 * Service Bus tiers through the unmodified SDK: Standard's 1,000 credits/s refuse a faster
 * flood with ServiceBusy (Azure's error 50009) and the SDK's own retry gets through; Premium
 * takes a 1 MB message Standard refuses with MessageSizeExceeded; Basic refuses topics and
 * sessions. Latency off here (quotas and limits only), so the file stays fast.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceBusClient, type ServiceBusSender } from '@azure/service-bus';
import { resolveProfile } from '../../../profiles/resolve.ts';
import { startServiceBus, type ServiceBusEmulator } from '../../../fixtures/service-bus/emulator/server.ts';
import { controlJson } from '../../../runner/stack/control-client.ts';
import { controlKey } from '../../../fixtures/emulators/common/control-key.ts';
import { TEST_CONFIG } from './helpers.ts';

const NO_RETRY = { retryOptions: { maxRetries: 0, timeoutInMs: 10_000 } };
const profileOf = (name: string) => ({ ...resolveProfile(name).techs['service-bus'], enforceLatency: false });

/**
 * `calls` sends of `perCall` messages each (a credit per message), `concurrency` at a time (the
 * SDK's sender holds only as many as its link credit): well above 1,000 messages/s even on a
 * busy machine.
 */
async function sendMany(sender: ServiceBusSender, calls: number, perCall = 10, concurrency = 50): Promise<string[]> {
  const outcomes: string[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < calls) {
      const i = next++;
      const messages = Array.from({ length: perCall }, (_, j) => ({ body: i * perCall + j }));
      outcomes.push(await sender.sendMessages(messages).then(() => 'ok', (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`));
    }
  }));
  return outcomes;
}

async function start(name: string): Promise<{ emu: ServiceBusEmulator; client: ServiceBusClient }> {
  const emu = await startServiceBus({ config: TEST_CONFIG, inMemory: true, profile: profileOf(name) });
  return { emu, client: new ServiceBusClient(emu.connectionString, NO_RETRY) };
}

describe('Service Bus standard', () => {
  let s: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => void (s = await start('standard')));
  afterAll(async () => {
    await s.client.close();
    await s.emu.close();
  });

  it('refuses operations beyond 1,000 credits/s with ServiceBusy (50009), and the SDK retry gets through', async () => {
    const sender = s.client.createSender('q');
    await sender.sendMessages({ body: 'warm-up' });
    const outcomes = await sendMany(sender, 400);
    const busy = outcomes.filter((o) => o.startsWith('ServiceBusy'));
    console.log(`400 sends of 10 messages, 50 at a time: ${outcomes.filter((o) => o === 'ok').length} accepted, ${busy.length} ServiceBusy`);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]).toContain('Error code : 50009. Please wait 2 seconds and try again.');
    expect(outcomes.filter((o) => o !== 'ok' && !o.startsWith('ServiceBusy')).slice(0, 3)).toEqual([]);
    const quotas = await controlJson<{ tier: string; throttled: number }>(`${s.emu.controlUrl}/quotas`, { key: controlKey() });
    expect(quotas.tier).toBe('standard');
    expect(quotas.throttled).toBe(busy.length);
    // the SDK's retry (delay shortened from its 30 s default) gets a throttled send through once credits refill
    const retrying = new ServiceBusClient(s.emu.connectionString, { retryOptions: { maxRetries: 5, retryDelayInMs: 500, timeoutInMs: 10_000 } });
    try {
      const outcomes2 = await sendMany(retrying.createSender('q'), 150);
      expect(outcomes2.filter((o) => o !== 'ok').slice(0, 3)).toEqual([]);
    } finally {
      await retrying.close();
    }
  });

  it('refuses a 1 MB message with MessageSizeExceeded (256 KB tier)', async () => {
    const error = await s.client.createSender('q').sendMessages({ body: Buffer.alloc(1024 * 1024, 1) }).catch((e: { code?: string }) => e);
    expect((error as { code?: string }).code).toBe('MessageSizeExceeded');
  });
});

describe('Service Bus premium and basic', () => {
  it('premium accepts a 1 MB message and has no credit quota', async () => {
    const { emu, client } = await start('premium');
    try {
      await client.createSender('q').sendMessages({ body: Buffer.alloc(1024 * 1024, 1) });
      const [got] = await client.createReceiver('q', { receiveMode: 'receiveAndDelete' }).receiveMessages(1, { maxWaitTimeInMs: 5000 });
      expect((got!.body as Buffer).length).toBe(1024 * 1024);
      const outcomes = await sendMany(client.createSender('q'), 400);
      expect(outcomes.filter((o) => o !== 'ok').slice(0, 3)).toEqual([]);
    } finally {
      await client.close();
      await emu.close();
    }
  });

  it('basic refuses topics and sessions as Azure does', async () => {
    const { emu, client } = await start('basic');
    try {
      await client.createSender('q').sendMessages({ body: 'queues work' });
      const topic = await client.createSender('t').sendMessages({ body: 'x' }).catch((e: Error) => e);
      expect(String((topic as Error).message)).toContain("Cannot operate on type Topic because the namespace 'sbemulatorns' is using 'Basic' tier");
      const session = await client.acceptSession('sess', 's1').catch((e: Error) => e);
      expect(String((session as Error).message)).toContain("Cannot operate on type Session because the namespace 'sbemulatorns' is using 'Basic' tier");
    } finally {
      await client.close();
      await emu.close();
    }
  });
});
