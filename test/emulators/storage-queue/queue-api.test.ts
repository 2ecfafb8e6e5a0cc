/** The Queue REST API through @azure/storage-queue, against the in-process service (in memory). */
import { describe, expect, it } from 'vitest';
import type { QueueServiceClient } from '@azure/storage-queue';
import type { RunningQueueService } from '../../../fixtures/storage-queue/emulator/server.ts';
import { errorOf, newQueue, sleep, uniqueName, withInMemoryService } from './helpers.ts';

let service: RunningQueueService;
let client: QueueServiceClient;

withInMemoryService((started, sdk) => {
  service = started;
  client = sdk;
});

describe('queues', () => {
  it('creates, lists with prefix and paging, and deletes', async () => {
    const prefix = uniqueName('list');
    const names = ['a', 'b', 'c', 'd', 'e'].map((s) => `${prefix}-${s}`);
    for (const name of names) expect((await client.createQueue(name))._response.status).toBe(201);
    const pages: string[][] = [];
    for await (const page of client.listQueues({ prefix }).byPage({ maxPageSize: 2 })) {
      pages.push((page.queueItems ?? []).map((q) => q.name));
    }
    expect(pages).toEqual([names.slice(0, 2), names.slice(2, 4), names.slice(4)]);
    await client.deleteQueue(names[0] as string);
    const left: string[] = [];
    for await (const q of client.listQueues({ prefix })) left.push(q.name);
    expect(left).toEqual(names.slice(1));
    expect(await errorOf(client.deleteQueue(names[0] as string))).toEqual({ status: 404, code: 'QueueNotFound' });
  });

  it('create is idempotent with the same metadata and conflicts with different metadata', async () => {
    const queue = client.getQueueClient(uniqueName());
    await queue.create({ metadata: { team: 'a' } });
    expect((await queue.create({ metadata: { team: 'a' } }))._response.status).toBe(204);
    expect(await errorOf(queue.create({ metadata: { team: 'b' } }))).toEqual({ status: 409, code: 'QueueAlreadyExists' });
    expect((await queue.createIfNotExists()).succeeded).toBe(false);
  });

  it('stores metadata and reports the approximate message count', async () => {
    const queue = await newQueue(client);
    await queue.setMetadata({ owner: 'moshpit', Flow: 'uploads' });
    await queue.sendMessage('one');
    await queue.sendMessage('two');
    const props = await queue.getProperties();
    expect(props.metadata).toEqual({ owner: 'moshpit', flow: 'uploads' });
    expect(props.approximateMessagesCount).toBe(2);
    const listed = [];
    for await (const q of client.listQueues({ prefix: queue.name, includeMetadata: true })) listed.push(q);
    expect(listed[0]?.metadata).toEqual({ owner: 'moshpit', Flow: 'uploads' });
    expect(await queue.exists()).toBe(true);
    expect(await client.getQueueClient(uniqueName('nope')).exists()).toBe(false);
  });

  it('enforces queue name rules and reports unknown queues', async () => {
    expect(await errorOf(client.createQueue('ab'))).toEqual({ status: 400, code: 'OutOfRangeInput' });
    expect(await errorOf(client.createQueue('x'.repeat(64)))).toEqual({ status: 400, code: 'OutOfRangeInput' });
    expect(await errorOf(client.createQueue('Upper-Case'))).toEqual({ status: 400, code: 'InvalidResourceName' });
    expect(await errorOf(client.createQueue('double--hyphen'))).toEqual({ status: 400, code: 'InvalidResourceName' });
    expect(await errorOf(client.createQueue('-leading'))).toEqual({ status: 400, code: 'InvalidResourceName' });
    expect(await errorOf(client.getQueueClient(uniqueName('missing')).sendMessage('x'))).toEqual({ status: 404, code: 'QueueNotFound' });
    expect(await errorOf(client.getQueueClient(uniqueName('missing')).getProperties())).toEqual({ status: 404, code: 'QueueNotFound' });
  });
});

describe('messages', () => {
  it('receives up to 32 in order, hides them for the visibility timeout, and peeks without hiding', async () => {
    const queue = await newQueue(client);
    for (let i = 0; i < 40; i++) await queue.sendMessage(`m${i}`);
    const peeked = await queue.peekMessages({ numberOfMessages: 32 });
    expect(peeked.peekedMessageItems.map((m) => m.messageText)).toEqual(Array.from({ length: 32 }, (_, i) => `m${i}`));
    expect(peeked.peekedMessageItems.every((m) => m.dequeueCount === 0)).toBe(true);
    const first = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 60 });
    expect(first.receivedMessageItems.map((m) => m.messageText)).toEqual(Array.from({ length: 32 }, (_, i) => `m${i}`));
    expect(first.receivedMessageItems.every((m) => m.dequeueCount === 1)).toBe(true);
    const rest = await queue.receiveMessages({ numberOfMessages: 32 });
    expect(rest.receivedMessageItems.map((m) => m.messageText)).toEqual(Array.from({ length: 8 }, (_, i) => `m${32 + i}`));
    expect((await queue.receiveMessages({ numberOfMessages: 32 })).receivedMessageItems).toEqual([]);
    expect((await queue.getProperties()).approximateMessagesCount).toBe(40);
    expect(await errorOf(queue.receiveMessages({ numberOfMessages: 33 }))).toMatchObject({ status: 400, code: 'OutOfRangeQueryParameterValue' });
    expect(await errorOf(queue.peekMessages({ numberOfMessages: 0 }))).toMatchObject({ status: 400, code: 'OutOfRangeQueryParameterValue' });
  });

  // (the SDK itself drops newlines inside MessageText on its XML round trip, Azurite too)
  it('keeps XML-special and unicode text intact', async () => {
    const queue = await newQueue(client);
    const text = `<song id="1">&amp; 'quotes' "double" — ünïcødé 🎸 </song>`;
    await queue.sendMessage(text);
    expect((await queue.receiveMessages()).receivedMessageItems[0]?.messageText).toBe(text);
  });

  it('delays visibility on send and honours message TTL including -1 = never', async () => {
    const queue = await newQueue(client);
    const delayed = await queue.sendMessage('later', { visibilityTimeout: 1 });
    const forever = await queue.sendMessage('forever', { messageTimeToLive: -1 });
    const short = await queue.sendMessage('short', { messageTimeToLive: 1 });
    expect(forever.expiresOn.getUTCFullYear()).toBe(9999);
    expect(short.expiresOn.getTime() - short.insertedOn.getTime()).toBe(1000);
    expect(delayed.nextVisibleOn.getTime()).toBeGreaterThan(delayed.insertedOn.getTime());
    const now = await queue.peekMessages({ numberOfMessages: 32 });
    expect(now.peekedMessageItems.map((m) => m.messageText)).toEqual(['forever', 'short']);
    await sleep(2100);
    const after = await queue.receiveMessages({ numberOfMessages: 32 });
    expect(after.receivedMessageItems.map((m) => m.messageText).sort()).toEqual(['forever', 'later']);
    expect((await queue.getProperties()).approximateMessagesCount).toBe(2);
    expect(await errorOf(queue.deleteMessage(short.messageId, short.popReceipt))).toEqual({ status: 404, code: 'MessageNotFound' });
    expect(await errorOf(queue.sendMessage('x', { messageTimeToLive: 0 }))).toMatchObject({ status: 400, code: 'OutOfRangeQueryParameterValue' });
    expect(await errorOf(queue.sendMessage('x', { messageTimeToLive: 5, visibilityTimeout: 5 }))).toMatchObject({ status: 400 });
  }, 15_000);

  it('raises dequeueCount every time the visibility timeout runs out', async () => {
    const queue = await newQueue(client);
    await queue.sendMessage('again');
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const got = await queue.receiveMessages({ visibilityTimeout: 1 });
      counts.push(got.receivedMessageItems[0]?.dequeueCount ?? -1);
      expect((await queue.receiveMessages()).receivedMessageItems).toEqual([]);
      await sleep(1050);
    }
    expect(counts).toEqual([1, 2, 3]);
  }, 15_000);

  it('updates content and visibility with a fresh pop receipt; stale receipts are rejected', async () => {
    const queue = await newQueue(client);
    await queue.sendMessage('v1');
    const [m] = (await queue.receiveMessages({ visibilityTimeout: 60 })).receivedMessageItems;
    const updated = await queue.updateMessage(m!.messageId, m!.popReceipt, 'v2', 0);
    expect(updated.popReceipt).not.toBe(m!.popReceipt);
    expect(await errorOf(queue.updateMessage(m!.messageId, m!.popReceipt, 'v3', 0))).toEqual({ status: 400, code: 'PopReceiptMismatch' });
    const [again] = (await queue.receiveMessages({ visibilityTimeout: 60 })).receivedMessageItems;
    expect(again?.messageText).toBe('v2');
    expect(again?.dequeueCount).toBe(2);
    const hidden = await queue.updateMessage(again!.messageId, again!.popReceipt, undefined, 120);
    expect(hidden.nextVisibleOn!.getTime()).toBeGreaterThan(Date.now() + 100_000);
    expect((await queue.peekMessages()).peekedMessageItems).toEqual([]);
    expect(await errorOf(queue.deleteMessage(again!.messageId, updated.popReceipt!))).toEqual({ status: 400, code: 'PopReceiptMismatch' });
    await queue.deleteMessage(again!.messageId, hidden.popReceipt!);
    expect(await errorOf(queue.deleteMessage(again!.messageId, hidden.popReceipt!))).toEqual({ status: 404, code: 'MessageNotFound' });
    expect(await errorOf(queue.updateMessage(again!.messageId, hidden.popReceipt!, 'x', 0))).toEqual({ status: 404, code: 'MessageNotFound' });
  });

  it('rejects a receipt that went stale when another consumer received the message', async () => {
    const queue = await newQueue(client);
    await queue.sendMessage('contended');
    const [first] = (await queue.receiveMessages({ visibilityTimeout: 1 })).receivedMessageItems;
    await sleep(1100);
    const [second] = (await queue.receiveMessages({ visibilityTimeout: 60 })).receivedMessageItems;
    expect(second?.messageId).toBe(first?.messageId);
    expect(await errorOf(queue.deleteMessage(first!.messageId, first!.popReceipt))).toEqual({ status: 400, code: 'PopReceiptMismatch' });
    await queue.deleteMessage(second!.messageId, second!.popReceipt);
  }, 10_000);

  it('clears a queue', async () => {
    const queue = await newQueue(client);
    for (let i = 0; i < 5; i++) await queue.sendMessage(`c${i}`);
    await queue.receiveMessages({ numberOfMessages: 2 });
    await queue.clearMessages();
    expect((await queue.getProperties()).approximateMessagesCount).toBe(0);
    expect((await queue.peekMessages({ numberOfMessages: 32 })).peekedMessageItems).toEqual([]);
  });

  it('accepts 64 KiB of text and refuses one byte more with 413 RequestBodyTooLarge', async () => {
    const queue = await newQueue(client);
    await queue.sendMessage('x'.repeat(64 * 1024));
    expect(await errorOf(queue.sendMessage('x'.repeat(64 * 1024 + 1)))).toEqual({ status: 413, code: 'RequestBodyTooLarge' });
    expect(await errorOf(queue.sendMessage('é'.repeat(32 * 1024 + 1)))).toEqual({ status: 413, code: 'RequestBodyTooLarge' });
    const [m] = (await queue.receiveMessages()).receivedMessageItems;
    expect(m?.messageText.length).toBe(64 * 1024);
    expect(await errorOf(queue.updateMessage(m!.messageId, m!.popReceipt, 'y'.repeat(64 * 1024 + 1), 0))).toEqual({ status: 413, code: 'RequestBodyTooLarge' });
  });

  it('rejects visibility timeouts out of range', async () => {
    const queue = await newQueue(client);
    expect(await errorOf(queue.sendMessage('x', { visibilityTimeout: 7 * 24 * 3600 + 1 }))).toMatchObject({ status: 400, code: 'OutOfRangeQueryParameterValue' });
    expect(await errorOf(queue.receiveMessages({ visibilityTimeout: 0 }))).toMatchObject({ status: 400, code: 'OutOfRangeQueryParameterValue' });
  });
});
