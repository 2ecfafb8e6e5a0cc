/**
 * Event Grid benchmark, one run: events/s from publish (EventGridPublisherClient, the official
 * SDK) to webhook receipt, through
 *   moshpit — fixtures/emulators/event-grid (child process; durable log in a temp dir, and in memory)
 *   bare    — a bare node:http server (child process) that answers each POST 200 and forwards
 *             the same body to the same webhook over keep-alive (the ceiling)
 * Same client work for each: N events, one per request, C requests in flight; the three are
 * measured in turn for R rounds (the machine is shared: medians are printed). Target: moshpit
 * (durable) >= 0.7x bare. The emulator also runs in memory with the `ideal` profile (as before)
 * and with the tier's bookkeeping (standard tiers, quotas on at rates never reached, latency off:
 * bench/bookkeeping-profile.ts), side by side with its CPU per event; target: at most +10%.
 *
 *   node --import tsx bench/event-grid.bench.ts [--events 2000] [--concurrency 32] [--rounds 3]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { AzureKeyCredential, EventGridPublisherClient } from '@azure/eventgrid';
import { Agent, request } from 'undici';
import { CONTROL_KEY_ENV, controlKey } from '../fixtures/emulators/common/control-key.ts';
import { controlFetch } from '../runner/stack/control-client.ts';
import { writeBookkeepingProfile } from './bookkeeping-profile.ts';
import { startEmulatorChild } from '../fixtures/emulators/child-process.ts';
import { resolveProfile } from '../profiles/resolve.ts';
import { readFileSync } from 'node:fs';

/** CPU time (user + system) a child has used so far, from /proc (Linux); NaN elsewhere. */
function cpuMs(proc: ChildProcess): number {
  try {
    const fields = readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

interface Figure { rate: number; cpuUsPerEvent: number }

const { values } = parseArgs({ options: { events: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '32' }, rounds: { type: 'string', default: '3' }, role: { type: 'string' }, target: { type: 'string' } } });

/** Child role: the bare forwarding server. */
async function bareServer(target: string): Promise<void> {
  const agent = new Agent({ connections: 64, keepAliveTimeout: 10_000 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'content-length': 0 });
      res.end();
      const body = Buffer.concat(chunks);
      void request(target, { method: 'POST', body, headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' }, dispatcher: agent }).then((r) => r.body.dump(), () => undefined);
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`));
  process.once('SIGTERM', () => process.exit(0));
}

function child(args: string[]): Promise<{ proc: ChildProcess; ready: Record<string, unknown> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, [CONTROL_KEY_ENV]: controlKey() } });
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`child exited ${code}`)));
    createInterface({ input: proc.stdout! }).once('line', (line) => resolve({ proc, ready: JSON.parse(line) as Record<string, unknown> }));
  });
}

interface Receiver { url: string; received: number; onCount?: () => void; server: Server }

async function receiver(): Promise<Receiver> {
  const r: Receiver = { url: '', received: 0, server: createServer() };
  r.server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Array<{ data?: { validationCode?: string } }>;
      if (req.headers['aeg-event-type'] === 'SubscriptionValidation') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ validationResponse: parsed[0]!.data!.validationCode }));
      }
      r.received += parsed.length;
      res.writeHead(200);
      res.end();
      r.onCount?.();
    });
  });
  await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/events`;
  return r;
}

async function measure(endpoint: string, key: string, hook: Receiver, events: number, concurrency: number, server: ChildProcess): Promise<Figure> {
  const client = new EventGridPublisherClient(endpoint, 'EventGrid', new AzureKeyCredential(key), { allowInsecureConnection: true });
  const send = (i: number) => client.send([{ id: `e${i}`, eventType: 'Bench.Event', subject: `/songs/${i % 100}`, dataVersion: '1.0', data: { i, pad: 'x'.repeat(200) } }]);
  for (let i = 0; i < 50; i++) await send(-i); // warm-up (connections, JIT)
  await new Promise((r) => setTimeout(r, 300));
  hook.received = 0;
  const done = new Promise<void>((resolve) => { hook.onCount = () => { if (hook.received >= events) resolve(); }; });
  const startMs = performance.now();
  const cpuStartMs = cpuMs(server);
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < events) await send(next++); }));
  await done;
  return { rate: events / ((performance.now() - startMs) / 1000), cpuUsPerEvent: ((cpuMs(server) - cpuStartMs) * 1000) / events };
}

async function moshpit(hook: Receiver, events: number, concurrency: number, durable: boolean, bookkeeping = false): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'moshpit-eg-bench-'));
  writeFileSync(join(dir, 'eg.json'), JSON.stringify({ topics: [{ name: 'bench' }] }));
  const profile = bookkeeping ? resolveProfile(writeBookkeepingProfile(dir)) : undefined;
  // the emulator through the one child entry (child.ts), as `moshpit emulators start` runs it
  const started = await startEmulatorChild({ name: 'event-grid', configFiles: [join(dir, 'eg.json')], ...(durable ? { dataDir: join(dir, 'data') } : { inMemory: true }), profile }, { stderr: 'inherit' });
  const { process: proc, ready } = started;
  try {
    const eg = ready.eventGrid!;
    const put = await controlFetch(`${eg.controlUrl}/topics/bench/subscriptions/hook`, { method: 'PUT', body: JSON.stringify({ destination: { endpointType: 'WebHook', properties: { endpointUrl: hook.url } } }), key: controlKey() });
    if (put.status !== 201) throw new Error(`subscription: HTTP ${put.status} ${await put.text()}`);
    return await measure(eg.topics.bench!.endpoint, eg.topics.bench!.key, hook, events, concurrency, proc);
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bare(hook: Receiver, events: number, concurrency: number): Promise<Figure> {
  const { proc, ready } = await child([new URL(import.meta.url).pathname, '--role', 'bare', '--target', hook.url]);
  try {
    return await measure(`http://127.0.0.1:${ready.port as number}/api/events`, Buffer.alloc(32).toString('base64'), hook, events, concurrency, proc);
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
  }
}

async function main(): Promise<void> {
  if (values.role === 'bare') return bareServer(values.target!);
  const events = Number(values.events);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(events) || events <= 0) throw new Error(`--events: expected a positive integer (got ${values.events})`);
  if (!Number.isInteger(concurrency) || concurrency <= 0) throw new Error(`--concurrency: expected a positive integer (got ${values.concurrency})`);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds <= 0) throw new Error(`--rounds: expected a positive integer (got ${values.rounds})`);
  const hook = await receiver();
  try {
    const runs: Record<'bare' | 'durable' | 'memory' | 'standard', Figure[]> = { bare: [], durable: [], memory: [], standard: [] };
    for (let round = 0; round < rounds; round++) {
      runs.bare.push(await bare(hook, events, concurrency));
      runs.durable.push(await moshpit(hook, events, concurrency, true));
      // ideal and bookkeeping alternate who goes first: load drifts on a shared machine
      const pair = [() => moshpit(hook, events, concurrency, false), () => moshpit(hook, events, concurrency, false, true)];
      for (const i of round % 2 ? [1, 0] : [0, 1]) (i ? runs.standard : runs.memory).push(await pair[i]!());
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const rate = (k: keyof typeof runs) => median(runs[k].map((f) => f.rate));
    const cpu = (k: keyof typeof runs) => median(runs[k].map((f) => f.cpuUsPerEvent));
    const fmt = (k: keyof typeof runs) => `${String(Math.round(rate(k))).padStart(6)} events/s  ${cpu(k).toFixed(0).padStart(4)} us CPU/event`;
    console.log(`event-grid publish → webhook, ${events} events, ${concurrency} in flight, 1 event per request, median of ${rounds} rounds`);
    console.log(`  bare forwarder                      ${fmt('bare')}`);
    console.log(`  moshpit (durable, ideal)            ${fmt('durable')}   ratio ${(rate('durable') / rate('bare')).toFixed(2)}x  (target >= 0.7x)`);
    console.log(`  moshpit (in-memory, ideal)          ${fmt('memory')}   ratio ${(rate('memory') / rate('bare')).toFixed(2)}x`);
    console.log(`  moshpit (in-memory, bookkeeping)    ${fmt('standard')}   ratio ${(rate('standard') / rate('bare')).toFixed(2)}x; CPU/event ${(((cpu('standard') / cpu('memory')) - 1) * 100).toFixed(1)}% vs ideal (target <= +10%)`);
  } finally {
    hook.server.close();
    hook.server.closeAllConnections();
  }
}

main().catch((error: unknown) => {
  console.error(`event-grid bench: ${(error as Error).message}`);
  process.exit(1);
});
