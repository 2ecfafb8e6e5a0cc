/**
 * Setup phase (only when the scenario has comments): upload the songs the comments go to,
 * recorded like any upload (flow `uploads`, op ids `<prefix>-s<n>`), then wait until the api
 * answers 200 on `GET /songs/:id` for each, giving up after the scenario's drain limit.
 * A failed seed upload is retried under a new op id (`<prefix>-s<n>-r<attempt>`) so every
 * history operation keeps exactly one send.
 */
import type { HistoryWriter } from '../contracts/history-writer.ts';
import { appendHop, sendAndRecord, type OpIdentity } from './executor.ts';
import type { BackendClient } from './http.ts';
import type { PayloadFactory } from './payload.ts';

export interface SeedOptions {
  client: BackendClient;
  history: HistoryWriter;
  payloads: PayloadFactory;
  opIdPrefix: string;
  songs: number;
  /** how long to wait for every song to be stored */
  waitLimitMs: number;
  pollIntervalMs: number;
  concurrency: number;
  attempts: number;
  now: () => number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export class LoadSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadSetupError';
  }
}

/** Uploads and waits for the comment songs; returns their ids (index = song number). */
export async function seedSongs(options: SeedOptions): Promise<string[]> {
  const ids = new Array<string>(options.songs);
  await forEachLimited(options.songs, options.concurrency, async (n) => {
    ids[n] = await uploadSeedSong(options, n);
  });
  if (options.signal?.aborted) return ids;
  options.log?.(`setup: ${options.songs} song(s) uploaded for comments; waiting until they are stored`);
  await waitUntilStored(options, ids);
  return ids;
}

async function uploadSeedSong(options: SeedOptions, n: number): Promise<string> {
  const { client, history, payloads, opIdPrefix, now } = options;
  const song = payloads.song('setupSong', n);
  const errors: string[] = [];
  for (let attempt = 0; attempt < options.attempts; attempt++) {
    if (options.signal?.aborted) break;
    const op = attempt === 0 ? `${opIdPrefix}-s${n}` : `${opIdPrefix}-s${n}-r${attempt}`;
    const id: OpIdentity = { op, f: 'uploads', k: op };
    appendHop(history, 'intended', id, now(), { b: song.sizeBytes, sum: song.sum });
    const outcome = await sendAndRecord(history, id, now, () => client.postSong(op, song.title, song.bytes));
    if (outcome.status >= 200 && outcome.status < 300) return op;
    errors.push(`${outcome.status || 'no answer'}${outcome.error ? ` (${outcome.error})` : ''}`);
  }
  if (options.signal?.aborted) return `${opIdPrefix}-s${n}`;
  throw new LoadSetupError(
    `setup: could not upload song ${n} of ${options.songs} for the comments flow after ${options.attempts} attempt(s): ${errors.join('; ')}. ` +
      'Check that the music backend api is up and accepts POST /songs.',
  );
}

async function waitUntilStored(options: SeedOptions, ids: string[]): Promise<void> {
  const deadlineMs = options.now() + options.waitLimitMs;
  let pending = [...ids];
  let lastStatus = new Map<string, string>();
  while (pending.length > 0 && !options.signal?.aborted) {
    const statuses = new Map<string, string>();
    const stillPending: string[] = [];
    await forEachLimited(pending.length, options.concurrency, async (i) => {
      const id = pending[i]!;
      const outcome = await options.client.getSong(id);
      if (outcome.status === 200) return;
      stillPending.push(id);
      statuses.set(id, outcome.status ? `HTTP ${outcome.status}` : `no answer (${outcome.error})`);
    });
    pending = stillPending;
    lastStatus = statuses;
    if (pending.length === 0) return;
    if (options.now() >= deadlineMs) {
      const examples = pending.slice(0, 5).map((id) => `${id}: ${lastStatus.get(id)}`).join(', ');
      throw new LoadSetupError(
        `setup: ${pending.length} of ${ids.length} song(s) for the comments flow were not stored within the drain limit ` +
          `(${options.waitLimitMs} ms): ${examples}. Check the upload workers, or raise the scenario's drainLimit.`,
      );
    }
    await sleep(Math.min(options.pollIntervalMs, Math.max(1, deadlineMs - options.now())), options.signal);
  }
}

/**
 * Runs task(0..count-1) with at most `limit` running at once; after a failure no new task
 * starts, the running ones finish, and the first error is rethrown.
 */
async function forEachLimited(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < count && !failure) {
      try {
        await task(next++);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  if (failure) throw failure.error;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
