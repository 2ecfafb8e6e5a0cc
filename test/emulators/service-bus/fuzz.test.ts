import { describe, expect, it } from 'vitest';
import { connect, createServer, type Socket } from 'node:net';
import { ServiceBusClient } from '@azure/service-bus';
import { startServiceBus } from '../../../fixtures/emulators/service-bus/server.ts';
import { TEST_CONFIG } from './helpers.ts';

function portOf(connectionString: string): number {
  return Number(/sb:\/\/[^:]+:(\d+)/.exec(connectionString)![1]);
}

/** Records what a real SDK client sends (SASL, open, CBS, attach, transfer) through a pass-through proxy. */
async function recordClientBytes(brokerPort: number, connectionString: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const proxy = createServer((client) => {
    const upstream = connect(brokerPort, '127.0.0.1');
    client.on('data', (d) => {
      chunks.push(d);
      upstream.write(d);
    });
    upstream.on('data', (d) => client.write(d));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const port = (proxy.address() as { port: number }).port;
  const sdk = new ServiceBusClient(connectionString.replace(/:\d+;/, `:${port};`));
  try {
    await sdk.createSender('q').sendMessages({ body: 'recorded' });
  } finally {
    await sdk.close();
    await new Promise<void>((r) => proxy.close(() => r()));
  }
  return Buffer.concat(chunks);
}

/** Sends bytes on a fresh connection and waits until the broker closes it (or a short time passes). */
function throwAt(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(received));
    };
    const timer = setTimeout(done, 300);
    socket.on('data', (d) => received.push(d));
    socket.on('close', done);
    socket.on('error', done);
  });
}

const frame = (channel: number, body: number[]) => Buffer.concat([Buffer.from([0, 0, 0, 8 + body.length, 2, 0, 0, channel]), Buffer.from(body)]);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SASL ANONYMOUS, open, then a transfer on a channel that was never begun. */
async function badFrameAfterOpen(port: number): Promise<Buffer> {
  const received: Buffer[] = [];
  const socket = connect(port, '127.0.0.1');
  socket.on('data', (d) => received.push(d));
  socket.on('error', () => undefined);
  try {
    const saslInit = frame(0, [0x00, 0x53, 0x41, 0xc0, 0x0c, 0x01, 0xa3, 0x09, ...Buffer.from('ANONYMOUS')]);
    saslInit[5] = 1; // SASL frame type
    socket.write(Buffer.concat([Buffer.from('AMQP\x03\x01\x00\x00', 'latin1'), saslInit]));
    await pause(200);
    socket.write(Buffer.concat([Buffer.from('AMQP\x00\x01\x00\x00', 'latin1'), frame(0, [0x00, 0x53, 0x10, 0xc0, 0x04, 0x01, 0xa1, 0x01, 0x78])]));
    await pause(200);
    socket.write(frame(7, [0x00, 0x53, 0x14, 0xc0, 0x02, 0x01, 0x43]));
    await pause(300);
    return Buffer.concat(received);
  } finally {
    socket.destroy();
  }
}

describe('service-bus emulator: hostile AMQP input', { timeout: 45_000 }, () => {
  it('survives garbage, frames before open, huge sizes, wrong performatives and mutated frames', async () => {
    const emu = await startServiceBus({ config: TEST_CONFIG, inMemory: true });
    const port = portOf(emu.connectionString);
    try {
      const transcript = await recordClientBytes(port, emu.connectionString);
      expect(transcript.length).toBeGreaterThan(200);
      const header = Buffer.from('AMQP\x00\x01\x00\x00', 'latin1');
      await throwAt(port, Buffer.from('GET / HTTP/1.1\r\n\r\n'));
      await throwAt(port, Buffer.concat([header, Buffer.from([0, 0, 0, 8, 2, 0, 0, 0])])); // empty frame before open
      // a 4 GB frame claim is refused at once instead of being buffered
      const started = Date.now();
      await throwAt(port, Buffer.concat([header, Buffer.from([0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 1, 2, 3])]));
      expect(Date.now() - started).toBeLessThan(290);
      // a well-formed frame with a performative that makes no sense first (a transfer, descriptor 0x14)
      await throwAt(port, Buffer.concat([header, Buffer.from([0, 0, 0, 0x0c, 2, 0, 0, 0, 0x00, 0x53, 0x14, 0x45])]));
      let seed = 42;
      const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
      const attempts: Promise<Buffer>[] = [];
      const replies: Buffer[] = [];
      for (let i = 0; i < 300; i++) {
        const mutated = Buffer.from(transcript);
        const flips = 1 + Math.floor(random() * 4);
        for (let f = 0; f < flips; f++) mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
        const cut = random() < 0.3 ? Math.floor(random() * mutated.length) : mutated.length;
        attempts.push(throwAt(port, mutated.subarray(0, cut)));
        if (attempts.length >= 25) replies.push(...(await Promise.all(attempts.splice(0))));
      }
      replies.push(...(await Promise.all(attempts)));
      expect(replies).toHaveLength(300);
      // a bad frame after a proper open is answered with an AMQP close that carries the error
      expect((await badFrameAfterOpen(port)).toString('latin1')).toMatch(/amqp:decode-error/);
      // a normal SDK client still works
      const client = new ServiceBusClient(emu.connectionString);
      try {
        await client.createSender('rad').sendMessages({ body: 'still alive' });
        const [m] = await client.createReceiver('rad', { receiveMode: 'receiveAndDelete' }).receiveMessages(1, { maxWaitTimeInMs: 3000 });
        expect(m.body).toBe('still alive');
      } finally {
        await client.close();
      }
    } finally {
      await emu.close();
    }
  });
});
