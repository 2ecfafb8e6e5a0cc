import { describe, expect, it } from 'vitest';
import { ServiceBusClient, isServiceBusError } from '@azure/service-bus';
import { sleep, withEmulator } from './helpers.ts';

describe('service-bus emulator: queues through the official SDK', { timeout: 20_000 }, () => {
  it('sends single, array and batch messages; peek-lock receive and complete', async () => {
    await withEmulator(async (_emu, client) => {
      const sender = client.createSender('q');
      await sender.sendMessages({ body: { n: 1 }, messageId: 'm1', applicationProperties: { a: 1 } });
      await sender.sendMessages([{ body: { n: 2 } }, { body: { n: 3 } }]);
      const batch = await sender.createMessageBatch();
      expect(batch.tryAddMessage({ body: { n: 4 } })).toBe(true);
      expect(batch.tryAddMessage({ body: { n: 5 } })).toBe(true);
      await sender.sendMessages(batch);
      const receiver = client.createReceiver('q');
      const got = await receiver.receiveMessages(10, { maxWaitTimeInMs: 3000 });
      expect(got.map((m) => (m.body as { n: number }).n)).toEqual([1, 2, 3, 4, 5]);
      expect(got[0].messageId).toBe('m1');
      expect(got[0].applicationProperties).toEqual({ a: 1 });
      expect(got[0].deliveryCount).toBe(0);
      expect(got[0].lockToken).toMatch(/^[0-9a-f-]{36}$/);
      for (const m of got) await receiver.completeMessage(m);
      expect(await receiver.peekMessages(10)).toHaveLength(0);
    });
  });

  it('receive-and-delete removes messages as they are handed out', async () => {
    await withEmulator(async (_emu, client) => {
      await client.createSender('rad').sendMessages([{ body: 'a' }, { body: 'b' }]);
      const receiver = client.createReceiver('rad', { receiveMode: 'receiveAndDelete' });
      const got = await receiver.receiveMessages(5, { maxWaitTimeInMs: 2000 });
      expect(got.map((m) => m.body)).toEqual(['a', 'b']);
      expect(got[0].lockToken).toBeUndefined();
      expect(await receiver.peekMessages(5)).toHaveLength(0);
    });
  });

  it('abandon raises the delivery count; MaxDeliveryCount moves the message to the dead-letter queue', async () => {
    await withEmulator(async (_emu, client) => {
      await client.createSender('dlq-source').sendMessages({ body: 'poison' });
      const receiver = client.createReceiver('dlq-source');
      for (let i = 0; i < 3; i++) {
        const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3000 });
        expect(m.deliveryCount).toBe(i);
        await receiver.abandonMessage(m);
      }
      expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 500 })).toHaveLength(0);
      const dlq = client.createReceiver('dlq-source', { subQueueType: 'deadLetter' });
      const [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 3000 });
      expect(dead.body).toBe('poison');
      expect(dead.deadLetterReason).toBe('MaxDeliveryCountExceeded');
      expect(dead.deadLetterSource).toBe('dlq-source');
      await dlq.completeMessage(dead);
    });
  });

  it('dead-letters with reason and description; defers and receives deferred messages', async () => {
    await withEmulator(async (_emu, client) => {
      await client.createSender('q').sendMessages([{ body: 'dead' }, { body: 'later' }]);
      const receiver = client.createReceiver('q');
      const [a, b] = await receiver.receiveMessages(2, { maxWaitTimeInMs: 3000 });
      await receiver.deadLetterMessage(a, { deadLetterReason: 'bad', deadLetterErrorDescription: 'really bad' });
      await receiver.deferMessage(b);
      const [deferred] = await receiver.receiveDeferredMessages([b.sequenceNumber!]);
      expect(deferred.body).toBe('later');
      expect(deferred.state).toBe('deferred');
      await receiver.completeMessage(deferred);
      const dlq = client.createReceiver('q', { subQueueType: 'deadLetter', receiveMode: 'receiveAndDelete' });
      const [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 3000 });
      expect([dead.deadLetterReason, dead.deadLetterErrorDescription]).toEqual(['bad', 'really bad']);
      expect(await receiver.peekMessages(5)).toHaveLength(0);
    });
  });

  it('redelivers after the lock expires; renewMessageLock extends it; a lost lock fails settlement', async () => {
    await withEmulator(async (_emu, client) => {
      await client.createSender('short').sendMessages({ body: 'x' });
      const receiver = client.createReceiver('short', { maxAutoLockRenewalDurationInMs: 0 });
      const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3000 });
      const renewed = await receiver.renewMessageLock(m);
      expect(renewed.getTime()).toBeGreaterThan(m.lockedUntilUtc!.getTime() - 1);
      await sleep(1400);
      const [again] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3000 });
      expect(again.body).toBe('x');
      expect(again.deliveryCount).toBe(1);
      const error = await receiver.completeMessage(m).then(() => undefined, (e: unknown) => e);
      expect(isServiceBusError(error) && error.code).toBe('MessageLockLost');
      await receiver.completeMessage(again);
    });
  });

  it('maps an unknown entity to MessagingEntityNotFound and a wrong key to UnauthorizedAccess', async () => {
    await withEmulator(async (emu) => {
      const client = new ServiceBusClient(emu.connectionString, { retryOptions: { maxRetries: 0, timeoutInMs: 5000 } });
      try {
        const error = await client.createSender('nope').sendMessages({ body: 1 }).then(() => undefined, (e: unknown) => e);
        expect(isServiceBusError(error) && error.code).toBe('MessagingEntityNotFound');
      } finally {
        await client.close();
      }
      const bad = new ServiceBusClient(emu.connectionString.replace(/SharedAccessKey=[^;]+/, 'SharedAccessKey=wrong'), { retryOptions: { maxRetries: 0, timeoutInMs: 5000 } });
      try {
        const error = await bad.createSender('q').sendMessages({ body: 1 }).then(() => undefined, (e: unknown) => e);
        expect((error as Error).name).toMatch(/Unauthorized|ServiceBusError/);
        expect(isServiceBusError(error) ? error.code : (error as Error).name).toMatch(/Unauthorized/);
      } finally {
        await bad.close();
      }
    });
  });

  it('enforces the message size limit with the SDK\'s own error', async () => {
    await withEmulator(async (_emu, client) => {
      const sender = client.createSender('small');
      const error = await sender.sendMessages({ body: 'x'.repeat(8 * 1024) }).then(() => undefined, (e: unknown) => e);
      expect(String((error as Error).message)).toMatch(/exceeds the limit|larger than|size/i);
      await sender.sendMessages({ body: 'x'.repeat(1024) });
      const batch = await sender.createMessageBatch();
      expect(batch.maxSizeInBytes).toBe(4 * 1024);
    });
  });
});
