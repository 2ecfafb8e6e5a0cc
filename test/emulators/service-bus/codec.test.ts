import { describe, expect, it } from 'vitest';
import rhea from 'rhea';
import { BATCH_FORMAT, decodeHead, PROPERTY_NAMES, slowHead, unpackTransfer } from '../../../fixtures/service-bus/emulator/amqp-codec.ts';
import { scanSections, skipValue } from '../../../fixtures/emulators/common/amqp-sections.ts';
import { readFieldList } from '../../../fixtures/emulators/common/amqp-plain-fields.ts';
import { fromBytes } from '../../../fixtures/service-bus/emulator/message.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const amqp = (rhea as any).message;
const body = amqp.data_section(Buffer.from('x'.repeat(300)));

const samples: Record<string, Record<string, unknown>> = {
  'id only': { message_id: 'm1', body },
  'every property': {
    durable: true, priority: 7, ttl: 60_000, message_id: 'm2', user_id: Buffer.from('u'), to: 'to', subject: 's', reply_to: 'r',
    correlation_id: 'c', content_type: 'application/json', content_encoding: 'gzip', absolute_expiry_time: new Date(1_700_000_000_000),
    creation_time: new Date(1_600_000_000_000), group_id: 'song-1', group_sequence: 3, reply_to_group_id: 'g2', body,
  },
  'annotations and application properties': {
    message_id: 'm3', message_annotations: { 'x-opt-partition-key': 'k', 'x-opt-scheduled-enqueue-time': new Date(2_000_000_000_000) },
    application_properties: { a: 1, b: 'two', c: true, d: null }, body,
  },
  'numeric message id': { message_id: 42, body },
  'uuid message id (rhea decoder)': { message_id: rhea.types.wrap_uuid(Buffer.alloc(16, 7)), body },
  'value body': { message_id: 'm4', body: { some: 'json' } },
  'no body': { message_id: 'm5', application_properties: { x: 1 } },
};

describe('service-bus emulator: send-path codec', () => {
  for (const [name, message] of Object.entries(samples)) {
    it(`decodes the head like rhea does: ${name}`, () => {
      const bytes: Buffer = amqp.encode(message);
      const spans = scanSections(bytes, true)!;
      const properties = spans.find((s) => s.code === 0x73)!;
      // the fast path reads the properties itself, except for types it leaves to rhea
      expect(readFieldList(bytes, properties, PROPERTY_NAMES) === undefined).toBe(name.includes('rhea decoder'));
      const fast = decodeHead(bytes);
      const slow = slowHead(bytes);
      expect(fast).toEqual(slow);
      expect(fast.tailStart).toBe(slow.tailStart);
      expect(bytes[fast.tailStart + 2]).toBeGreaterThan(0x72);
    });
  }

  it('splits a batch into its messages without copying, and rejects non-data bodies', () => {
    const inner = [amqp.encode({ message_id: 'a', body }), amqp.encode({ message_id: 'b', body: amqp.data_section(Buffer.alloc(70_000, 1)) })];
    const outer: Buffer = amqp.encode({ message_annotations: { 'x-opt-partition-key': 'k' }, body: amqp.data_sections(inner) });
    const parts = unpackTransfer(outer, BATCH_FORMAT);
    expect(parts.map((p) => p.toString('hex'))).toEqual(inner.map((p) => p.toString('hex')));
    expect(parts[0].buffer).toBe(outer.buffer);
    expect(() => unpackTransfer(amqp.encode({ body: 'text' }), BATCH_FORMAT)).toThrow(/data sections/);
    expect(() => unpackTransfer(Buffer.from([0x00, 0x53, 0x75, 0xb0, 0xff, 0xff, 0xff, 0x00, 1]), BATCH_FORMAT)).toThrow();
  });

  it('refuses truncated or unknown encodings instead of reading past the end', () => {
    expect(skipValue(Buffer.from([0xa1, 0x05, 0x61]), 0)).toBe(-1);
    expect(skipValue(Buffer.from([0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x53]), 0)).toBe(-1);
    expect(skipValue(Buffer.from([0x1f]), 0)).toBe(-1);
    expect(skipValue(Buffer.from([0xc0, 0x02, 0x01, 0x40]), 0)).toBe(4);
    expect(scanSections(Buffer.from([0x00, 0x53, 0x73, 0xc0, 0x09]), true)).toBeUndefined();
  });

  it('assigns a message id when the client sent none, keeping every other part', () => {
    const bytes: Buffer = amqp.encode({ subject: 's', application_properties: { a: 1 }, body });
    const m = fromBytes(bytes, 1, 1000, 60_000);
    expect(m.properties.message_id).toMatch(/^[0-9a-f]{32}$/);
    const decoded = amqp.decode(m.bytes);
    expect(decoded.message_id).toBe(m.properties.message_id);
    expect(decoded.subject).toBe('s');
    expect(decoded.application_properties).toEqual({ a: 1 });
    expect(decoded.body.content.toString()).toBe('x'.repeat(300));
    const bare: Buffer = amqp.encode({ body });
    expect(amqp.decode(fromBytes(bare, 2, 1000, 60_000).bytes).message_id).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('service-bus emulator: batch log records', () => {
  it('writes a sent batch as one record and replays it as the same messages', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openLog } = await import('../../../fixtures/service-bus/emulator/log.ts');
    const { enqueueRecords, splitEnqueueRecord } = await import('../../../fixtures/service-bus/emulator/log-records.ts');
    const dir = mkdtempSync(join(tmpdir(), 'moshpit-sb-codec-'));
    try {
      const batch = [1, 2, 3].map((i) => fromBytes(amqp.encode({ message_id: `m${i}`, body: amqp.data_section(Buffer.alloc(i * 10, i)) }), 10 + i, 5000 + (i === 3 ? 1 : 0), 60_000));
      const records = enqueueRecords('q', batch);
      expect(records).toHaveLength(1);
      const opened = openLog(dir);
      await opened.log.appendMany(records);
      await opened.log.close();
      const replayed = openLog(dir);
      await replayed.log.close();
      expect(replayed.records).toHaveLength(1);
      const split = splitEnqueueRecord(replayed.records[0].meta, replayed.records[0].payload!);
      expect(split.map((r) => [r.meta.s, r.meta.en, r.meta.x, r.payload!.toString('hex')])).toEqual(batch.map((m) => [m.seq, m.enqueuedMs, m.expiresMs, m.bytes.toString('hex')]));
      batch[1].deliveryCount = 1;
      expect(enqueueRecords('q', batch).map((r) => r.meta.t)).toEqual(['enq', 'enq', 'enq']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('service-bus emulator: hostile heads', () => {
  it('falls back to rhea (and its error) when a properties list runs past the message', () => {
    // properties list8 claiming 2 fields, the second a uint cut off by the end of the buffer
    const bytes = Buffer.from([0x00, 0x53, 0x73, 0xc0, 0x04, 0x02, 0xa1, 0x00, 0x70, 0x00]);
    expect(() => decodeHead(bytes)).toThrow();
    const truncated = Buffer.from([0x00, 0x53, 0x73, 0xc0, 0x09, 0x02, 0xa1, 0x01, 0x61, 0x70, 0x00, 0x00]);
    expect(() => decodeHead(truncated)).toThrow();
  });
});
