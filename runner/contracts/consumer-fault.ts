/**
 * The consumer-fault file: how the runner tells one worker or subscriber to fail or slow its
 * message handler while a `consumer-error` / `consumer-slow` fault lasts. The runner writes
 * `<runDir>/faults/<proc>.json` atomically (runner/faults/consumer.ts) and removes it to heal;
 * the backend polls it (fixtures/music-backend/consumer-faults.ts). No file, no fault.
 */
import { join } from 'node:path';

/** The file's JSON: `{"fail": true}` (the handler throws) or `{"delayMs": N}` (a slow handler). */
export type ConsumerFaultFile = { fail: true } | { delayMs: number };

/** Where the fault file of process `proc` (worker-uploads-1, subscriber-2, ...) of a run lives. */
export function consumerFaultPath(runDir: string, proc: string): string {
  return join(runDir, 'faults', `${proc}.json`);
}
