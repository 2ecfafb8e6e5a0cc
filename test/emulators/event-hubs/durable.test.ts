/** Acknowledged events survive kill -9 of the emulator process with the same sequence numbers and offsets. */
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { afterAll, describe, expect, it } from 'vitest';
import { PartitionLog } from '../../../fixtures/event-hubs/emulator/log.ts';
import { collect, config, FAST_RETRY } from './helpers.ts';
import { startEmulatorChild, type ChildOptionsInput } from '../../../fixtures/emulators/child-process.ts';

const dirs: string[] = [];
const children: ChildProcess[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'moshpit-eh-'));
  dirs.push(dir);
  return dir;
}

/** The emulator through the one child entry (child.ts), so it can be SIGKILLed. */
async function startChild(options: Omit<ChildOptionsInput, 'name'>): Promise<{ child: ChildProcess; connectionString: string; controlUrl: string }> {
  const started = await startEmulatorChild({ name: 'event-hubs', ...options });
  children.push(started.process);
  return { child: started.process, ...started.ready.eventHubs! };
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((r) => child.once('exit', (code) => r(code)));
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('durable partition log', () => {
  it('keeps acknowledged events across kill -9 with the same sequence numbers and offsets', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(config([{ Name: 'durable', PartitionCount: '2' }])));
    const first = await startChild({ configFiles: [file], dataDir: join(dir, 'data') });
    const producer = new EventHubProducerClient(first.connectionString, 'durable', { retryOptions: FAST_RETRY });
    for (let i = 0; i < 20; i++) await producer.sendBatch([{ body: `e${i}` }, { body: `f${i}` }], { partitionId: String(i % 2) });
    await producer.close();
    const before = await collect(first.connectionString, 'durable', { count: 40, startPosition: earliestEventPosition });
    expect(before).toHaveLength(40);
    first.child.kill('SIGKILL');
    await exited(first.child);

    const second = await startChild({ configFiles: [file], dataDir: join(dir, 'data') });
    const after = await collect(second.connectionString, 'durable', { count: 40, startPosition: earliestEventPosition });
    const key = (r: (typeof before)[number]) => `${r.partitionId}/${r.event.sequenceNumber}/${r.event.offset}/${String(r.event.body)}`;
    expect(after.map(key).sort()).toEqual(before.map(key).sort());
    // the log continues where it stopped
    const more = new EventHubProducerClient(second.connectionString, 'durable', { retryOptions: FAST_RETRY });
    await more.sendBatch([{ body: 'next' }], { partitionId: '0' });
    const props = await more.getPartitionProperties('0');
    await more.close();
    expect(props.lastEnqueuedSequenceNumber).toBe(20);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  });

  it('drops a torn last record on restart and keeps the rest', () => {
    const dir = tempDir();
    const options = { dir, retentionMs: 3_600_000, retentionBytes: 1 << 30 };
    const data = Buffer.concat([Buffer.from([0x00, 0x53, 0x75, 0xa0, 0x03]), Buffer.from('abc')]);
    const log = new PartitionLog(options);
    log.append([data, data], undefined);
    log.append([data], 'k');
    const offsets = [0, 1, 2].map((i) => log.at(i)?.offset);
    log.close();
    const segment = readdirSync(dir).find((f) => f.endsWith('.seg')) as string;
    appendFileSync(join(dir, segment), Buffer.from([0, 0, 0, 99, 1, 2, 3]));
    const reopened = new PartitionLog(options);
    expect(reopened.count).toBe(3);
    expect([0, 1, 2].map((i) => reopened.at(i)?.offset)).toEqual(offsets);
    reopened.append([data], undefined);
    expect(reopened.at(3)?.seq).toBe(3);
    reopened.close();
    expect(new PartitionLog(options).count).toBe(4);
  });

  it('moves the beginning on retention (time and size) and persists it', () => {
    const dir = tempDir();
    const data = Buffer.concat([Buffer.from([0x00, 0x53, 0x75, 0xa0, 0x03]), Buffer.from('abc')]);
    const log = new PartitionLog({ dir, retentionMs: 60_000, retentionBytes: 1 << 20, segmentBytes: 100 });
    for (let i = 0; i < 10; i++) log.append([data], undefined);
    expect(log.applyRetention(Date.now())).toBe(0);
    expect(log.applyRetention(Date.now() + 120_000)).toBe(10);
    expect(log.beginSeq).toBe(10);
    for (let i = 0; i < 10; i++) log.append([data], undefined);
    const size = log.sizeBytes;
    log.close();
    const capped = new PartitionLog({ dir, retentionMs: 60_000, retentionBytes: Math.floor(size / 2) });
    expect(capped.count).toBe(10);
    capped.applyRetention();
    expect(capped.beginSeq).toBeGreaterThan(10);
    expect(capped.sizeBytes).toBeLessThanOrEqual(Math.floor(size / 2));
    const begin = capped.beginSeq;
    capped.close();
    expect(new PartitionLog({ dir, retentionMs: 60_000, retentionBytes: 1 << 20 }).beginSeq).toBe(begin);
  });
});
