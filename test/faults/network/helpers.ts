/** Real loopback servers and clients for the fault proxy tests (port 0, hard timeouts). */
import net from 'node:net';
import { startFaultProxy, type FaultProxy } from '../../../runner/faults/network/index.ts';

export interface TestServer {
  port: number;
  /** Bytes received per accepted connection, in order. */
  received: Buffer[][];
  sockets: Set<net.Socket>;
  close(): Promise<void>;
}

/** An echo server (mode "echo") or a server that only collects what it gets ("sink"). */
export async function startServer(mode: 'echo' | 'sink' = 'echo'): Promise<TestServer> {
  const received: Buffer[][] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const parts: Buffer[] = [];
    received.push(parts);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (data: Buffer) => {
      parts.push(data);
      if (mode === 'echo') socket.write(data);
    });
    socket.on('end', () => socket.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface TestClient {
  socket: net.Socket;
  chunks: Buffer[];
  /** Resolves with the error code ('' for a clean close) when the socket closes. */
  closed: Promise<string>;
  bytes(): Buffer;
  /** Waits until at least `n` bytes arrived; rejects after `timeoutMs`. */
  waitBytes(n: number, timeoutMs?: number): Promise<Buffer>;
}

export async function connect(listen: string): Promise<TestClient> {
  const [host, port] = [listen.slice(0, listen.lastIndexOf(':')), Number(listen.slice(listen.lastIndexOf(':') + 1))];
  const socket = net.connect({ host, port, noDelay: true });
  const chunks: Buffer[] = [];
  let errorCode = '';
  socket.on('data', (d: Buffer) => chunks.push(d));
  socket.on('error', (e: NodeJS.ErrnoException) => (errorCode = e.code ?? e.message));
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(errorCode)));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const bytes = (): Buffer => Buffer.concat(chunks);
  const waitBytes = async (n: number, timeoutMs = 5000): Promise<Buffer> => {
    const deadline = Date.now() + timeoutMs;
    while (bytes().length < n) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} bytes (got ${bytes().length})`);
      await sleep(5);
    }
    return bytes();
  };
  return { socket, chunks, closed, bytes, waitBytes };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves with the error code of a connection attempt, or 'connected'. */
export function tryConnect(listen: string): Promise<string> {
  const port = Number(listen.slice(listen.lastIndexOf(':') + 1));
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

export interface Rig {
  faults: FaultProxy;
  server: TestServer;
  listen: string;
  close(): Promise<void>;
}

/** A fault proxy with one proxy "p" in front of a fresh server. */
export async function rig(mode: 'echo' | 'sink' = 'echo'): Promise<Rig> {
  const server = await startServer(mode);
  const faults = await startFaultProxy();
  try {
    const { listen } = await faults.createProxy({ name: 'p', upstream: `127.0.0.1:${server.port}` });
    return { faults, server, listen, close: async () => void (await Promise.all([faults.close(), server.close()])) };
  } catch (error) {
    await Promise.all([faults.close(), server.close()]);
    throw error;
  }
}
