// The emulator kit's append-only log and section walker, alone: framing round trips, a torn or
// corrupt tail is cut and later appends stay readable, compaction replaces the file atomically.
import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import rhea from 'rhea';
import { AppendLog } from '../../../fixtures/emulators/common/durable-log.ts';
import { lengthPrefixed, lines, type Framing } from '../../../fixtures/emulators/common/log-framing.ts';
import { AmqpSectionError, requireSections, splitBatch } from '../../../fixtures/emulators/common/amqp-sections.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempFile(): string {
  const d = mkdtempSync(join(tmpdir(), 'moshpit-kit-log-'));
  dirs.push(d);
  return join(d, 'x.log');
}

function record(framing: Framing, text: string): Buffer[] {
  const head = Buffer.alloc(framing.headBytes);
  return [head, Buffer.from(text)];
}

function reopen(file: string, framing: Framing): { log: AppendLog; bodies: string[] } {
  const bodies: string[] = [];
  const log = AppendLog.open(file, framing, (_at, frame) => {
    bodies.push(frame.body.toString());
    return true;
  });
  return { log, bodies };
}

const framings: Array<[string, Framing]> = [
  ['length-prefixed', lengthPrefixed({ checksum: false })],
  ['checksummed', lengthPrefixed({ checksum: true })],
  ['lines', lines],
];

describe('emulator kit: durable log', () => {
  for (const [name, framing] of framings) {
    it(`${name}: writes a turn in one flush, replays it, cuts a torn tail and keeps appending after it`, async () => {
      const file = tempFile();
      const first = reopen(file, framing).log;
      first.append(record(framing, 'one'));
      first.append(record(framing, 'two'));
      await first.turnWritten();
      first.close();
      appendFileSync(file, Buffer.from([0x00, 0x00, 0x00, 0x30, 0x7b])); // a torn record
      const second = reopen(file, framing);
      expect(second.bodies).toEqual(['one', 'two']);
      second.log.append(record(framing, 'three'));
      second.log.close();
      expect(reopen(file, framing).bodies).toEqual(['one', 'two', 'three']);
    });
  }

  it('checksummed: a flipped byte ends the log at that record', () => {
    const framing = lengthPrefixed({ checksum: true });
    const file = tempFile();
    const log = reopen(file, framing).log;
    for (const text of ['aaaa', 'bbbb', 'cccc']) log.append(record(framing, text));
    log.close();
    const bytes = readFileSync(file);
    bytes[8 + 4 + 8 + 1] ^= 0xff; // inside the second record's body
    writeFileSync(file, bytes);
    expect(reopen(file, framing).bodies).toEqual(['aaaa']);
    expect(statSync(file).size).toBe(12);
  });

  it('compaction replaces the whole file atomically and appends continue in the new one', async () => {
    const framing = lengthPrefixed({ checksum: false });
    const file = tempFile();
    writeFileSync(`${file}.compact`, 'half-written snapshot');
    const { log } = reopen(file, framing);
    expect(existsSync(`${file}.compact`)).toBe(false);
    for (let i = 0; i < 50; i++) log.append(record(framing, `dead${i}`));
    await log.turnWritten();
    const bytes = log.replaceWith([record(framing, 'live')]);
    expect(bytes).toBe(statSync(file).size);
    log.append(record(framing, 'after'));
    log.close();
    expect(reopen(file, framing).bodies).toEqual(['live', 'after']);
  });

  it('an empty turn still resolves, and waiters hear about the write', async () => {
    const log = reopen(tempFile(), lines).log;
    await log.turnWritten();
    const heard: unknown[] = [];
    log.whenWritten((e) => heard.push(e ?? 'now'));
    log.append(record(lines, 'x'));
    log.whenWritten((e) => heard.push(e ?? 'written'));
    log.flush();
    expect(heard).toEqual(['now', 'written']);
    log.close();
  });
});

describe('emulator kit: section walker', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const amqp = (rhea as any).message;
  it('splits a batch into views, and says where a malformed message stops', () => {
    const inner = [amqp.encode({ body: amqp.data_section(Buffer.from('a')) }), amqp.encode({ body: amqp.data_section(Buffer.from('b')) })];
    const outer: Buffer = amqp.encode({ body: amqp.data_sections(inner) });
    expect(splitBatch(outer)!.map((b) => b.toString('hex'))).toEqual(inner.map((b) => b.toString('hex')));
    const withValue: Buffer = amqp.encode({ body: 'text' });
    expect(splitBatch(withValue)).toBeUndefined();
    expect(splitBatch(withValue, true)).toEqual([]);
    expect(requireSections(inner[0]).map((s) => s.code).at(-1)).toBe(0x75);
    expect(() => requireSections(Buffer.from([0x00, 0x53, 0x75, 0xb0, 0xff, 0xff, 0xff, 0x00, 1]))).toThrow(AmqpSectionError);
    expect(() => requireSections(Buffer.from([0x40]))).toThrow(/expected a described message section at byte 0/);
    expect(() => requireSections(Buffer.from([0x00, 0x53, 0x20, 0x40]))).toThrow(/unknown message section 0x20/);
  });
});
