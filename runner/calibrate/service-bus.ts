/**
 * Service Bus calibration: a queue `<prefix>-calibrate` created through the management API,
 * then one message at a time: send (until the send is acknowledged), receive (arrival at a
 * receiver already waiting, counted from the send's acknowledgement: the emulator stores a
 * message when it acknowledges it and delivers it `receive` later, so emulated send + receive
 * reproduces the measured send-to-arrival time), complete (the settlement round trip).
 */
import { performance } from 'node:perf_hooks';
import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';
import { adminClient } from '../target/service-bus.ts';
import { Arrivals, body, recorder, type MeasureContext, type Samples } from './samples.ts';

export const SERVICE_BUS_OPERATIONS = ['send', 'receive', 'complete'] as const;

export async function measureServiceBus(ctx: MeasureContext, created: (what: string) => void): Promise<Samples> {
  const endpoint = ctx.target.endpoints.serviceBus!;
  const queue = `${ctx.prefix}-calibrate`;
  const admin = adminClient(endpoint);
  await admin.createQueue(queue, { lockDuration: 'PT1M', defaultMessageTimeToLive: 'PT10M', maxDeliveryCount: 10 });
  created(`service-bus queue ${queue}`);
  const client = new ServiceBusClient(endpoint.connectionString);
  const rec = recorder(ctx, SERVICE_BUS_OPERATIONS);
  const arrivals = new Arrivals<ServiceBusReceivedMessage>();
  let receiveError: Error | undefined;
  try {
    const sender = client.createSender(queue);
    const receiver = client.createReceiver(queue, { receiveMode: 'peekLock' });
    const subscription = receiver.subscribe(
      { processMessage: async (m) => arrivals.put(String(m.messageId), m), processError: async (args) => void (receiveError = args.error) },
      { autoCompleteMessages: false, maxConcurrentCalls: 1 },
    );
    try {
      for (let i = 0; i < ctx.warmup + ctx.ops; i++) {
        const id = `${ctx.prefix}-${i}`;
        await rec.time('send', i, () => sender.sendMessages({ messageId: id, body: body(ctx.bodyBytes) }));
        const acked = performance.now();
        const arrival = await arrivals.take(id, 30_000, `service-bus message ${id}${receiveError ? ` (receiver: ${receiveError.message})` : ''}`);
        rec.record('receive', i, arrival.atMs - acked);
        await rec.time('complete', i, () => receiver.completeMessage(arrival.value));
        ctx.tick();
      }
    } finally {
      await subscription.close();
    }
  } finally {
    await client.close();
  }
  return rec.samples;
}

export async function cleanServiceBus(ctx: Pick<MeasureContext, 'target' | 'prefix'>): Promise<void> {
  const admin = adminClient(ctx.target.endpoints.serviceBus!);
  const queue = `${ctx.prefix}-calibrate`;
  if (await admin.queueExists(queue)) await admin.deleteQueue(queue);
}
