/**
 * Benchmark helper: one AMQP emulator in a child process (the one child entry,
 * fixtures/emulators/child.ts) under a chosen profile, so the parent can read the emulator's own
 * CPU time (/proc/<pid>/stat) per operation. `standard` here is the bookkeeping-only variant:
 * Standard's tier with its quotas on but their rates multiplied by a million (nothing is
 * throttled, every operation is counted) and the latency model off, so what it adds is the cost
 * of the quota bookkeeping alone.
 */
import { readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import type { ResolvedProfile, TechProfile } from '../profiles/model.ts';
import { startEmulatorChild } from '../fixtures/emulators/child-process.ts';
import { resolveProfile } from '../profiles/resolve.ts';

export type BenchProfile = 'ideal' | 'standard';

export function benchProfile(tech: 'service-bus' | 'event-hubs', name: BenchProfile): TechProfile | undefined {
  if (name === 'ideal') return undefined;
  const standard = resolveProfile('standard').techs[tech];
  const quotas = Object.fromEntries(Object.entries(standard.quotas).map(([key, q]) => [key, { ...q, value: q.value * 1e6 }]));
  return { ...standard, quotas, enforceLatency: false };
}

/** CPU time (user + system) a process has used so far, in milliseconds (Linux /proc, 100 ticks/s). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The emulator through the one child entry (fixtures/emulators/child.ts) under the bench profile; its pid gives its CPU time. */
export async function startProfileChild(tech: 'service-bus' | 'event-hubs', profile: BenchProfile, configFile: string, dataDir?: string): Promise<{ child: ChildProcess; connectionString: string; close(): Promise<void> }> {
  const techProfile = benchProfile(tech, profile);
  // child.ts takes a resolved profile and hands each emulator its technology's part
  const resolved = techProfile && ({ techs: { [tech]: techProfile } } as unknown as ResolvedProfile);
  const started = await startEmulatorChild({ name: tech, configFiles: [configFile], ...(dataDir ? { dataDir } : { inMemory: true }), profile: resolved }, { stderr: 'inherit', readyTimeoutMs: 60_000 });
  const endpoints = tech === 'service-bus' ? started.ready.serviceBus : started.ready.eventHubs;
  return { child: started.process, connectionString: endpoints!.connectionString, close: async () => void (await started.stop()) };
}
