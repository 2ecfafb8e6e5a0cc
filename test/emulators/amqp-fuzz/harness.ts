/**
 * Plumbing for the AMQP fuzz suite: an emulator in a child process (so its RSS can be measured
 * and a crash cannot take the test runner down), raw sockets that throw bytes at it, and a
 * pass-through proxy that records what an official SDK client sends (the seed for mutations).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ServiceBusClient } from '@azure/service-bus';
import { EventHubProducerClient } from '@azure/event-hubs';

export type AmqpKind = 'service-bus' | 'event-hubs';

export interface ChildEmulator {
  kind: AmqpKind;
  pid: number;
  port: number;
  connectionString: string;
  controlUrl: string;
  /** the control API's key (x-moshpit-control-key) */
  controlKey: string;
  /** everything the child wrote to stderr so far */
  stderr(): string;
  rssMb(): number;
  stop(): Promise<void>;
}

const CLOSE_PERFORMATIVE = Buffer.from([0x00, 0x53, 0x18]);
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

export function portOf(connectionString: string): number {
  return Number(/sb:\/\/[^:;/]+:(\d+)/.exec(connectionString)![1]);
}

/** Starts one emulator in its own node process; `guard` goes to its amqpGuard option. */
export function startChild(kind: AmqpKind, guard: Record<string, number> = {}, readyTimeoutMs = 30_000): Promise<ChildEmulator> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD, kind, JSON.stringify(guard)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${kind} child not ready in ${readyTimeoutMs} ms: ${stderr}`)), readyTimeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('exit', (code) => fail(new Error(`${kind} child exited ${code}: ${stderr}`)));
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n')[0];
      if (!stdout.includes('\n')) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const ready = JSON.parse(line) as { connectionString: string; controlUrl: string; controlKey: string };
      resolve({
        kind,
        pid: child.pid!,
        port: portOf(ready.connectionString),
        ...ready,
        stderr: () => stderr,
        rssMb: () => rssMbOf(child.pid!),
        stop: () => stopChild(child),
      });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Resident set size of a process in MB (Linux /proc, else ps). */
export function rssMbOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
  } catch {
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
  }
}

export interface Thrown {
  /** what the server sent back */
  reply: Buffer;
  /** the server ended the connection or sent close (rather than our wait running out) */
  closedByServer: boolean;
  elapsedMs: number;
}

/** Sends bytes on a fresh connection and waits until the server closes it, or waitMs pass. */
export function throwAt(port: number, bytes: Buffer, waitMs = 400): Promise<Thrown> {
  return new Promise((resolve) => {
    const started = Date.now();
    const received: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let finished = false;
    const done = (closedByServer: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ reply: Buffer.concat(received), closedByServer, elapsedMs: Date.now() - started });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on('data', (d) => {
      received.push(d);
      // the server sent close: a real peer answers and goes, so do not wait for its grace time
      if (d.includes(CLOSE_PERFORMATIVE)) done(true);
    });
    socket.on('end', () => done(true));
    socket.on('close', () => done(true));
    socket.on('error', () => done(true));
  });
}

/** Runs `jobs` with at most `parallel` at a time. */
export async function inBatches<T>(jobs: (() => Promise<T>)[], parallel: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += parallel) results.push(...(await Promise.all(jobs.slice(i, i + parallel).map((job) => job()))));
  return results;
}

/** The bytes an official SDK client sends to publish one message, recorded through a proxy. */
export async function recordSdkSession(emulator: ChildEmulator): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const proxy = createServer((client) => {
    const upstream = connect(emulator.port, '127.0.0.1');
    client.on('data', (d) => {
      chunks.push(d);
      upstream.write(d);
    });
    upstream.on('data', (d) => client.write(d));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const viaProxy = emulator.connectionString.replace(/:\d+;/, `:${(proxy.address() as { port: number }).port};`);
  try {
    if (emulator.kind === 'service-bus') {
      const client = new ServiceBusClient(viaProxy);
      await client.createSender('uploads').sendMessages({ body: 'recorded' }).finally(() => client.close());
    } else {
      const client = new EventHubProducerClient(viaProxy, 'uploads');
      await client.sendBatch([{ body: 'recorded' }], { partitionId: '0' }).finally(() => client.close());
    }
  } finally {
    await new Promise<void>((r) => proxy.close(() => r()));
  }
  return Buffer.concat(chunks);
}
