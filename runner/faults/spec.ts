/**
 * Fault entries of a scenario (format v1): `{ at, for?, target, fault: { type, ... } }`.
 * `at` is measured from the start of the load; `for` is how long until the fault heals (omit it
 * and the fault lasts until the run ends, where it is healed anyway).
 */
import { z } from 'zod';
import { parseDurationMs } from '../contracts/duration.ts';
import { TOXICS, TOXIC_TYPES, type ToxicScenarioSchemas } from './network/toxics/index.ts';
import { BROKER_FAULT_SCHEMAS } from '../contracts/control-api.ts';

const durationMs = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDurationMs(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a duration such as "5s" or "500ms" (got ${JSON.stringify(value)})` });
    return z.NEVER;
  }
  return ms;
});

export const PROCESS_FAULTS = ['kill', 'stop', 'pause', 'restart', 'consumer-error', 'consumer-slow'] as const;
export const BROKER_FAULTS = ['throttle', 'disable', 'drop-connections', 'partition-offline', 'pause-delivery'] as const;
/** Network faults act on the links to the target through the fault proxy: one file per toxic in network/toxics/. */
export const NETWORK_FAULTS: readonly string[] = TOXIC_TYPES;
const TOXIC_SCENARIOS = TOXICS.map((t) => t.scenario(z)) as unknown as ToxicScenarioSchemas;

const faultType = z.discriminatedUnion('type', [
  /** SIGKILL; if `for` is given, the process is started again when it ends (same data, same ports) */
  z.strictObject({ type: z.literal('kill') }),
  /** SIGSTOP, then SIGCONT when it heals (`stop`/`cont`; `pause` is the same fault) */
  z.strictObject({ type: z.literal('stop') }),
  z.strictObject({ type: z.literal('pause') }),
  /** SIGTERM (graceful), started again when it heals */
  z.strictObject({ type: z.literal('restart') }),
  /** a worker or subscriber fails every delivery (webhook 500, queue abandon) */
  z.strictObject({ type: z.literal('consumer-error') }),
  /** a worker or subscriber handles every delivery slowly */
  z.strictObject({ type: z.literal('consumer-slow'), delayMs: z.number().positive() }),
  /** broker faults: the emulators' control APIs parse these same schemas (throttle, disable, drop-connections, partition-offline, pause-delivery) */
  ...BROKER_FAULT_SCHEMAS,
  ...TOXIC_SCENARIOS,
], { error: `expected fault.type to be one of ${[...PROCESS_FAULTS, ...BROKER_FAULTS, ...NETWORK_FAULTS].join(', ')}` });

export const faultEntrySchema = z.strictObject({
  at: durationMs,
  for: durationMs.optional(),
  /** a stack member (api, worker-uploads-1, subscriber-2, emulator-storage ...) or "broker" (the technology's emulator) */
  target: z.string().min(1, { error: 'name the target: "broker", "api", "worker-uploads-1", "subscriber-1" ...' }),
  fault: faultType,
});

export type FaultEntry = z.output<typeof faultEntrySchema>;
export type FaultSpec = FaultEntry['fault'];

export function isNetworkFault(spec: { type: string }): boolean {
  return NETWORK_FAULTS.includes(spec.type);
}
