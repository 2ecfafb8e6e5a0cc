/**
 * Service Bus emulator benchmark: the official SDK against moshpit's emulator and against a bare
 * rhea server that only accepts and hands out messages (the protocol's ceiling on this machine),
 * measured side by side in one run. Each server runs in its own child process.
 *
 *   node --import tsx bench/service-bus.bench.ts [--messages 20000] [--repeat 3] [--in-memory]
 *
 * send: batches of 100 × 1 KB (createMessageBatch), 4 batches in flight, after a warm-up of
 * 20 such batches (untimed, same for both servers).
 * receive: subscribe (peek-lock, maxConcurrentCalls 64, auto-complete) until all are completed.
 * Each repeat measures both servers back to back (order alternating); the ratio reported is the
 * median of those paired ratios, which cancels most of the drift of a shared machine.
 * Target: emulator ≥ 0.8 × bare for both.
 *
 * Profiles: the emulator runs under `ideal` (the ratio above, as before profiles existed) and,
 * in the same run, under `standard` with its credit quota on but set a million times higher
 * (nothing throttled, every operation counted) and the latency model off: the emulator's own
 * CPU per operation (/proc/<pid>/stat, sends + receives) is printed side by side for both.
 * Target: standard's CPU per operation at most 10% above ideal's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import rhea from 'rhea';
import { ServiceBusClient, type ServiceBusSender } from '@azure/service-bus';
import { unpackTransfer, newLockTag } from '../fixtures/emulators/service-bus/amqp-codec.ts';
import { defaultConfigPath } from '../fixtures/emulators/service-bus/server.ts';
import { cpuMsOf, startProfileChild } from './profile-child.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '20000' },
    repeat: { type: 'string', default: '3' },
    'in-memory': { type: 'boolean', default: false },
    'bare-server': { type: 'boolean', default: false },
  },
});

/** The ceiling: SASL, a CBS reply, transfers stored as bytes, handed out unsettled, settled back. */
function bareServer(): void {
  const container = (rhea as any).create_container({ id: 'bare' });
  const stored: Buffer[] = [];
  const senders = new Set<any>();
  const pump = () => {
    for (const s of senders) {
      while (stored.length && s.is_open() && Math.min(s.credit, s.session.outgoing.available()) - (s.sent - s.delivery_count) > 0) {
        s.sent++;
        s.send(stored.shift(), newLockTag(), 0);
      }
    }
  };
  container.on('receiver_open', (ctx: any) => {
    ctx.receiver.set_target({ address: ctx.receiver.remote.attach.target?.address });
    ctx.receiver.local.attach.max_message_size = 256 * 1024;
  });
  container.on('sender_open', (ctx: any) => {
    const s = ctx.sender;
    s.set_source({ address: s.remote.attach.source?.address });
    s.set_target({ address: s.remote.attach.target?.address });
    s.sent = 0;
    if (s.remote.attach.source?.address !== '$cbs') senders.add(s);
    else container.cbsReply = s;
  });
  container.on('sendable', pump);
  container.on('settled', () => setImmediate(pump));
  container.on('sender_close', (ctx: any) => senders.delete(ctx.sender));
  container.on('message', (ctx: any) => {
    if (ctx.receiver.remote.attach.target?.address === '$cbs') {
      ctx.delivery.accept();
      container.cbsReply.send({ correlation_id: ctx.message.message_id, application_properties: { 'status-code': 202 } });
      return;
    }
    const raw = ctx.format ? ctx.message : (rhea as any).message.encode(ctx.message);
    for (const m of unpackTransfer(raw, ctx.format)) stored.push(m);
    ctx.delivery.accept();
    pump();
  });
  for (const o of ['accepted', 'rejected', 'modified', 'released']) {
    container.on(o, (ctx: any) => {
      ctx.delivery.update(true, (rhea as any).message.accepted().described());
      ctx.delivery.remote_settled = true; // settle mode "second": the client settles without another frame
      setImmediate(pump);
    });
  }
  container.on('error', () => undefined);
  const server = container.listen({ host: '127.0.0.1', port: 0, autoaccept: false, treat_modified_as_released: false, max_frame_size: 1024 * 1024 });
  server.on('listening', () => {
    const port = server.address().port;
    process.stdout.write(`${JSON.stringify({ serviceBus: { connectionString: `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;` } })}\n`);
  });
  process.once('SIGTERM', () => process.exit(0));
}

async function startChild(args: string[]): Promise<{ child: ChildProcess; connectionString: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, connectionString: JSON.parse(line).serviceBus.connectionString };
}

const WARM_UP_BATCHES = 20;

async function sendBatches(sender: ServiceBusSender, total: number, prefix: string): Promise<void> {
  const body = 'x'.repeat(1024);
  let sent = 0;
  const worker = async () => {
    while (sent < total) {
      const batch = await sender.createMessageBatch();
      for (let i = 0; i < 100 && sent < total; i++, sent++) batch.tryAddMessage({ body, messageId: `${prefix}${sent}` });
      if (batch.count > 0) await sender.sendMessages(batch);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

async function measure(connectionString: string, total: number): Promise<{ sendPerS: number; receivePerS: number }> {
  const client = new ServiceBusClient(connectionString);
  try {
    const sender = client.createSender('uploads');
    const warmUp = WARM_UP_BATCHES * 100;
    await sendBatches(sender, warmUp, 'w');
    const t0 = performance.now();
    await sendBatches(sender, total, 'm');
    const sendMs = performance.now() - t0;
    const receiver = client.createReceiver('uploads', { maxAutoLockRenewalDurationInMs: 0 });
    let received = 0;
    const t1 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const sub = receiver.subscribe(
        { processMessage: async () => void (++received === total + warmUp && sub.close().then(resolve, reject)), processError: async (a) => reject(a.error) },
        { maxConcurrentCalls: 64, autoCompleteMessages: true },
      );
    });
    const receiveMs = performance.now() - t1;
    return { sendPerS: (total / sendMs) * 1000, receivePerS: ((total + warmUp) / receiveMs) * 1000 };
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const total = Number(values.messages);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(total) || total < 100) throw new Error(`--messages: expected an integer ≥ 100 (got ${values.messages})`);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat: expected a positive integer (got ${values.repeat})`);
  const self = fileURLToPath(import.meta.url);
  type Result = { sendPerS: number; receivePerS: number; cpuMsPerOp: number };
  const results = { emulator: [] as Result[], bare: [] as Result[], standard: [] as Result[] };
  for (let r = 0; r < repeat; r++) {
    for (const kind of r % 2 === 0 ? (['bare', 'emulator', 'standard'] as const) : (['standard', 'emulator', 'bare'] as const)) {
      const dataDir = mkdtempSync(join(tmpdir(), 'moshpit-sb-bench-'));
      const server = kind === 'bare'
        ? await startChild([self, '--bare-server']).then(({ child, connectionString }) => ({ child, connectionString, close: async () => { child.kill('SIGTERM'); await new Promise((x) => child.once('exit', x)); } }))
        : await startProfileChild('service-bus', kind === 'emulator' ? 'ideal' : 'standard', defaultConfigPath(), values['in-memory'] ? undefined : dataDir);
      try {
        const cpuBefore = cpuMsOf(server.child.pid!);
        const measured = await measure(server.connectionString, total);
        // operations: every message sent and received (warm-up included), as the emulator saw them
        results[kind].push({ ...measured, cpuMsPerOp: (cpuMsOf(server.child.pid!) - cpuBefore) / (2 * (total + WARM_UP_BATCHES * 100)) });
      } finally {
        await server.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const row = (label: string, key: 'sendPerS' | 'receivePerS') => {
    const e = results.emulator.map((x) => x[key]);
    const b = results.bare.map((x) => x[key]);
    const ratios = e.map((v, i) => v / b[i]);
    const fmt = (xs: number[], digits: number) => xs.map((x) => x.toFixed(digits)).join(' ');
    console.log(`${label.padEnd(18)} emulator ${median(e).toFixed(0).padStart(7)} msg/s   bare rhea ${median(b).toFixed(0).padStart(7)} msg/s   ratio ${median(ratios).toFixed(2)} (target ≥ 0.80)`);
    console.log(`${''.padEnd(18)} runs: emulator [${fmt(e, 0)}]  bare [${fmt(b, 0)}]  paired ratios [${fmt(ratios, 2)}]`);
  };
  console.log(`service-bus bench: ${total} × 1 KB, ${repeat} runs each, medians (ratio: median of paired runs); emulator ${values['in-memory'] ? 'in memory' : 'durable (data dir)'}`);
  row('send (batch 100)', 'sendPerS');
  row('receive+complete', 'receivePerS');
  const cpu = (xs: Result[]) => median(xs.map((x) => x.cpuMsPerOp * 1000));
  const ideal = cpu(results.emulator);
  const standard = cpu(results.standard);
  const ratios = results.standard.map((x, i) => x.cpuMsPerOp / results.emulator[i]!.cpuMsPerOp);
  console.log(`emulator CPU/op    ideal ${ideal.toFixed(1)} µs   standard (quotas counted, latency off) ${standard.toFixed(1)} µs   standard/ideal ${median(ratios).toFixed(3)} (target ≤ 1.10; paired [${ratios.map((x) => x.toFixed(3)).join(' ')}])`);
  const std = (key: 'sendPerS' | 'receivePerS') => median(results.standard.map((x, i) => x[key] / results.bare[i]![key])).toFixed(2);
  console.log(`standard ratios    send ${std('sendPerS')}   receive+complete ${std('receivePerS')} (vs bare, same runs)`);
}

if (values['bare-server']) bareServer();
else main().catch((error: Error) => {
  console.error(`service-bus bench: ${error.message}`);
  process.exit(1);
});
