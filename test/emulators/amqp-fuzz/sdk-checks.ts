/**
 * What must still work after the fuzz rounds, checked with the official SDKs: a message sent
 * and received, and (Service Bus) no receiver link left behind by an abnormal close that would
 * take a message and hold its lock with no client behind it.
 */
import { connect, type Socket } from 'node:net';
import { ServiceBusClient } from '@azure/service-bus';
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import type { ChildEmulator } from './harness.ts';
import { NULL, beginFrame, frame, openFrame, performative, saslAnonymous, str, uint } from './frames.ts';
import { controlJson } from '../../../runner/stack/control-client.ts';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends one message with a unique body and receives it back (peek-lock + complete / a partition read). */
export async function sdkRoundTrip(emu: ChildEmulator, timeoutMs = 10_000): Promise<string> {
  const body = `alive-${process.pid}-${Date.now()}`;
  if (emu.kind === 'service-bus') {
    const got = await serviceBusRoundTrip(emu, [body], timeoutMs);
    return got[0];
  }
  const producer = new EventHubProducerClient(emu.connectionString, 'comments');
  const consumer = new EventHubConsumerClient('$Default', emu.connectionString, 'comments');
  try {
    await producer.sendBatch([{ body }], { partitionId: '1' });
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`event ${body} not received in ${timeoutMs} ms`)), timeoutMs);
      const subscription = consumer.subscribe('1', {
        processEvents: async (events) => {
          const hit = events.find((e) => e.body === body);
          if (!hit) return;
          clearTimeout(timer);
          void subscription.close();
          resolve(hit.body as string);
        },
        processError: async () => undefined,
      }, { startPosition: earliestEventPosition, maxWaitTimeInSeconds: 1 });
    });
  } finally {
    await producer.close();
    await consumer.close();
  }
}

/** Sends `bodies` to `uploads` and receives each in peek-lock within timeoutMs (then completes them). */
export async function serviceBusRoundTrip(emu: ChildEmulator, bodies: string[], timeoutMs: number): Promise<string[]> {
  const client = new ServiceBusClient(emu.connectionString, { retryOptions: { maxRetries: 1, timeoutInMs: 5000 } });
  try {
    await client.createSender('uploads').sendMessages(bodies.map((body) => ({ body })));
    const receiver = client.createReceiver('uploads');
    const seen = new Set<string>();
    const deadline = Date.now() + timeoutMs;
    while (seen.size < bodies.length && Date.now() < deadline) {
      for (const m of await receiver.receiveMessages(50, { maxWaitTimeInMs: 1000 })) {
        if (bodies.includes(m.body)) seen.add(m.body);
        await receiver.completeMessage(m);
      }
    }
    return [...seen];
  } finally {
    await client.close();
  }
}

/** A raw client: open, begin, a receiver on `uploads` with credit; the socket is returned. */
export function rawReceiver(port: number): Socket {
  const source = [0x00, 0x53, 0x28, 0xc0, 10, 1, ...str('uploads')];
  const attach = frame(performative(0x12, [str(`dead-${Math.random()}`), uint(0), [0x41], NULL, NULL, source, [0x00, 0x53, 0x29, 0x45]]));
  const flow = frame(performative(0x13, [NULL, uint(100), uint(0), uint(100), uint(0), uint(0), uint(10)]));
  const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.concat([saslAnonymous(), openFrame(), beginFrame(), attach, flow])));
  socket.on('error', () => undefined);
  return socket;
}

/** Ways a receiver's client can vanish without detaching its link. */
export const ABNORMAL_ENDS: Record<string, (socket: Socket) => void> = {
  'socket destroyed': (s) => s.destroy(),
  'protocol error': (s) => s.write(Buffer.from([0, 0, 0, 3, 2, 0, 0, 0])),
  'undecodable performative': (s) => s.write(frame([0x00, 0x53, 0x13, 0xf0, 0, 0, 0, 5, 0x7f, 0xff, 0xff, 0xff, 0x40])),
  'session ended': (s) => s.write(frame(performative(0x17, []))),
  'connection closed': (s) => s.write(frame(performative(0x18, []))),
};

interface UploadsCounts { active: number; locked: number; deadLettered: number }

async function uploadsCounts(emu: ChildEmulator): Promise<UploadsCounts> {
  const body = await controlJson<{ entities: (UploadsCounts & { name: string })[] }>(`${emu.controlUrl}/entities`, { key: emu.controlKey });
  return body.entities.find((e) => e.name === 'uploads')!;
}

/** Empties `uploads` (what the fuzz rounds' mutated SDK sessions sent) in receive-and-delete mode. */
async function drainUploads(emu: ChildEmulator): Promise<void> {
  const client = new ServiceBusClient(emu.connectionString);
  try {
    const receiver = client.createReceiver('uploads', { receiveMode: 'receiveAndDelete' });
    while ((await uploadsCounts(emu)).active > 0) await receiver.receiveMessages(500, { maxWaitTimeInMs: 500 });
  } finally {
    await client.close();
  }
}

/**
 * Leaves receivers with credit behind on `uploads` (`perKind` for each abnormal end) while a
 * backlog waits there, so each locks messages before its client vanishes. Then: no message may
 * stay locked (a dead link's locks go back to the queue), and an SDK client must get every one
 * of `messages` new messages within a few seconds (none goes to a link without a client).
 */
export async function deadLinksCheck(emu: ChildEmulator, perKind: number, messages: number): Promise<{ deadLinks: number; lockedAfter: number; received: number; sent: number }> {
  await drainUploads(emu);
  const backlog = new ServiceBusClient(emu.connectionString);
  await backlog.createSender('uploads').sendMessages(Array.from({ length: perKind * 20 }, (_, i) => ({ body: `backlog-${i}` })));
  await backlog.close();
  const sockets: Socket[] = [];
  for (const end of Object.values(ABNORMAL_ENDS)) {
    for (let i = 0; i < perKind; i++) sockets.push(rawReceiver(emu.port));
    await pause(150);
    for (const s of sockets.slice(-perKind)) end(s);
  }
  try {
    let lockedAfter = -1;
    for (let i = 0; i < 20 && lockedAfter !== 0; i++, await pause(100)) lockedAfter = (await uploadsCounts(emu)).locked;
    const bodies = Array.from({ length: messages }, (_, i) => `after-dead-links-${i}-${Date.now()}`);
    const got = await serviceBusRoundTrip(emu, bodies, 8000);
    return { deadLinks: sockets.length, lockedAfter, received: got.length, sent: bodies.length };
  } finally {
    for (const s of sockets) s.destroy();
  }
}
