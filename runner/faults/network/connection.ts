/**
 * One proxied TCP connection: a client socket, an upstream socket and a direction pump each way.
 * Toxics apply per connection after a toxicity roll (as Toxiproxy: once per toxic per connection).
 * Every hold is interruptible: when the toxic set changes, waits re-check and removed toxics
 * release their data at once, in order.
 */
import type { Socket } from 'node:net';
import type { ConnectionControl } from './connection-control.ts';
import { Direction } from './direction.ts';
import { actsOn, toxicDefinition } from './toxics/index.ts';
import type { Toxic, ToxicStream } from './toxics/toxic.ts';

export class Connection implements ConnectionControl {
  closed = false;
  private readonly applied = new Map<Toxic, boolean>();
  private readonly timers = new Map<Toxic, NodeJS.Timeout>();
  private readonly waiters = new Set<() => void>();
  readonly upstream: Direction;
  readonly downstream: Direction;

  constructor(
    readonly client: Socket,
    readonly server: Socket,
    toxics: readonly Toxic[],
    private readonly onClosed: (conn: Connection) => void,
  ) {
    this.upstream = new Direction(this, client, server, 'upstream');
    this.downstream = new Direction(this, server, client, 'downstream');
    for (const socket of [client, server]) {
      socket.on('error', () => this.destroy(true));
      // a clean close only ends this socket's halves; the other way may still deliver data
      socket.on('close', (hadError) => (hadError ? this.destroy(true) : this.finishIfBothClosed()));
    }
    this.setToxics(toxics);
    this.upstream.start();
    this.downstream.start();
  }

  /** Called whenever the proxy's toxic list changes; rolls toxicity for new toxics. */
  setToxics(toxics: readonly Toxic[]): void {
    for (const toxic of [...this.applied.keys()]) {
      if (!toxics.includes(toxic)) {
        this.applied.delete(toxic);
        clearTimeout(this.timers.get(toxic));
        this.timers.delete(toxic);
      }
    }
    for (const toxic of toxics) {
      if (this.applied.has(toxic)) continue;
      const applies = toxic.toxicity >= 1 || Math.random() < toxic.toxicity;
      this.applied.set(toxic, applies);
      const timer = applies ? toxicDefinition(toxic.type).onApply?.(toxic, (reset) => this.destroy(reset)) : undefined;
      if (timer) this.timers.set(toxic, timer);
    }
    this.upstream.active = this.activeFor('upstream');
    this.downstream.active = this.activeFor('downstream');
    this.wakeAll();
    this.upstream.kick();
    this.downstream.kick();
  }

  private activeFor(stream: ToxicStream): Toxic[] {
    return [...this.applied].filter(([toxic, applies]) => applies && actsOn(toxic, stream)).map(([toxic]) => toxic);
  }

  isActive(toxic: Toxic): boolean {
    return !this.closed && this.applied.get(toxic) === true;
  }

  /** Waits until `deadlineMs` (performance.now() clock), the toxic is removed, or the connection closes. */
  async hold(toxic: Toxic, deadlineMs = Infinity): Promise<void> {
    while (this.isActive(toxic)) {
      const remainingMs = deadlineMs - performance.now();
      if (remainingMs <= 0) return;
      let timer: NodeJS.Timeout | undefined;
      let wake!: () => void;
      await new Promise<void>((resolve) => {
        wake = resolve;
        this.waiters.add(wake);
        if (remainingMs !== Infinity) timer = setTimeout(resolve, remainingMs);
      });
      this.waiters.delete(wake);
      clearTimeout(timer);
    }
  }

  /** Wakes every hold so it re-checks its toxic (no per-wait listener is left behind). */
  private wakeAll(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  private finishIfBothClosed(): void {
    if (this.client.destroyed && this.server.destroyed && !this.closed) {
      this.closed = true;
      this.release();
      this.onClosed(this);
    }
  }

  /** Graceful close after pending writes (limit_data): both peers see EOF. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
    for (const socket of [this.client, this.server]) {
      socket.end();
      setTimeout(() => socket.destroy(), 2000).unref();
    }
    this.onClosed(this);
  }

  /** Abortive close: TCP RST to both peers when `reset`, otherwise a plain destroy. */
  destroy(reset: boolean): void {
    if (this.closed) {
      if (reset) this.resetSockets();
      return;
    }
    this.closed = true;
    this.release();
    if (reset) this.resetSockets();
    else {
      this.client.destroy();
      this.server.destroy();
    }
    this.onClosed(this);
  }

  private resetSockets(): void {
    for (const socket of [this.client, this.server]) {
      if (!socket.destroyed) socket.resetAndDestroy();
    }
  }

  private release(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.wakeAll();
  }
}
