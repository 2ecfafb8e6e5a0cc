/**
 * Fault proxy benchmark, side by side in one run:
 *   (a) throughput (MB/s) of one bulk TCP stream, direct loopback vs through the proxy with no
 *       toxics (target >= 0.9x);
 *   (b) round-trip latency of small request/response pairs (64 B echo), direct vs through the
 *       proxy; added p50/p99 in µs (target: added p50 <= 100 µs).
 * The proxy runs as its own process (as in a run). If `toxiproxy-server` is on PATH, the same
 * figures for it.
 *
 *   node --import tsx bench/proxy.bench.ts [--mb 200] [--trips 5000] [--repeat 3]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { FaultProxyClient, startFaultProxy } from '../runner/faults/network/index.ts';

const { values } = parseArgs({
  options: { mb: { type: 'string', default: '200' }, trips: { type: 'string', default: '5000' }, repeat: { type: 'string', default: '3' }, serve: { type: 'boolean', default: false } },
});


function listenServer(handler: (s: net.Socket) => void): Promise<net.Server> {
  const server = net.createServer({ noDelay: true }, handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const portOf = (server: net.Server): number => (server.address() as net.AddressInfo).port;

function connectTo(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, noDelay: true }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** MB/s of one stream of `totalBytes` into a discarding server, until the server has it all. */
async function throughputMBps(port: number, totalBytes: number, received: { bytes: number; done?: () => void }): Promise<number> {
  const socket = await connectTo(port);
  const chunk = Buffer.alloc(64 * 1024, 7);
  received.bytes = 0;
  const finished = new Promise<void>((resolve) => (received.done = resolve));
  const started = performance.now();
  for (let sent = 0; sent < totalBytes; sent += chunk.length) {
    if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r));
  }
  await finished;
  const elapsedS = (performance.now() - started) / 1000;
  socket.destroy();
  return totalBytes / 1e6 / elapsedS;
}

async function roundTripsUs(port: number, trips: number): Promise<number[]> {
  const socket = await connectTo(port);
  const request = Buffer.alloc(64, 1);
  const samples: number[] = [];
  let pending = 0;
  let wake: (() => void) | null = null;
  socket.on('data', (d: Buffer) => {
    pending -= d.length;
    if (pending <= 0 && wake) wake();
  });
  for (let i = 0; i < trips + 200; i++) {
    const started = performance.now();
    pending = request.length;
    await new Promise<void>((resolve) => {
      wake = resolve;
      socket.write(request);
    });
    if (i >= 200) samples.push((performance.now() - started) * 1000); // first 200 are warm-up
  }
  socket.destroy();
  return samples.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function spawnProxy(): Promise<{ apiUrl: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), out.includes('\n') && resolve(out.split('\n')[0]!)));
    child.once('exit', () => reject(new Error('proxy process exited early')));
  });
  return { apiUrl: (JSON.parse(line) as { apiUrl: string }).apiUrl, child };
}

async function spawnToxiproxy(): Promise<{ apiUrl: string; child: ChildProcess } | null> {
  if (spawnSync('sh', ['-c', 'command -v toxiproxy-server']).status !== 0) return null;
  const probe = await listenServer(() => {});
  const port = portOf(probe);
  await new Promise((r) => probe.close(r));
  const child = spawn('toxiproxy-server', ['-host', '127.0.0.1', '-port', String(port)], { stdio: 'ignore' });
  const client = new FaultProxyClient(`http://127.0.0.1:${port}`);
  for (let i = 0; i < 50; i++) {
    if (await client.version().then(() => true, () => false)) return { apiUrl: client.apiUrl, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  return null;
}

async function main(): Promise<void> {
  const totalBytes = Number(values.mb) * 1e6;
  const trips = Number(values.trips);
  const repeat = Number(values.repeat);
  const received: { bytes: number; done?: () => void } = { bytes: 0 };
  const sink = await listenServer((s) => s.on('data', (d: Buffer) => ((received.bytes += d.length), received.bytes >= totalBytes && received.done?.())));
  const echo = await listenServer((s) => s.on('data', (d: Buffer) => s.write(d)));
  const targets: { name: string; sinkPort: number; echoPort: number }[] = [{ name: 'direct', sinkPort: portOf(sink), echoPort: portOf(echo) }];
  const children: ChildProcess[] = [];
  try {
    for (const [name, start] of [['moshpit proxy', spawnProxy], ['toxiproxy-server', spawnToxiproxy]] as const) {
      const started = await start();
      if (!started) {
        console.log(`(${name}: not on PATH, skipped)`);
        continue;
      }
      children.push(started.child);
      const client = new FaultProxyClient(started.apiUrl);
      const s = await client.createProxy({ name: 'sink', listen: '127.0.0.1:0', upstream: `127.0.0.1:${portOf(sink)}` });
      const e = await client.createProxy({ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${portOf(echo)}` });
      const port = (listen: string): number => Number(listen.slice(listen.lastIndexOf(':') + 1));
      targets.push({ name, sinkPort: port(s.listen), echoPort: port(e.listen) });
    }
    const mbps = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    for (let r = 0; r < repeat; r++) {
      for (const t of r % 2 ? [...targets].reverse() : targets) mbps.get(t.name)!.push(await throughputMBps(t.sinkPort, totalBytes, received));
    }
    const rtts = new Map<string, number[]>();
    for (const t of targets) rtts.set(t.name, await roundTripsUs(t.echoPort, trips));
    report(targets.map((t) => t.name), mbps, rtts, totalBytes, trips, repeat);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    sink.close();
    echo.close();
  }
}

function report(names: string[], mbps: Map<string, number[]>, rtts: Map<string, number[]>, totalBytes: number, trips: number, repeat: number): void {
  const directMBps = median(mbps.get('direct')!);
  const direct = rtts.get('direct')!;
  console.log(`throughput: one stream of ${totalBytes / 1e6} MB, median of ${repeat}; round trips: ${trips} x 64 B echo`);
  for (const name of names) {
    const m = median(mbps.get(name)!);
    const rtt = rtts.get(name)!;
    const line = `${name.padEnd(17)} ${m.toFixed(0).padStart(6)} MB/s (${(m / directMBps).toFixed(2)}x direct)   rtt p50 ${pct(rtt, 50).toFixed(0)} µs p99 ${pct(rtt, 99).toFixed(0)} µs`;
    const added = name === 'direct' ? '' : `   added p50 ${(pct(rtt, 50) - pct(direct, 50)).toFixed(0)} µs p99 ${(pct(rtt, 99) - pct(direct, 99)).toFixed(0)} µs`;
    console.log(line + added);
  }
  console.log('targets: throughput >= 0.90x direct; added p50 <= 100 µs');
}

if (values.serve) {
  const faults = await startFaultProxy();
  process.stdout.write(JSON.stringify({ apiUrl: faults.apiUrl }) + '\n');
  const stop = (): void => void faults.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} else {
  await main();
}
