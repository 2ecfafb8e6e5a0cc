/**
 * The consumer-fault file contract (runner/contracts/consumer-fault.ts): what the runner writes
 * for `consumer-error` / `consumer-slow` is what the backend's handler wrapper reads, at the path
 * both compute, and healing ends the fault. Pure: a temporary directory, no processes.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consumerFaults } from '../../fixtures/music-backend/consumer-faults.ts';
import { consumerFaultPath } from '../../runner/contracts/consumer-fault.ts';
import { startConsumerFault } from '../../runner/faults/consumer.ts';
import type { FaultSpec } from '../../runner/faults/spec.ts';
import type { Stack } from '../../runner/stack/stack.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'moshpit-consumer-fault-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** only what startConsumerFault reads of a stack */
const stackIn = (runDir: string) => ({ tech: 'storage-queue', dir: runDir, members: new Map([['worker-uploads-1', {}], ['subscriber-1', {}]]) }) as unknown as Stack;

describe('consumer-fault file', () => {
  it('the runner writes where the backend reads; healing removes the fault', async () => {
    let nowMs = 0;
    const read = consumerFaults(consumerFaultPath(dir, 'worker-uploads-1'), () => nowMs);
    expect(read()).toEqual({ fail: false, delayMs: 0 });
    const fault = await startConsumerFault({ type: 'consumer-error' } as FaultSpec, 'worker-uploads-1', stackIn(dir));
    nowMs += 200; // past the backend's 100 ms poll
    expect(read()).toEqual({ fail: true, delayMs: 0 });
    await fault.heal();
    nowMs += 200;
    expect(read()).toEqual({ fail: false, delayMs: 0 });
    expect(existsSync(consumerFaultPath(dir, 'worker-uploads-1'))).toBe(false);
  });

  it('a slow-consumer fault reaches the backend as its delay', async () => {
    await startConsumerFault({ type: 'consumer-slow', delayMs: 750 } as FaultSpec, 'subscriber-1', stackIn(dir));
    expect(consumerFaults(consumerFaultPath(dir, 'subscriber-1'))()).toEqual({ fail: false, delayMs: 750 });
  });
});
