/**
 * A paced SDK flood for the quota tests: `ratePerSecond` events of `eventBytes` each for
 * `durationMs`, sent as one batch every 10 ms without waiting for the previous one, SDK retries
 * off so every ServerBusy surfaces. Counts what the emulator accepted.
 */
import { EventHubProducerClient } from '@azure/event-hubs';

export interface FloodResult { offered: number; accepted: number; busy: number; otherErrors: string[]; elapsedMs: number; acceptedPerSecond: number }

export async function floodEventHubs(connectionString: string, hub: string, options: { ratePerSecond: number; eventBytes: number; durationMs: number }): Promise<FloodResult> {
  const producer = new EventHubProducerClient(connectionString, hub, { retryOptions: { maxRetries: 0, timeoutInMs: 10_000 } });
  await producer.getEventHubProperties(); // connect first: the flood measures sends, not the handshake
  const tickMs = 10;
  const body = Buffer.alloc(options.eventBytes, 7);
  const result: FloodResult = { offered: 0, accepted: 0, busy: 0, otherErrors: [], elapsedMs: 0, acceptedPerSecond: 0 };
  const sends: Promise<void>[] = [];
  const started = performance.now();
  let owed = 0;
  try {
    for (let next = started; next - started < options.durationMs; next += tickMs) {
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      // catch up after a late tick, so the offered rate holds on a busy machine
      owed = Math.min(owed + (options.ratePerSecond * tickMs) / 1000, options.ratePerSecond);
      const n = Math.floor(owed);
      if (n === 0) continue;
      owed -= n;
      result.offered += n;
      sends.push(producer.sendBatch(Array.from({ length: n }, () => ({ body })), { partitionId: String(result.offered % 2) }).then(
        () => void (result.accepted += n),
        (error: { code?: string; message?: string }) => {
          if (error.code === 'ServerBusyError') result.busy++;
          else result.otherErrors.push(`${error.code}: ${error.message}`);
        },
      ));
    }
    await Promise.all(sends);
    result.elapsedMs = performance.now() - started;
    result.acceptedPerSecond = result.accepted / (options.durationMs / 1000);
    return result;
  } finally {
    await producer.close();
  }
}
