import { describe, expect, it } from 'vitest';
import Long from 'long';
import { sleep, withEmulator } from './helpers.ts';

describe('service-bus emulator: scheduling, peek, duplicates, TTL, streaming', { timeout: 20_000 }, () => {
  it('schedules and cancels messages; peeks from a sequence number', async () => {
    await withEmulator(async (_emu, client) => {
      const sender = client.createSender('sched');
      const [s1, s2] = await sender.scheduleMessages([{ body: 'soon' }, { body: 'cancelled' }], new Date(Date.now() + 2500));
      await sender.cancelScheduledMessages([s2]);
      const receiver = client.createReceiver('sched');
      const peeked = await receiver.peekMessages(10);
      expect(peeked.map((m) => [m.body, m.state])).toEqual([['soon', 'scheduled']]);
      expect(peeked[0].sequenceNumber!.toNumber()).toBe(s1.toNumber());
      expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 200 })).toHaveLength(0);
      const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
      expect(m.body).toBe('soon');
      await receiver.completeMessage(m);
      await sender.sendMessages([{ body: 'a' }, { body: 'b' }, { body: 'c' }]);
      const all = await receiver.peekMessages(3, { fromSequenceNumber: Long.fromNumber(0) });
      const fromSecond = await receiver.peekMessages(5, { fromSequenceNumber: all[1].sequenceNumber });
      expect(fromSecond.map((x) => x.body)).toEqual(['b', 'c']);
    });
  });

  it('forwards with ForwardTo', async () => {
    await withEmulator(async (_emu, client) => {
      await client.createSender('fwd').sendMessages({ body: 'onwards' });
      const [m] = await client.createReceiver('fwd-target', { receiveMode: 'receiveAndDelete' }).receiveMessages(1, { maxWaitTimeInMs: 2000 });
      expect(m.body).toBe('onwards');
      expect(await client.createReceiver('fwd').peekMessages(5)).toHaveLength(0);
    });
  });

  it('drops duplicates within the detection window', async () => {
    await withEmulator(async (_emu, client) => {
      const sender = client.createSender('dup');
      await sender.sendMessages({ body: 1, messageId: 'same' });
      await sender.sendMessages({ body: 2, messageId: 'same' });
      await sender.sendMessages({ body: 3, messageId: 'other' });
      const got = await client.createReceiver('dup', { receiveMode: 'receiveAndDelete' }).receiveMessages(5, { maxWaitTimeInMs: 1500 });
      expect(got.map((m) => m.body)).toEqual([1, 3]);
    });
  });

  it('expires messages after their time to live and dead-letters them when configured', async () => {
    await withEmulator(async (_emu, client) => {
      await client.createSender('ttl').sendMessages({ body: 'old' });
      await sleep(500);
      expect(await client.createReceiver('ttl').receiveMessages(1, { maxWaitTimeInMs: 300 })).toHaveLength(0);
      const [dead] = await client.createReceiver('ttl', { subQueueType: 'deadLetter' }).receiveMessages(1, { maxWaitTimeInMs: 2000 });
      expect(dead.body).toBe('old');
      expect(dead.deadLetterReason).toBe('TTLExpiredException');
    });
  });

  it('streams with subscribe, maxConcurrentCalls and prefetch, auto-completing each message', async () => {
    await withEmulator(async (_emu, client) => {
      const sender = client.createSender('q');
      await sender.sendMessages(Array.from({ length: 50 }, (_, i) => ({ body: i })));
      const receiver = client.createReceiver('q', { prefetchCount: 20 } as object);
      const seen: number[] = [];
      let inFlight = 0;
      let maxInFlight = 0;
      await new Promise<void>((resolve, reject) => {
        const sub = receiver.subscribe(
          {
            processMessage: async (m) => {
              inFlight++;
              maxInFlight = Math.max(maxInFlight, inFlight);
              await sleep(5);
              seen.push(m.body as number);
              inFlight--;
              if (seen.length === 50) void sub.close().then(resolve);
            },
            processError: async (args) => reject(args.error),
          },
          { maxConcurrentCalls: 4 },
        );
      });
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(maxInFlight).toBeGreaterThan(1);
      expect(maxInFlight).toBeLessThanOrEqual(4);
      await sleep(200);
      expect(await receiver.peekMessages(60)).toHaveLength(0);
    });
  });

  it('keeps serving peek-lock deliveries past the AMQP session window (more than 2048)', async () => {
    await withEmulator(async (_emu, client) => {
      const sender = client.createSender('rad');
      const total = 2600;
      for (let i = 0; i < total; i += 200) await sender.sendMessages(Array.from({ length: 200 }, (_, j) => ({ body: i + j, messageId: `m${i + j}` })));
      const receiver = client.createReceiver('rad', { maxAutoLockRenewalDurationInMs: 0 });
      let count = 0;
      await new Promise<void>((resolve, reject) => {
        const sub = receiver.subscribe(
          { processMessage: async () => void (++count === total && sub.close().then(resolve, reject)), processError: async (a) => reject(a.error) },
          { maxConcurrentCalls: 32 },
        );
      });
      expect(count).toBe(total);
    });
  });

  it('renews locks automatically while a handler runs past the lock duration', async () => {
    await withEmulator(async (_emu, client) => {
      await client.createSender('short').sendMessages({ body: 'slow' });
      const receiver = client.createReceiver('short', { maxAutoLockRenewalDurationInMs: 10_000 });
      const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 3000 });
      await sleep(2200);
      await receiver.completeMessage(m);
      expect(await receiver.peekMessages(5)).toHaveLength(0);
    });
  });
});
