/**
 * Compaction of the Service Bus emulator's durable log, through the official SDK against the
 * emulator in a child process (so it can be SIGKILLed), with a tiny threshold so compaction
 * happens within the test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';
import { openLog } from '../../../fixtures/service-bus/emulator/log.ts';
import { TEST_CONFIG, sleep } from './helpers.ts';
import { startEmulatorChild } from '../../../fixtures/emulators/child-process.ts';

const LOG = 'service-bus.log';
const children: ChildProcess[] = [];
const dirs: string[] = [];

/** dataDir is the emulator's own directory: child.ts keeps each emulator's data in <its dataDir>/<name> */
function newDataDir(): { dataDir: string; config: string } {
  const root = mkdtempSync(join(tmpdir(), 'moshpit-sb-compact-'));
  dirs.push(root);
  const dataDir = join(root, 'service-bus');
  mkdirSync(dataDir);
  const config = join(root, 'config.json');
  writeFileSync(config, JSON.stringify(TEST_CONFIG));
  return { dataDir, config };
}

/** The emulator through the one child entry (child.ts); the threshold comes in MOSHPIT_SB_LOG_COMPACT_BYTES as `moshpit emulators start` passes it on. */
async function startChild(dataDir: string, config: string, compactBytes: number, timeoutInMs = 5000): Promise<{ child: ChildProcess; client: ServiceBusClient; stderr: () => string }> {
  const started = await startEmulatorChild({ name: 'service-bus', dataDir: dirname(dataDir), configFiles: [config] }, { env: { MOSHPIT_SB_LOG_COMPACT_BYTES: String(compactBytes) } });
  children.push(started.process);
  const client = new ServiceBusClient(started.ready.serviceBus!.connectionString, { retryOptions: { maxRetries: 0, timeoutInMs } });
  return { child: started.process, client, stderr: started.stderr };
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Everything left in a queue (receive-and-delete until it is quiet). */
async function drain(client: ServiceBusClient, queue: string): Promise<ServiceBusReceivedMessage[]> {
  const receiver = client.createReceiver(queue, { receiveMode: 'receiveAndDelete' });
  const out: ServiceBusReceivedMessage[] = [];
  for (;;) {
    const batch = await receiver.receiveMessages(200, { maxWaitTimeInMs: 1500 });
    if (!batch.length) break;
    out.push(...batch);
  }
  await receiver.close();
  return out;
}

const logBytes = (dataDir: string): number => statSync(join(dataDir, LOG)).size;

afterEach(async () => {
  for (const c of children.splice(0)) await kill9(c);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('service-bus emulator: log compaction', { timeout: 40_000 }, () => {
  it('shrinks the log, and a kill -9 + restart keeps the uncompleted messages and never the completed ones', async () => {
    const { dataDir, config } = newDataDir();
    const first = await startChild(dataDir, config, 16 * 1024);
    const sender = first.client.createSender('q');
    const body = 'x'.repeat(1000);
    for (let b = 0; b < 3; b++) {
      await sender.sendMessages(Array.from({ length: 100 }, (_, k) => ({ body, messageId: `m${b * 100 + k}`, applicationProperties: { i: b * 100 + k, tag: 'keep' } })));
    }
    const receiver = first.client.createReceiver('q');
    const kept = new Map<string, number>(); // messageId → sequence number (left locked, never settled)
    const completed = new Set<string>();
    while (completed.size < 270) {
      const batch = await receiver.receiveMessages(100, { maxWaitTimeInMs: 2000 });
      expect(batch.length).toBeGreaterThan(0);
      const toComplete = batch.filter((m) => Number(m.applicationProperties!.i) % 10 !== 0);
      for (const m of batch) if (!toComplete.includes(m)) kept.set(String(m.messageId), Number(m.sequenceNumber));
      await Promise.all(toComplete.map((m) => receiver.completeMessage(m)));
      for (const m of toComplete) completed.add(String(m.messageId));
    }
    expect(kept.size).toBe(30);
    // 300 KB of bodies went through the log; once it is mostly dead it is compacted (a few more
    // appends give it its turn to check)
    const throughBytes = 300 * 1000;
    let extra = 0;
    while (logBytes(dataDir) > throughBytes / 3 && extra < 40) await sender.sendMessages({ body: 'tick', messageId: `extra${extra++}` });
    expect(logBytes(dataDir)).toBeLessThan(throughBytes / 3);
    expect(existsSync(join(dataDir, `${LOG}.compact`))).toBe(false);
    await kill9(first.child);
    await first.client.close().catch(() => undefined);

    const second = await startChild(dataDir, config, 16 * 1024);
    const after = await drain(second.client, 'q');
    const byId = new Map(after.map((m) => [String(m.messageId), m]));
    expect(after.length).toBe(byId.size); // no duplicates
    expect([...completed].filter((id) => byId.has(id))).toEqual([]);
    for (const [id, seq] of kept) {
      const m = byId.get(id);
      expect(m, id).toBeDefined();
      expect(Number(m!.sequenceNumber)).toBe(seq);
      expect(m!.applicationProperties).toMatchObject({ tag: 'keep', i: Number(id.slice(1)) });
      expect(m!.body).toBe(body);
    }
    expect(after.length).toBe(kept.size + extra);
    // the sequence-number counter survived the snapshot: new messages keep counting up
    await second.client.createSender('q').sendMessages({ body: 'new', messageId: 'new' });
    const [fresh] = await drain(second.client, 'q');
    expect(Number(fresh.sequenceNumber)).toBeGreaterThan(Math.max(...after.map((m) => Number(m.sequenceNumber))));
    expect(second.stderr()).toBe('');
  });

  it('kill -9 while compacting constantly under a send load loses nothing acknowledged and duplicates nothing', async () => {
    const { dataDir, config } = newDataDir();
    const acked = new Set<string>(); // sends to 'rad' the SDK saw acknowledged (never received before the end)
    const completedAcked = new Set<string>(); // churn on 'q' whose completion the SDK saw acknowledged
    const completing = new Set<string>(); // completions in flight when the broker died
    const churnBody = 'c'.repeat(4000);
    let next = 0;
    let compactLeftovers = 0;
    let churnSent = 0;
    const t0 = Date.now();
    for (let round = 0; round < 3; round++) {
      const run = await startChild(dataDir, config, 4096, 1500); // short: calls in flight at the kill fail fast
      let stop = false;
      const load = async (): Promise<void> => {
        const s = run.client.createSender('rad');
        while (!stop) {
          const ids = Array.from({ length: 5 }, () => `r${next++}`);
          try {
            await s.sendMessages(ids.map((id) => ({ body: id, messageId: id })));
            for (const id of ids) acked.add(id);
            await sleep(5); // the churn below, not this load, is what fills the log
          } catch {
            return;
          }
        }
      };
      const churn = async (): Promise<void> => {
        const s = run.client.createSender('q');
        const r = run.client.createReceiver('q');
        while (!stop) {
          try {
            await s.sendMessages(Array.from({ length: 20 }, (_, k) => ({ body: churnBody, messageId: `c${round}-${next++}-${k}` })));
            churnSent += 20;
            const got = await r.receiveMessages(20, { maxWaitTimeInMs: 500 });
            await Promise.all(got.map(async (m) => {
              completing.add(String(m.messageId));
              await r.completeMessage(m);
              completing.delete(String(m.messageId));
              completedAcked.add(String(m.messageId));
            }));
          } catch {
            return;
          }
        }
      };
      const work = Promise.all([load(), load(), churn()]);
      await sleep(900 + round * 200);
      await kill9(run.child);
      stop = true;
      await work;
      await run.client.close().catch(() => undefined);
      if (existsSync(join(dataDir, `${LOG}.compact`))) compactLeftovers++;
    }
    const logAfterRoundsBytes = logBytes(dataDir); // before the drain below empties it
    const last = await startChild(dataDir, config, 4096);
    const rad = await drain(last.client, 'rad');
    const q = await drain(last.client, 'q');
    const radIds = rad.map((m) => String(m.messageId));
    const qIds = new Set(q.map((m) => String(m.messageId)));
    if (process.env.MOSHPIT_TEST_VERBOSE) console.log({ ms: Date.now() - t0, acked: acked.size, churnSent, completed: completedAcked.size, logAfterRoundsBytes, compactLeftovers });
    expect(acked.size).toBeGreaterThan(100);
    expect(completedAcked.size).toBeGreaterThan(100);
    expect(new Set(radIds).size).toBe(radIds.length); // no duplicates
    expect([...acked].filter((id) => !radIds.includes(id))).toEqual([]); // nothing acknowledged lost
    expect(radIds.filter((id) => !acked.has(id)).length).toBeLessThanOrEqual(10 * 2 * 3); // only in-flight sends at a kill
    expect(q.length).toBe(qIds.size);
    expect([...completedAcked].filter((id) => qIds.has(id))).toEqual([]); // completed never come back
    // the log stayed near its live content although far more went through it
    const liveEstimateBytes = rad.length * 300 + q.length * 4300;
    expect(logAfterRoundsBytes).toBeLessThan(2 * liveEstimateBytes + 64 * 1024);
    expect(logAfterRoundsBytes).toBeLessThan((churnSent * 4000) / 2);
    expect(last.stderr()).toBe('');
    void compactLeftovers; // how often a kill hit mid-snapshot (informative; timing-dependent)
  });

  it('deferred, scheduled and dead-lettered messages and session state survive a compaction and a restart', async () => {
    const { dataDir, config } = newDataDir();
    const first = await startChild(dataDir, config, 16 * 1024);
    const sender = first.client.createSender('q');
    await sender.sendMessages([{ body: 'defer-me', messageId: 'd' }, { body: 'dead', messageId: 'x' }]);
    const receiver = first.client.createReceiver('q');
    const got = await receiver.receiveMessages(2, { maxWaitTimeInMs: 3000 });
    expect(got.length).toBe(2);
    const deferred = got.find((m) => m.messageId === 'd')!;
    await receiver.deferMessage(deferred);
    await receiver.deadLetterMessage(got.find((m) => m.messageId === 'x')!, { deadLetterReason: 'bad-song', deadLetterErrorDescription: 'checksum mismatch' });
    const inAnHour = new Date(Date.now() + 3_600_000);
    const [scheduledSeq] = await sender.scheduleMessages({ body: 'later', messageId: 's', applicationProperties: { k: 'v' } }, inAnHour);
    const session = await first.client.acceptSession('sess', 'song-1');
    await session.setSessionState('state-of-song-1');
    await session.close();
    // churn: 400 KB through the log, all of it received and deleted, so compaction is due
    const before = logBytes(dataDir);
    const rad = first.client.createReceiver('q', { receiveMode: 'receiveAndDelete' });
    for (let b = 0; b < 4; b++) {
      await sender.sendMessages(Array.from({ length: 100 }, (_, k) => ({ body: 'y'.repeat(1000), messageId: `y${b}-${k}` })));
      let left = 100;
      while (left > 0) left -= (await rad.receiveMessages(left, { maxWaitTimeInMs: 2000 })).length;
    }
    let extra = 0;
    while (logBytes(dataDir) > before + 100_000 && extra < 40) await first.client.createSender('rad').sendMessages({ body: 'tick', messageId: `t${extra++}` });
    expect(logBytes(dataDir)).toBeLessThan(before + 100_000);
    await kill9(first.child);
    await first.client.close().catch(() => undefined);

    const second = await startChild(dataDir, config, 16 * 1024);
    const r2 = second.client.createReceiver('q');
    const [back] = await r2.receiveDeferredMessages(deferred.sequenceNumber!);
    expect(back?.messageId).toBe('d');
    expect(back.body).toBe('defer-me');
    await r2.completeMessage(back);
    const peeked = await r2.peekMessages(10, { fromSequenceNumber: scheduledSeq });
    const scheduled = peeked.find((m) => m.messageId === 's');
    expect(scheduled?.state).toBe('scheduled');
    expect(scheduled?.applicationProperties).toMatchObject({ k: 'v' });
    expect(scheduled?.scheduledEnqueueTimeUtc?.getTime()).toBe(inAnHour.getTime());
    expect((await r2.receiveMessages(5, { maxWaitTimeInMs: 500 })).length).toBe(0); // nothing else is active
    const dlq = second.client.createReceiver('q', { subQueueType: 'deadLetter', receiveMode: 'receiveAndDelete' });
    const dead = await dlq.receiveMessages(5, { maxWaitTimeInMs: 2000 });
    expect(dead.map((m) => [m.messageId, m.deadLetterReason, m.deadLetterErrorDescription])).toEqual([['x', 'bad-song', 'checksum mismatch']]);
    const s2 = await second.client.acceptSession('sess', 'song-1');
    expect((await s2.getSessionState())?.toString()).toBe('state-of-song-1');
    await s2.close();
    await second.client.close();
  });

  it('a snapshot cut short by a crash is ignored, and the records of a turn follow the snapshot that ran before them', async () => {
    const { dataDir } = newDataDir();
    const first = openLog(dataDir, LOG, { compactBytes: 1024 });
    await first.log.appendMany(Array.from({ length: 20 }, (_, i) => ({ meta: { t: 'enq', e: 'q', s: i + 1 }, payload: Buffer.alloc(100, i) })));
    await first.log.close();
    writeFileSync(join(dataDir, `${LOG}.compact`), Buffer.from([0, 0, 1, 0, 0, 0])); // killed mid-snapshot
    const second = openLog(dataDir, LOG, { compactBytes: 1024 });
    expect(second.records.map((r) => r.meta.s)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(existsSync(join(dataDir, `${LOG}.compact`))).toBe(false);
    // all but one are dead; the next turn compacts first, then writes its own records
    second.setSnapshotSource({ liveBytes: () => 200, snapshotRecords: () => [{ meta: { t: 'snap', v: 1, seq: 20 } }, { meta: { t: 'enq', e: 'q', s: 7 }, payload: Buffer.alloc(100, 6) }] });
    await Promise.all([second.log.append({ t: 'del', e: 'q', s: 3 }), second.log.append({ t: 'enq', e: 'q', s: 21 }, Buffer.alloc(10))]);
    expect(second.stats().compactions).toBe(1);
    await second.log.append({ t: 'del', e: 'q', s: 7 });
    await second.log.close();
    const third = openLog(dataDir, LOG);
    await third.log.close();
    expect(third.records.map((r) => [r.meta.t, r.meta.s ?? r.meta.seq])).toEqual([['snap', 20], ['enq', 7], ['del', 3], ['enq', 21], ['del', 7]]);
    expect(third.records[1].payload).toEqual(Buffer.alloc(100, 6));
  });
});
