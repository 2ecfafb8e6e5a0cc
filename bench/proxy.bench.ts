/**
 * Fault proxy benchmark, side by side in one run:
 *   (a) throughput (MB/s) of one bulk TCP stream into a discarding server, direct loopback vs
 *       through the proxy with no toxics (target >= 0.9x);
 *   (b) round-trip latency of small request/response pairs (64 B echo), direct vs through the
 *       proxy; added p50/p99 in µs (target: added p50 <= 100 µs).
 * Layout, as in a run: the client (this process), the upstream servers (sink + echo, their own
 * process, standing in for a broker) and each proxy (its own process). Rounds are interleaved
 * (direct, proxy, direct, ...) and medians reported, because this machine's speed drifts.
 * If a Toxiproxy server is found (`toxiproxy-server` on PATH, $TOXIPROXY_SERVER, or
 * `$(go env GOPATH)/bin/toxiproxy-server` as built by scripts/install-toxiproxy.sh), the same
 * figures for it.
 *
 *   node --import tsx bench/proxy.bench.ts [--mb 200] [--trips 5000] [--repeat 5]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { FaultProxyClient, startFaultProxy } from '../runner/faults/network/index.ts';
import { findToxiproxyServer } from '../runner/faults/network/toxiproxy-binary.ts';

const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '200' },
    trips: { type: 'string', default: '5000' },
    repeat: { type: 'string', default: '5' },
    serve: { type: 'string' },
  },
});

function listenServer(handler: (s: net.Socket) => void): Promise<net.Server> {
  const server = net.createServer({ noDelay: true, allowHalfOpen: true }, handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const portOf = (server: net.Server): number => (server.address() as net.AddressInfo).port;

function connectTo(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, noDelay: true, allowHalfOpen: true }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * The upstream process: a sink that reads the stream's announced length (first 8 bytes) and
 * answers the byte count once it has them all (no reliance on half-close), and an echo.
 */
async function serveUpstream(): Promise<void> {
  const sink = await listenServer((s) => {
    let bytes = 0;
    let expectedBytes = Infinity;
    s.on('data', (d: Buffer) => {
      if (bytes === 0 && d.length >= 8) expectedBytes = Number(d.readBigUInt64BE(0));
      bytes += d.length;
      if (bytes >= expectedBytes) s.write(`${bytes}\n`);
    });
  });
  const echo = await listenServer((s) => s.on('data', (d: Buffer) => s.write(d)));
  process.stdout.write(JSON.stringify({ sinkPort: portOf(sink), echoPort: portOf(echo) }) + '\n');
}

/** MB/s of one stream of `totalBytes`, until the sink confirmed it received them all. */
async function throughputMBps(port: number, totalBytes: number): Promise<number> {
  const socket = await connectTo(port);
  const chunk = Buffer.alloc(64 * 1024, 7);
  const first = Buffer.from(chunk);
  first.writeBigUInt64BE(BigInt(Math.ceil(totalBytes / chunk.length) * chunk.length), 0);
  let answer = '';
  const confirmed = new Promise<void>((resolve) => socket.on('data', (d: Buffer) => (answer += d.toString()).includes('\n') && resolve()));
  const started = performance.now();
  for (let sent = 0; sent < totalBytes; sent += chunk.length) {
    if (!socket.write(sent === 0 ? first : chunk)) await new Promise((r) => socket.once('drain', r));
  }
  await confirmed;
  const elapsedS = (performance.now() - started) / 1000;
  socket.destroy();
  const receivedBytes = Number(answer.trim());
  if (receivedBytes < totalBytes) throw new Error(`sink received ${receivedBytes} of ${totalBytes} bytes`);
  return receivedBytes / 1e6 / elapsedS;
}

async function roundTripsUs(port: number, trips: number, warmup: number): Promise<number[]> {
  const socket = await connectTo(port);
  const request = Buffer.alloc(64, 1);
  const samples: number[] = [];
  let pending = 0;
  let wake: (() => void) | null = null;
  socket.on('data', (d: Buffer) => {
    pending -= d.length;
    if (pending <= 0 && wake) wake();
  });
  for (let i = 0; i < trips + warmup; i++) {
    const started = performance.now();
    pending = request.length;
    await new Promise<void>((resolve) => {
      wake = resolve;
      socket.write(request);
    });
    if (i >= warmup) samples.push((performance.now() - started) * 1000);
  }
  socket.destroy();
  return samples;
}

/** CPU time (ms) a process has used so far: ours from process.cpuUsage, a child's from /proc (Linux). */
function cpuMs(pid?: number): number {
  if (pid === undefined) {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime in 10 ms clock ticks
  } catch {
    return NaN;
  }
}

const pct = (xs: number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function spawnServe(mode: string): Promise<{ line: Record<string, unknown>; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), out.includes('\n') && resolve(out.split('\n')[0]!)));
    child.once('exit', () => reject(new Error(`${mode} process exited early`)));
  });
  return { line: JSON.parse(line) as Record<string, unknown>, child };
}

async function spawnToxiproxy(): Promise<{ apiUrl: string; child: ChildProcess } | null> {
  const binary = findToxiproxyServer();
  if (!binary) return null;
  const probe = await listenServer(() => {});
  const port = portOf(probe);
  await new Promise((r) => probe.close(r));
  const child = spawn(binary, ['-host', '127.0.0.1', '-port', String(port)], { stdio: 'ignore' });
  const client = new FaultProxyClient(`http://127.0.0.1:${port}`);
  for (let i = 0; i < 50; i++) {
    if (await client.version().then(() => true, () => false)) return { apiUrl: client.apiUrl, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  return null;
}

interface Target { name: string; sinkPort: number; echoPort: number; pid?: number }

/** Where the CPU went during one target's throughput runs, per 100 MB moved. */
interface CpuTally { clientMs: number; upstreamMs: number; proxyMs: number; wallMs: number; bytes: number }

async function proxyTargets(upstream: { sinkPort: number; echoPort: number }, children: ChildProcess[]): Promise<Target[]> {
  const targets: Target[] = [];
  const starters = [
    ['moshpit proxy', async () => { const s = await spawnServe('proxy'); return { apiUrl: String(s.line.apiUrl), child: s.child }; }],
    ['toxiproxy-server', spawnToxiproxy],
  ] as const;
  for (const [name, start] of starters) {
    const started = await start();
    if (!started) {
      console.log(`(${name}: not found, skipped; scripts/install-toxiproxy.sh builds it)`);
      continue;
    }
    children.push(started.child);
    const client = new FaultProxyClient(started.apiUrl);
    const s = await client.createProxy({ name: 'sink', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.sinkPort}` });
    const e = await client.createProxy({ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.echoPort}` });
    const port = (listen: string): number => Number(listen.slice(listen.lastIndexOf(':') + 1));
    targets.push({ name, sinkPort: port(s.listen), echoPort: port(e.listen), ...(started.child.pid === undefined ? {} : { pid: started.child.pid }) });
  }
  return targets;
}

async function main(): Promise<void> {
  const totalBytes = Number(values.mb) * 1e6;
  const trips = Number(values.trips);
  const repeat = Number(values.repeat);
  const children: ChildProcess[] = [];
  try {
    const upstream = await spawnServe('upstream');
    children.push(upstream.child);
    const ports = upstream.line as unknown as { sinkPort: number; echoPort: number };
    const targets: Target[] = [{ name: 'direct', ...ports }, ...(await proxyTargets(ports, children))];
    const mbps = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    const rtts = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    const cpu = new Map<string, CpuTally>(targets.map((t) => [t.name, { clientMs: 0, upstreamMs: 0, proxyMs: 0, wallMs: 0, bytes: 0 }]));
    const measured = async (t: Target): Promise<number> => {
      const before = [cpuMs(), cpuMs(upstream.child.pid), t.pid === undefined ? 0 : cpuMs(t.pid), performance.now()];
      const result = await throughputMBps(t.sinkPort, totalBytes);
      const tally = cpu.get(t.name)!;
      tally.clientMs += cpuMs() - before[0]!;
      tally.upstreamMs += cpuMs(upstream.child.pid) - before[1]!;
      tally.proxyMs += (t.pid === undefined ? 0 : cpuMs(t.pid)) - before[2]!;
      tally.wallMs += performance.now() - before[3]!;
      tally.bytes += totalBytes;
      return result;
    };
    const tripsPerRound = Math.ceil(trips / repeat);
    for (let r = 0; r < repeat; r++) {
      const order = r % 2 ? [...targets].reverse() : targets;
      for (const t of order) mbps.get(t.name)!.push(await measured(t));
      for (const t of order) rtts.get(t.name)!.push(...(await roundTripsUs(t.echoPort, tripsPerRound, 200)));
    }
    report(targets.map((t) => t.name), mbps, rtts, totalBytes, tripsPerRound * repeat, repeat);
    reportCpu(cpu);
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

function report(names: string[], mbps: Map<string, number[]>, rtts: Map<string, number[]>, totalBytes: number, trips: number, repeat: number): void {
  const directMBps = pct(mbps.get('direct')!, 50);
  const direct = rtts.get('direct')!;
  console.log(`throughput: one stream of ${totalBytes / 1e6} MB, median of ${repeat} interleaved rounds; round trips: ${trips} x 64 B echo`);
  for (const name of names) {
    const m = pct(mbps.get(name)!, 50);
    const rtt = rtts.get(name)!;
    const line = `${name.padEnd(17)} ${m.toFixed(0).padStart(6)} MB/s (${(m / directMBps).toFixed(2)}x direct)   rtt p50 ${pct(rtt, 50).toFixed(0)} µs p99 ${pct(rtt, 99).toFixed(0)} µs`;
    const added = name === 'direct' ? '' : `   added p50 ${(pct(rtt, 50) - pct(direct, 50)).toFixed(0)} µs p99 ${(pct(rtt, 99) - pct(direct, 99)).toFixed(0)} µs`;
    console.log(line + added);
  }
  console.log('targets: throughput >= 0.90x direct; added p50 <= 100 µs');
}

/**
 * A copying proxy does one extra receive and one extra send per byte: the same work the client
 * and the server do together. These figures show where the cores went, so a ratio below the
 * target can be told apart from a slow proxy (compare the proxies' CPU per 100 MB).
 */
function reportCpu(cpu: Map<string, CpuTally>): void {
  console.log('CPU per 100 MB moved (ms)   client  upstream    proxy   cores busy (all processes)');
  for (const [name, c] of cpu) {
    const per = (ms: number): string => (Number.isFinite(ms) ? ((ms * 1e8) / c.bytes).toFixed(0) : 'n/a').padStart(8);
    const busy = (c.clientMs + c.upstreamMs + c.proxyMs) / c.wallMs;
    console.log(`${name.padEnd(26)} ${per(c.clientMs)}  ${per(c.upstreamMs)} ${per(c.proxyMs)}   ${Number.isFinite(busy) ? busy.toFixed(2) : 'n/a'} of ${availableParallelism()}`);
  }
}

if (values.serve === 'proxy') {
  const faults = await startFaultProxy();
  process.stdout.write(JSON.stringify({ apiUrl: faults.apiUrl }) + '\n');
  const stop = (): void => void faults.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} else if (values.serve === 'upstream') {
  await serveUpstream();
  process.once('SIGTERM', () => process.exit(0));
} else {
  await main();
}
