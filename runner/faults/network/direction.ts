/**
 * One direction of a proxied connection. With no active toxic and nothing queued, data goes
 * straight through (fast path, socket backpressure only). Otherwise chunks queue and a single
 * pump runs each chunk through the toxic chain in order, so nothing is reordered; latency counts
 * from each chunk's arrival, so delayed chunks stay pipelined.
 */
import type { Socket } from 'node:net';
import type { Toxic, ToxicStream } from './toxics.ts';
import type { Connection } from './connection.ts';

const QUEUE_HIGH_BYTES = 1 << 20;
const QUEUE_LOW_BYTES = 1 << 18;

interface Chunk {
  data: Buffer;
  arrivalMs: number;
}

export class Direction {
  active: Toxic[] = [];
  private readonly queue: Chunk[] = [];
  private queuedBytes = 0;
  private pumping = false;
  private sourceEnded = false;
  private endSent = false;
  private pausedForDrain = false;
  private pausedForQueue = false;
  private readonly bandwidthNextMs = new Map<Toxic, number>();
  private readonly limitSentBytes = new Map<Toxic, number>();
  private readonly resetStarted = new Set<Toxic>();

  constructor(
    private readonly conn: Connection,
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
      for (const toxic of this.active.filter((t) => t.type === 'slow_close')) {
        await this.conn.hold(toxic, performance.now() + toxic.attributes.delay!);
      }
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
    const a = toxic.attributes;
    switch (toxic.type) {
      case 'latency': {
        const jitterMs = a.jitter! > 0 ? (Math.random() * 2 - 1) * a.jitter! : 0;
        await this.conn.hold(toxic, arrivalMs + Math.max(0, a.latency! + jitterMs));
        return next(data);
      }
      case 'bandwidth':
        return this.bandwidth(toxic, data, next);
      case 'timeout':
        if (a.timeout === 0) {
          await this.conn.hold(toxic); // held until removed, as Toxiproxy
          return next(data);
        }
        return; // dropped while active; the connection closes when the timer fires
      case 'reset_peer':
        if (this.resetStarted.has(toxic)) return;
        this.resetStarted.add(toxic);
        await this.conn.hold(toxic, performance.now() + a.timeout!);
        if (this.conn.isActive(toxic)) this.conn.destroy(true);
        return;
      case 'slicer':
        return this.slicer(toxic, data, next);
      case 'limit_data':
        return this.limitData(toxic, data, next);
      case 'partition':
        await this.conn.hold(toxic);
        return next(data);
      default: // slow_close acts on end; down acts on the listener
        return next(data);
    }
  }

  private async bandwidth(toxic: Toxic, data: Buffer, next: (data: Buffer) => Promise<void>): Promise<void> {
    const rateKBps = toxic.attributes.rate!;
    if (rateKBps === 0) {
      await this.conn.hold(toxic);
      return next(data);
    }
    const pieceBytes = Math.max(1, Math.floor(rateKBps * 100)); // at most 100 ms of data per piece
    for (let offset = 0; offset < data.length; offset += pieceBytes) {
      const piece = data.subarray(offset, offset + pieceBytes);
      const startMs = Math.max(performance.now(), this.bandwidthNextMs.get(toxic) ?? 0);
      const dueMs = startMs + piece.length / rateKBps; // bytes / (KB/s) = ms
      this.bandwidthNextMs.set(toxic, dueMs);
      await this.conn.hold(toxic, dueMs);
      await next(piece);
    }
  }

  private async slicer(toxic: Toxic, data: Buffer, next: (data: Buffer) => Promise<void>): Promise<void> {
    const { average_size: averageBytes, size_variation: variationBytes, delay: delayUs } = toxic.attributes;
    let offset = 0;
    while (offset < data.length) {
      if (!this.conn.isActive(toxic)) return next(data.subarray(offset));
      const sizeBytes = Math.max(1, Math.round(averageBytes! + (Math.random() * 2 - 1) * variationBytes!));
      await next(data.subarray(offset, offset + sizeBytes));
      offset += sizeBytes;
      if (delayUs! > 0 && offset < data.length) await this.conn.hold(toxic, performance.now() + delayUs! / 1000);
    }
  }

  private async limitData(toxic: Toxic, data: Buffer, next: (data: Buffer) => Promise<void>): Promise<void> {
    const sentBytes = this.limitSentBytes.get(toxic) ?? 0;
    const remainingBytes = toxic.attributes.bytes! - sentBytes;
    if (data.length < remainingBytes) {
      this.limitSentBytes.set(toxic, sentBytes + data.length);
      return next(data);
    }
    this.limitSentBytes.set(toxic, toxic.attributes.bytes!);
    if (remainingBytes > 0) await next(data.subarray(0, remainingBytes));
    this.conn.end();
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
