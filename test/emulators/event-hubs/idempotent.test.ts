/**
 * Idempotent producers at the AMQP level (the SDK only retries a batch when an acknowledgement
 * is lost, which a test cannot arrange reliably): a raw rhea client re-sends a batch with the same
 * producer sequence numbers and the broker appends it once; a gap is refused.
 */
import { createHmac } from 'node:crypto';
import rhea from 'rhea';
import type { Connection, EventContext, Message, Sender } from 'rhea';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventHubs, type RunningEventHubs } from '../../../fixtures/event-hubs/emulator/server.ts';
import { config } from './helpers.ts';
import { controlKey } from '../../../fixtures/emulators/common/control-key.ts';
import { controlFetch } from '../../../runner/stack/control-client.ts';

const r = rhea as unknown as {
  create_container(): { connect(o: object): Connection; on(e: string, f: (c: EventContext) => void): void };
  message: { encode(m: object): Buffer; data_sections(d: Buffer[]): unknown };
  types: { wrap_int(n: number): unknown };
};

let eh: RunningEventHubs;
let connection: Connection | undefined;
beforeAll(async () => {
  eh = await startEventHubs({ inMemory: true, config: config([{ Name: 'idem', PartitionCount: '1' }]) });
}, 10_000);
afterAll(async () => {
  connection?.close();
  await eh?.close();
});

function sasToken(resource: string, key: string): string {
  const se = Math.floor(Date.now() / 1000) + 600;
  const sr = encodeURIComponent(resource);
  const sig = encodeURIComponent(createHmac('sha256', key).update(`${sr}\n${se}`).digest('base64'));
  return `SharedAccessSignature sr=${sr}&sig=${sig}&se=${se}&skn=RootManageSharedAccessKey`;
}

function once<T>(register: (resolve: (value: T) => void) => void, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 5000);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

describe('idempotent producer (raw AMQP)', () => {
  it('appends a re-sent batch once and refuses a gap', { timeout: 20_000 }, async () => {
    const port = Number(/sb:\/\/[^:]+:(\d+)/.exec(eh.connectionString)?.[1]);
    const key = /SharedAccessKey=([^;]+)/.exec(eh.connectionString)?.[1] as string;
    const container = r.create_container();
    container.on('disconnected', () => undefined);
    const conn = container.connect({ host: '127.0.0.1', port, username: 'anonymous', reconnect: false });
    connection = conn;
    const cbsOut = conn.open_sender('$cbs');
    const cbsIn = conn.open_receiver({ source: { address: '$cbs' }, target: { address: 'cbs-reply' }, name: 'cbs-reply' } as never);
    await once<void>((done) => cbsIn.once('receiver_open', () => done()), 'cbs link');
    const cbsReply = once<Message>((done) => cbsIn.once('message', (c: EventContext) => done(c.message as Message)), 'cbs reply');
    await once<void>((done) => (cbsOut.sendable() ? done() : cbsOut.once('sendable', () => done())), 'cbs credit');
    cbsOut.send({ message_id: 'm1', reply_to: 'cbs-reply', body: sasToken(`sb://127.0.0.1:${port}/idem`, key), application_properties: { operation: 'put-token', name: `sb://127.0.0.1:${port}/idem`, type: 'servicebus.windows.net:sastoken' } });
    expect((await cbsReply).application_properties?.['status-code']).toBe(202);

    const sender: Sender = conn.open_sender({ target: { address: 'idem/Partitions/0' }, desired_capabilities: ['com.microsoft:idempotent-producer'], properties: {} } as never);
    await once<void>((done) => sender.once('sendable', () => done()), 'producer link');
    const props = sender.properties as Record<string, unknown>;
    expect(props['com.microsoft:producer-sequence-number']).toBe(-1);
    expect(Number(props['com.microsoft:producer-id'])).toBeGreaterThan(0);

    const batch = (seq: number, bodies: string[]) => r.message.encode({
      message_annotations: { 'com.microsoft:producer-sequence-number': r.types.wrap_int(seq) },
      body: r.message.data_sections(bodies.map((body) => r.message.encode({ body }))),
    });
    const outcome = (seq: number, bodies: string[]) => once<string>((done) => {
      const delivery = sender.send(batch(seq, bodies) as never, undefined, 0x80013700);
      const check = (c: EventContext) => {
        if (c.delivery !== delivery) return;
        sender.removeListener('accepted', check);
        sender.removeListener('rejected', check);
        done((c.delivery.remote_state as { error?: unknown } | undefined)?.error ? 'rejected' : 'accepted');
      };
      sender.on('accepted', check);
      sender.on('rejected', check);
    }, `outcome of batch ${seq}`);

    expect(await outcome(0, ['a', 'b'])).toBe('accepted');
    expect(await outcome(0, ['a', 'b'])).toBe('accepted'); // a retry: acknowledged, not appended
    expect(await outcome(2, ['c'])).toBe('accepted');
    expect(await outcome(9, ['gap'])).toBe('rejected');
    const entities = (await (await controlFetch(`${eh.controlUrl}/entities`, { key: controlKey() })).json()) as { hubs: Array<{ partitions: Array<{ events: number }> }> };
    expect(entities.hubs[0].partitions[0].events).toBe(3);
  });
});
