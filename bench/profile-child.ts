/**
 * Benchmark helper: one AMQP emulator in a child process under a chosen profile, so the parent
 * can read the emulator's own CPU time (/proc/<pid>/stat) per operation.
 *   node --import tsx bench/profile-child.ts <service-bus|event-hubs> <ideal|standard> <config.json> [data-dir]
 * `standard` here is the bookkeeping-only variant: Standard's tier with its quotas on but their
 * rates multiplied by a million (nothing is throttled, every operation is counted) and the
 * latency model off, so what it adds is the cost of the quota bookkeeping alone.
 * Prints {"connectionString":...} when ready; exits on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TechProfile } from '../profiles/model.ts';
import { readJsonc } from '../fixtures/emulators/common/jsonc.ts';
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

export async function startProfileChild(tech: 'service-bus' | 'event-hubs', profile: BenchProfile, configFile: string, dataDir?: string): Promise<{ child: ChildProcess; connectionString: string; close(): Promise<void> }> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', self, tech, profile, configFile, ...(dataDir ? [dataDir] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator child exited with ${code}`)));
  });
  return {
    child,
    connectionString: (JSON.parse(line) as { connectionString: string }).connectionString,
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function main(): Promise<void> {
  const [tech, name, configFile, dataDir] = process.argv.slice(2) as ['service-bus' | 'event-hubs', BenchProfile, string, string | undefined];
  const config = readJsonc(readFileSync(configFile, 'utf8'), configFile);
  const profile = benchProfile(tech, name);
  const where = dataDir ? { dataDir } : { inMemory: true };
  const running = tech === 'service-bus'
    ? await (await import('../fixtures/emulators/service-bus/server.ts')).startServiceBus({ config, profile, ...where })
    : await (await import('../fixtures/emulators/event-hubs/server.ts')).startEventHubs({ config, profile, ...where });
  process.stdout.write(`${JSON.stringify({ connectionString: running.connectionString })}\n`);
  process.once('SIGTERM', () => void running.close().then(() => process.exit(0), () => process.exit(1)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: Error) => {
    process.stderr.write(`profile child: ${error.message}\n`);
    process.exit(1);
  });
}
