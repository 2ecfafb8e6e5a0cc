/**
 * Durability through the real child entry point (fixtures/emulators/child.ts, the storage slot): acknowledged operations survive SIGKILL, deleted
 * messages stay deleted, receipts and dequeue counts persist; --in-memory keeps nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, killChild, serviceClient, startChild, type ChildService } from './helpers.ts';

const children: ChildService[] = [];
const dirs: string[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'moshpit-sq-'));
  dirs.push(dir);
  return dir;
}

async function start(options: Parameters<typeof startChild>[0]): Promise<ChildService> {
  const child = await startChild(options);
  children.push(child);
  return child;
}

afterEach(async () => {
  for (const c of children.splice(0)) await killChild(c.child);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('durability', () => {
  it('keeps every acknowledged send and delete across SIGKILL', async () => {
    const dir = dataDir();
    const first = await start({ dataDir: dir });
    const queue = serviceClient(first.queueEndpoint).getQueueClient('durable');
    await queue.create({ metadata: { kind: 'test' } });
    const sends = await Promise.all(Array.from({ length: 200 }, (_, i) => queue.sendMessage(`msg-${i}`)));
    expect(sends).toHaveLength(200);
    const received = (await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 300 })).receivedMessageItems;
    const deleted = received.slice(0, 10);
    await Promise.all(deleted.map((m) => queue.deleteMessage(m.messageId, m.popReceipt)));
    const kept = received[20]!;
    await killChild(first.child, 'SIGKILL');

    const second = await start({ dataDir: dir });
    const again = serviceClient(second.queueEndpoint).getQueueClient('durable');
    const props = await again.getProperties();
    expect(props.approximateMessagesCount).toBe(190);
    expect(props.metadata).toEqual({ kind: 'test' });
    // the 22 received but not deleted are still invisible; their receipts and counts survived
    await again.deleteMessage(kept.messageId, kept.popReceipt);
    expect(await errorOf(again.deleteMessage(deleted[0]!.messageId, deleted[0]!.popReceipt))).toEqual({ status: 404, code: 'MessageNotFound' });
    const texts = new Set<string>();
    for (;;) {
      const batch = (await again.receiveMessages({ numberOfMessages: 32 })).receivedMessageItems;
      if (batch.length === 0) break;
      for (const m of batch) texts.add(m.messageText);
    }
    expect(texts.size).toBe(200 - 32);
    const deletedTexts = new Set(received.map((m) => m.messageText));
    expect([...texts].some((t) => deletedTexts.has(t))).toBe(false);
  }, 40_000);

  it('survives a kill while a burst of sends is in flight: every acknowledged message is there', async () => {
    const dir = dataDir();
    const first = await start({ dataDir: dir });
    const queue = serviceClient(first.queueEndpoint).getQueueClient('burst');
    await queue.create();
    const acknowledged: string[] = [];
    const senders = Array.from({ length: 8 }, async (_, s) => {
      for (let i = 0; ; i++) {
        try {
          await queue.sendMessage(`s${s}-${i}`);
          acknowledged.push(`s${s}-${i}`);
        } catch {
          return;
        }
      }
    });
    while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 10));
    await killChild(first.child, 'SIGKILL');
    await Promise.all(senders);

    const second = await start({ dataDir: dir });
    const again = serviceClient(second.queueEndpoint).getQueueClient('burst');
    const texts = new Set<string>();
    for (;;) {
      const batch = (await again.receiveMessages({ numberOfMessages: 32 })).receivedMessageItems;
      if (batch.length === 0) break;
      for (const m of batch) texts.add(m.messageText);
    }
    const lost = acknowledged.filter((t) => !texts.has(t));
    expect(lost).toEqual([]);
  }, 40_000);

  it('keeps a deleted queue deleted and exits cleanly on SIGTERM', async () => {
    const dir = dataDir();
    const first = await start({ dataDir: dir });
    const client = serviceClient(first.queueEndpoint);
    await client.createQueue('gone-queue');
    await client.getQueueClient('gone-queue').sendMessage('x');
    await client.deleteQueue('gone-queue');
    await client.createQueue('stays');
    expect(await killChild(first.child, 'SIGTERM')).toBe(0);
    const second = await start({ dataDir: dir });
    const names: string[] = [];
    for await (const q of serviceClient(second.queueEndpoint).listQueues()) names.push(q.name);
    expect(names).toEqual(['stays']);
  }, 40_000);

  it('--in-memory starts empty every time', async () => {
    const first = await start({ inMemory: true });
    await serviceClient(first.queueEndpoint).createQueue('volatile');
    await killChild(first.child, 'SIGKILL');
    const second = await start({ inMemory: true });
    const names: string[] = [];
    for await (const q of serviceClient(second.queueEndpoint).listQueues()) names.push(q.name);
    expect(names).toEqual([]);
  }, 40_000);

  it('refuses bad arguments with a readable message and exit code 2', async () => {
    await expect(startChild({ inMemory: true, ports: { 'storage-queue': 'abc' as never } })).rejects.toThrow(/exited with 2: .*ports\.storage-queue: expected a port number/s);
    await expect(startChild({})).rejects.toThrow(/exited with 2: .*give --data-dir DIR/s);
    await expect(startChild({ inMemory: true, bogus: true } as never)).rejects.toThrow(/exited with 2: .*bogus: unknown option/s);
  }, 40_000);
});
