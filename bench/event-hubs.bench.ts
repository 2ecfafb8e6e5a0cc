/**
 * Event Hubs emulator throughput through the official SDK, side by side with a bare rhea server
 * that only stores and replays (the ceiling on this machine). 1 KB events, batches of 100, four
 * partitions sent to concurrently; then one consumer reads everything back from earliest.
 * Prints events/s for both and the ratio (target >= 0.8). Server and client share this process
 * in both cases, so the comparison is like for like.
 *   node --import tsx bench/event-hubs.bench.ts [events]
 *
 * Profiles: the ratios above are the emulator under `ideal` (as before profiles existed). Then,
 * in the same run, the emulator in a child process under `ideal` and under `standard` with its
 * throughput-unit quotas on but a million times higher (nothing throttled, every batch and
 * event counted) and the latency model off: the emulator's own CPU per event (sent + received,
 * /proc/<pid>/stat) side by side, paired runs alternating. Target: standard at most 10% above.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo, Server } from 'node:net';
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from '@azure/event-hubs';
import rhea from 'rhea';
import type { EventContext, Message, Sender } from 'rhea';
import { BATCH_FORMAT, splitBatch } from '../fixtures/emulators/common/amqp-sections.ts';
import { startEventHubs } from '../fixtures/emulators/event-hubs/server.ts';
import { writeFileSync } from 'node:fs';
import { cpuMsOf, startProfileChild, type BenchProfile } from './profile-child.ts';

const EVENTS = Number(process.argv[2] ?? 20_000);
const BATCH = 100;
const PARTITIONS = 4;
const HUB = 'bench';
const payload = Buffer.alloc(1024, 7);

/** Stores each event of each batch per partition address and replays them to receivers. */
async function startBare(): Promise<{ connectionString: string; close(): Promise<void> }> {
  const container = rhea.create_container({ autoaccept: false } as never);
  container.sasl_server_mechanisms.enable_anonymous();
  const stored = new Map<string, Buffer[]>();
  const replies = new Map<string, Sender>();
  const readers = new Map<Sender, { partition: string; next: number }>();
  const pump = (sender: Sender) => {
    const reader = readers.get(sender);
    const events = reader ? stored.get(reader.partition) ?? [] : [];
    while (reader && reader.next < events.length && sender.sendable()) sender.send(events[reader.next++], undefined, 0);
  };
  container.on('sender_open', (ctx: EventContext) => {
    const sender = ctx.sender as Sender;
    const source = String(sender.source?.address ?? '');
    if (source === '$cbs') return void replies.set(String(sender.target?.address ?? sender.name), sender);
    const partition = source.split('/').pop() as string;
    (sender as unknown as { local: { attach: Record<string, unknown> } }).local.attach.snd_settle_mode = 1;
    readers.set(sender, { partition, next: 0 });
  });
  container.on('receiver_open', (ctx: EventContext) => {
    (ctx.receiver as unknown as { local: { attach: Record<string, unknown> } }).local.attach.max_message_size = 1024 * 1024;
  });
  container.on('sendable', (ctx: EventContext) => pump(ctx.sender as Sender));
  container.on('message', (ctx: EventContext) => {
    const address = String(ctx.receiver?.target?.address ?? '');
    if (address === '$cbs') {
      const request = ctx.message as { reply_to?: string; message_id?: unknown };
      replies.get(String(request.reply_to))?.send({ correlation_id: request.message_id as string, application_properties: { 'status-code': 202 }, body: null } as Message);
      return void ctx.delivery?.accept();
    }
    const partition = address.split('/').pop() as string;
    const raw = ctx.message as unknown as Buffer;
    const list = stored.get(partition) ?? [];
    stored.set(partition, list);
    if ((ctx as unknown as { format?: number }).format === BATCH_FORMAT) {
      for (const event of splitBatch(raw, true) ?? []) list.push(event);
    } else list.push(raw);
    ctx.delivery?.accept();
  });
  for (const event of ['error', 'connection_error', 'protocol_error', 'disconnected']) container.on(event, () => undefined);
  const server = container.listen({ port: 0, host: '127.0.0.1' } as never) as unknown as Server;
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  return {
    connectionString: `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function sendAll(connectionString: string): Promise<number> {
  const producer = new EventHubProducerClient(connectionString, HUB);
  const started = performance.now();
  await Promise.all(Array.from({ length: PARTITIONS }, async (_, p) => {
    for (let sent = 0; sent < EVENTS / PARTITIONS; sent += BATCH) {
      await producer.sendBatch(Array.from({ length: BATCH }, () => ({ body: payload })), { partitionId: String(p) });
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  await producer.close();
  return EVENTS / seconds;
}

async function receiveAll(connectionString: string): Promise<number> {
  const consumer = new EventHubConsumerClient('$Default', connectionString, HUB);
  let received = 0;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`received only ${received} of ${EVENTS} events in 120 s`)), 120_000);
    const subscriptions = Array.from({ length: PARTITIONS }, (_, p) => consumer.subscribe(String(p), {
      processEvents: async (events) => {
        received += events.length;
        if (received >= EVENTS) {
          clearTimeout(timer);
          resolve();
        }
      },
      processError: async () => undefined,
    }, { startPosition: earliestEventPosition, maxBatchSize: BATCH, maxWaitTimeInSeconds: 0.2 }));
    void subscriptions;
  });
  const seconds = (performance.now() - started) / 1000;
  await consumer.close();
  return EVENTS / seconds;
}

async function measure(name: string, start: () => Promise<{ connectionString: string; close(): Promise<void> }>) {
  const target = await start();
  try {
    const send = await sendAll(target.connectionString);
    const receive = await receiveAll(target.connectionString);
    console.log(`${name.padEnd(28)} send ${send.toFixed(0).padStart(7)} events/s   receive ${receive.toFixed(0).padStart(7)} events/s`);
    return { send, receive };
  } finally {
    await target.close();
  }
}

const config = { UserConfig: { NamespaceConfig: [{ Type: 'EventHub', Name: 'ns', Entities: [{ Name: HUB, PartitionCount: String(PARTITIONS) }] }] } };
const dataDir = mkdtempSync(join(tmpdir(), 'moshpit-eh-bench-'));
try {
  console.log(`event-hubs: ${EVENTS} events of ${payload.length} B, batches of ${BATCH}, ${PARTITIONS} partitions`);
  const bare = await measure('bare rhea (store+replay)', startBare);
  const durable = await measure('emulator (durable)', () => startEventHubs({ config, dataDir }));
  const memory = await measure('emulator (in-memory)', () => startEventHubs({ config, inMemory: true }));
  for (const [name, r] of [['durable', durable], ['in-memory', memory]] as const) {
    console.log(`ratio ${name.padEnd(10)} send ${(r.send / bare.send).toFixed(2)}   receive ${(r.receive / bare.receive).toFixed(2)}   (target >= 0.80)`);
  }
  await compareProfiles();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

/** Emulator CPU per event under ideal and under standard's quota bookkeeping, paired and alternating. */
async function compareProfiles(repeat = 3): Promise<void> {
  const configFile = join(dataDir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const perEventUs: Record<BenchProfile, number[]> = { ideal: [], standard: [] };
  for (let r = 0; r < repeat; r++) {
    for (const profile of (r % 2 === 0 ? ['ideal', 'standard'] : ['standard', 'ideal']) as BenchProfile[]) {
      const child = await startProfileChild('event-hubs', profile, configFile);
      try {
        const before = cpuMsOf(child.child.pid!);
        await measure(`child emulator (${profile})`, async () => ({ connectionString: child.connectionString, close: async () => undefined }));
        perEventUs[profile].push(((cpuMsOf(child.child.pid!) - before) * 1000) / (2 * EVENTS));
      } finally {
        await child.close();
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratios = perEventUs.standard.map((x, i) => x / perEventUs.ideal[i]!);
  console.log(`emulator CPU/event  ideal ${median(perEventUs.ideal).toFixed(1)} µs   standard (quotas counted, latency off) ${median(perEventUs.standard).toFixed(1)} µs   standard/ideal ${median(ratios).toFixed(3)} (target <= 1.10; paired [${ratios.map((x) => x.toFixed(3)).join(' ')}])`);
}
