import { describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceBusClient } from '@azure/service-bus';
import { startEmulatorChild } from '../../../fixtures/emulators/child-process.ts';

/** The emulator in its own process (the one child entry, child.ts), so it can be SIGKILLed. */
async function startChild(dataDir: string): Promise<{ child: ChildProcess; connectionString: string }> {
  const started = await startEmulatorChild({ name: 'service-bus', dataDir });
  return { child: started.process, connectionString: started.ready.serviceBus!.connectionString };
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('service-bus emulator: durability across SIGKILL', { timeout: 60_000 }, () => {
  it('keeps every acknowledged message and forgets every completed one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'moshpit-sb-'));
    const children: ChildProcess[] = [];
    try {
      const first = await startChild(dataDir);
      children.push(first.child);
      let client = new ServiceBusClient(first.connectionString, { retryOptions: { maxRetries: 0, timeoutInMs: 3000 } });
      const sender = client.createSender('uploads');
      const acked = new Set<number>();
      await sender.sendMessages(Array.from({ length: 20 }, (_, i) => ({ body: i, messageId: `m${i}` })));
      for (let i = 0; i < 20; i++) acked.add(i);
      const receiver = client.createReceiver('uploads');
      const got = await receiver.receiveMessages(10, { maxWaitTimeInMs: 3000 });
      const completed = new Set<number>();
      for (const m of got) {
        await receiver.completeMessage(m);
        completed.add(m.body as number);
      }
      expect(completed.size).toBeGreaterThan(0);
      // keep sending while the broker dies; only acknowledged sends count
      let n = 20;
      const load = (async () => {
        for (;;) {
          const i = n++;
          try {
            await sender.sendMessages({ body: i, messageId: `m${i}` });
            acked.add(i);
          } catch {
            return;
          }
        }
      })();
      await new Promise((r) => setTimeout(r, 300));
      await kill9(first.child);
      await load;
      await client.close().catch(() => undefined);

      const second = await startChild(dataDir);
      children.push(second.child);
      client = new ServiceBusClient(second.connectionString);
      const after = client.createReceiver('uploads', { receiveMode: 'receiveAndDelete' });
      const seen = new Set<number>();
      for (;;) {
        const batch = await after.receiveMessages(100, { maxWaitTimeInMs: 1000 });
        if (!batch.length) break;
        for (const m of batch) seen.add(m.body as number);
      }
      await client.close();
      const lost = [...acked].filter((i) => !completed.has(i) && !seen.has(i));
      const redelivered = [...completed].filter((i) => seen.has(i));
      expect(acked.size).toBeGreaterThan(20);
      expect(lost).toEqual([]);
      expect(redelivered).toEqual([]);
    } finally {
      for (const c of children) await kill9(c);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
