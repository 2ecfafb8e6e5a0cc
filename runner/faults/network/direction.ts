/**
 * One direction of a proxied connection. With no active toxic and nothing queued, data goes
 * straight through (fast path, socket backpressure only). Otherwise chunks queue and a single
 * pump runs each chunk through the toxic chain in order, so nothing is reordered; latency counts
 * from each chunk's arrival, so delayed chunks stay pipelined. What each toxic does to a chunk is
 * its pipe in toxics/<name>.ts; this file only queues, chains and writes.
 */
import type { Socket } from 'node:net';
import type { ConnectionControl } from './connection-control.ts';
import { toxicDefinition } from './toxics/index.ts';
import type { PipeContext, Toxic, ToxicStream } from './toxics/toxic.ts';

const QUEUE_HIGH_BYTES = 1 << 20;
const QUEUE_LOW_BYTES = 1 << 18;

interface Chunk {
  data: Buffer;
  arrivalMs: number;
}

export class Direction implements PipeContext {
  active: Toxic[] = [];
  private readonly queue: Chunk[] = [];
  private queuedBytes = 0;
  private pumping = false;
  private sourceEnded = false;
  private endSent = false;
  private pausedForDrain = false;
  private pausedForQueue = false;
  private readonly toxicState = new Map<Toxic, Record<string, number>>();

  constructor(
    private readonly conn: ConnectionControl,
    private readonly source: Socket,
    private readonly sink: Socket,
    readonly stream: ToxicStream,
  ) {}

  start(): void {
    this.source.on('data', (data: Buffer) => this.onData(data));
    this.source.on('end', () => {
      this.sourceEnded = true;
      this.kick();
    });
    this.sink.on('drain', () => {
      this.pausedForDrain = false;
      this.updateFlow();
    });
    this.source.resume();
  }

  private onData(data: Buffer): void {
    if (this.conn.closed) return;
    if (!this.pumping && this.queue.length === 0 && this.active.length === 0) {
      if (!this.sink.write(data)) {
        this.pausedForDrain = true;
        this.updateFlow();
      }
      return;
    }
    this.queue.push({ data, arrivalMs: performance.now() });
    this.queuedBytes += data.length;
    if (this.queuedBytes > QUEUE_HIGH_BYTES) this.pausedForQueue = true;
    this.updateFlow();
    this.kick();
  }

  private updateFlow(): void {
    if (this.pausedForDrain || this.pausedForQueue) this.source.pause();
    else if (!this.conn.closed) this.source.resume();
  }

  /** Starts the pump if there is work (queued data or a pending end). */
  kick(): void {
    if (this.pumping || this.conn.closed) return;
    if (this.queue.length === 0 && !(this.sourceEnded && !this.endSent)) return;
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
      if (this.queue.length > 0 || (this.sourceEnded && !this.endSent)) this.kick();
    });
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0 && !this.conn.closed) {
      const chunk = this.queue[0]!;
      await this.run(chunk.data, chunk.arrivalMs, this.active.slice(), 0);
      this.queue.shift();
      this.queuedBytes -= chunk.data.length;
      if (this.pausedForQueue && this.queuedBytes < QUEUE_LOW_BYTES) {
        this.pausedForQueue = false;
        this.updateFlow();
      }
    }
    if (this.sourceEnded && !this.endSent && this.queue.length === 0 && !this.conn.closed) {
      for (const toxic of this.active) await toxicDefinition(toxic.type).beforeEnd?.(this, toxic);
      this.endSent = true;
      if (!this.conn.closed) this.sink.end();
    }
  }

  /** Runs `data` through toxics[i..] (skipping removed ones), then writes it. */
  private async run(data: Buffer, arrivalMs: number, toxics: Toxic[], i: number): Promise<void> {
    for (; i < toxics.length; i++) {
      const toxic = toxics[i]!;
      if (this.conn.isActive(toxic)) return this.stage(toxic, data, arrivalMs, (d) => this.run(d, arrivalMs, toxics, i + 1));
    }
    await this.write(data);
  }

  private async stage(toxic: Toxic, data: Buffer, arrivalMs: number, next: (data: Buffer) => Promise<void>): Promise<void> {
    const pipe = toxicDefinition(toxic.type).pipe;
    return pipe ? pipe(this, toxic, data, arrivalMs, next) : next(data); // no pipe: slow_close acts on end, down on the listener
  }

  // PipeContext: what a toxic's pipe may do (toxics/toxic.ts)
  isActive(toxic: Toxic): boolean {
    return this.conn.isActive(toxic);
  }

  hold(toxic: Toxic, deadlineMs?: number): Promise<void> {
    return this.conn.hold(toxic, deadlineMs);
  }

  end(): void {
    this.conn.end();
  }

  destroy(reset: boolean): void {
    this.conn.destroy(reset);
  }

  state(toxic: Toxic): Record<string, number> {
    let state = this.toxicState.get(toxic);
    if (!state) this.toxicState.set(toxic, (state = {}));
    return state;
  }

  private async write(data: Buffer): Promise<void> {
    if (this.conn.closed || this.sink.destroyed) return;
    if (this.sink.write(data)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.sink.off('drain', done);
        this.sink.off('close', done);
        resolve();
      };
      this.sink.on('drain', done);
      this.sink.on('close', done);
    });
  }
}
