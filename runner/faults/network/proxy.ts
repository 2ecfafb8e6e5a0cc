/**
 * One named TCP proxy (listen → upstream) with its toxics, in Toxiproxy's JSON shape.
 * Disabled, or with a `down` toxic, it stops listening (new connections are refused) and drops
 * every open connection; enabled again, it listens on the same port.
 */
import net from 'node:net';
import { Connection } from './connection.ts';
import { ApiError } from './api-error.ts';
import type { KnownToxic as Toxic } from './toxic-body.ts';
import { toxicDefinition } from './toxics/index.ts';

export interface ProxyJson {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: Toxic[];
}

/** Splits "host:port" (IPv6 in brackets) and checks the port. */
export function parseHostPort(value: unknown, field: string): { host: string; port: number } {
  const match = typeof value === 'string' ? /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(value) : null;
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) throw new ApiError(400, `${field} must be "host:port" like "127.0.0.1:0" (got ${JSON.stringify(value)})`);
  return { host: match[1] || '127.0.0.1', port };
}

export class TcpProxy {
  enabled = true;
  toxics: Toxic[] = [];
  private server: net.Server | null = null;
  private listenHost: string;
  private listenPort: number;
  private readonly connections = new Set<Connection>();
  private readonly pending = new Set<net.Socket>();

  constructor(
    readonly name: string,
    listen: string,
    public upstream: string,
  ) {
    ({ host: this.listenHost, port: this.listenPort } = parseHostPort(listen, 'listen'));
    parseHostPort(upstream, 'upstream');
  }

  get listen(): string {
    return `${this.listenHost.includes(':') ? `[${this.listenHost}]` : this.listenHost}:${this.listenPort}`;
  }

  toJSON(): ProxyJson {
    return { name: this.name, listen: this.listen, upstream: this.upstream, enabled: this.enabled, toxics: this.toxics };
  }

  /** Listens or stops so that the listener matches enabled && no toxic that closes it (`down`). */
  async sync(): Promise<void> {
    const shouldListen = this.enabled && !this.toxics.some((t) => toxicDefinition(t.type).closesListener === true);
    if (shouldListen && !this.server) await this.startListening();
    if (!shouldListen && this.server) await this.stopListening();
  }

  private async startListening(): Promise<void> {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(new ApiError(500, `proxy ${this.name} cannot listen on ${this.listen}: ${error.code ?? error.message}`)),
      );
      server.listen(this.listenPort, this.listenHost, () => resolve());
    });
    this.listenPort = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  private async stopListening(): Promise<void> {
    const server = this.server!;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    this.dropAll();
    await closed;
  }

  /** Drops every open connection (TCP RST) and every connection still being set up. */
  dropAll(): void {
    for (const conn of [...this.connections]) conn.destroy(true);
    for (const socket of this.pending) socket.resetAndDestroy();
    this.pending.clear();
  }

  private accept(client: net.Socket): void {
    client.setNoDelay(true);
    this.pending.add(client);
    const { host, port } = parseHostPort(this.upstream, 'upstream');
    const server = net.connect({ host, port, allowHalfOpen: true, noDelay: true });
    const fail = (): void => {
      this.pending.delete(client);
      if (!client.destroyed) client.resetAndDestroy();
      server.destroy();
    };
    server.once('error', fail);
    client.once('error', fail);
    server.once('connect', () => {
      server.off('error', fail);
      client.off('error', fail);
      if (!this.pending.delete(client) || client.destroyed) {
        server.destroy();
        return;
      }
      server.pause();
      this.connections.add(new Connection(client, server, this.toxics, (conn) => this.connections.delete(conn)));
    });
  }

  private notify(): void {
    for (const conn of this.connections) conn.setToxics(this.toxics);
  }

  async addToxic(toxic: Toxic): Promise<void> {
    if (this.toxics.some((t) => t.name === toxic.name)) throw new ApiError(409, `toxic already exists: ${toxic.name}`);
    this.toxics = [...this.toxics, toxic];
    this.notify();
    await this.sync();
  }

  async replaceToxic(toxic: Toxic): Promise<void> {
    this.toxics = this.toxics.map((t) => (t.name === toxic.name ? toxic : t));
    this.notify();
    await this.sync();
  }

  getToxic(name: string): Toxic {
    const toxic = this.toxics.find((t) => t.name === name);
    if (!toxic) throw new ApiError(404, 'toxic not found');
    return toxic;
  }

  async removeToxic(name: string): Promise<void> {
    this.getToxic(name);
    this.toxics = this.toxics.filter((t) => t.name !== name);
    this.notify();
    await this.sync();
  }

  async removeAllToxics(): Promise<void> {
    this.toxics = [];
    this.notify();
    await this.sync();
  }

  /** Applies {enabled, listen, upstream} as Toxiproxy's POST /proxies/{p}. */
  async update(fields: { enabled?: boolean; listen?: string; upstream?: string }): Promise<void> {
    if (fields.upstream !== undefined && fields.upstream !== this.upstream) {
      parseHostPort(fields.upstream, 'upstream');
      this.upstream = fields.upstream;
      this.dropAll();
    }
    if (fields.listen !== undefined && fields.listen !== this.listen) {
      const next = parseHostPort(fields.listen, 'listen');
      if (this.server) await this.stopListening();
      ({ host: this.listenHost, port: this.listenPort } = next);
    }
    if (fields.enabled !== undefined) this.enabled = fields.enabled;
    await this.sync();
  }

  async close(): Promise<void> {
    this.enabled = false;
    if (this.server) await this.stopListening();
    this.dropAll();
  }
}
