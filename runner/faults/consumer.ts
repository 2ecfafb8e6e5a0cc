/**
 * Consumer faults: a worker or subscriber fails every delivery (`consumer-error`: a webhook
 * answers 500, a queue consumer abandons) or handles it slowly (`consumer-slow`, delayMs) while
 * the fault lasts. The runner tells the process through `<run>/faults/<member>.json`, which the
 * backend reads (runner/contracts/consumer-fault.ts); healing removes the file.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../contracts/atomic-write.ts';
import { consumerFaultPath, type ConsumerFaultFile } from '../contracts/consumer-fault.ts';
import type { Stack } from '../stack/stack.ts';
import type { FaultSpec } from './spec.ts';
import type { ActiveFault } from './active-fault.ts';
import { resolveTarget } from './target.ts';

export async function startConsumerFault(spec: FaultSpec, target: string, stack: Stack): Promise<ActiveFault> {
  const member = resolveTarget(target, stack);
  if (!member.startsWith('worker-') && !member.startsWith('subscriber-')) {
    throw new Error(`${spec.type} acts on a consumer: target a worker-… or subscriber-… (got "${target}")`);
  }
  const file = consumerFaultPath(stack.dir, member);
  mkdirSync(dirname(file), { recursive: true });
  const state: ConsumerFaultFile = spec.type === 'consumer-error' ? { fail: true } : { delayMs: (spec as { delayMs: number }).delayMs };
  writeFileAtomic(file, JSON.stringify(state), { temp: `${file}.tmp` }); // the process never reads half a file
  return { heal: async () => rmSync(file, { force: true }) };
}
