/**
 * Brings up everything one technology's run needs, as child processes: the emulators (one
 * process each, so a fault can kill one broker alone), then the music backend (api, workers,
 * subscribers). Tears it all down in reverse, always.
 */
import { isProfiledTech, type ResolvedProfile } from '../../profiles/model.ts';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario } from '../scenario/schema.ts';
import type { Tech } from '../techs.ts';
import type { EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';
import type { EmulatorName } from '../../fixtures/emulators/registry.ts';
import { ExitedBeforeReady, spawnChild, type RunningChild } from './children.ts';
import { isNetworkFault } from '../faults/spec.ts';
import { formatHosts, HOSTS_ENV, parseHosts } from '../../fixtures/emulators/common/hosts.ts';
import { profileOf, emulatorOwner } from '../../fixtures/technologies.ts';
import { wireNetwork, type StackNetwork } from './network.ts';
import { emulatorConfigFiles } from './entity-config.ts';
import { CONTROL_KEY_ENV, newControlKey } from '../../fixtures/emulators/common/control-key.ts';
import { startTarget, type StackTarget } from './target.ts';
import { BACKEND_CONFIG_ENV, BACKEND_ENTRY, type BackendConfig } from '../../fixtures/music-backend/public.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BIN = join(ROOT, 'bin/moshpit.mjs');
/** one emulator per process, loading only that emulator (not the whole CLI): starts in about half the time */
const EMULATOR_CHILD = join(ROOT, 'fixtures/emulators/child.ts');
/** tsx's loader by URL: `--import tsx` would resolve from the working directory, which may be outside the project */
const TSX_LOADER = import.meta.resolve('tsx');

/**
 * A member restarted on the ports it had (clients hold its address) can lose the race for one
 * of them: between the kill and the restart, another process on a busy machine may get that
 * port as its own ephemeral one. It is tried again for a few seconds, until the port is free.
 */
async function respawnOnSamePorts(name: string, spawn: () => Promise<RunningChild>, attempts = 6): Promise<RunningChild> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawn();
    } catch (error) {
      if (attempt >= attempts || !(error instanceof ExitedBeforeReady)) throw error;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

export interface StackOptions {
  tech: Tech;
  scenario: Scenario;
  /** this technology's run directory: history/, logs/, emulators/, music.sqlite */
  dir: string;
  log?: (line: string) => void;
  /** network faults through this existing Toxiproxy server instead of a fault-proxy child */
  toxiproxyUrl?: string;
  /** run --target: the brokers are there (no embedded emulators); entities under target.prefix */
  target?: StackTarget;
  /** the Azure profile the emulators play (absent: ideal) */
  profile?: ResolvedProfile;
}

export interface Stack {
  tech: Tech;
  /** this technology's run directory */
  dir: string;
  endpoints: EmulatorEndpoints;
  apiUrl: string;
  dbPath: string;
  subscribers: string[];
  /** every process of the stack by name (emulator-storage, api, worker-uploads-1, subscriber-1 ...) */
  members: Map<string, RunningChild>;
  /** the fault proxy on the broker links (only when the scenario has network faults) */
  network?: StackNetwork;
  /** external (run --target) or embedded emulators */
  target: 'embedded' | 'external';
  /** run --target: the prefix of every entity this run created (backlogs read only those) */
  entityPrefix?: string;
  /** stops a member (gracefully) if it still runs and starts it again with the same data dir and ports */
  restart(name: string): Promise<void>;
  /** stops the backend first (so it can settle in-flight work), then the emulators */
  stopBackend(): Promise<void>;
  close(): Promise<void>;
}

/** Each emulator of a stack gets the stack's control key (its ready line echoes it as controlKey). */
async function startEmulator(name: EmulatorName, dir: string, external: EmulatorEndpoints, launch: { configFiles: string[]; ports: Record<string, number>; profile?: ResolvedProfile; seed: number }, controlKey: string): Promise<RunningChild<EmulatorEndpoints>> {
  const options = { name, dataDir: join(dir, 'emulators'), inMemory: false, host: '127.0.0.1', ports: launch.ports, configFiles: launch.configFiles, tls: false, profile: launch.profile, seed: launch.seed };
  return spawnChild<EmulatorEndpoints>({
    name: `emulator-${name}`,
    command: process.execPath,
    args: ['--import', TSX_LOADER, EMULATOR_CHILD, JSON.stringify(options)],
    env: { MOSHPIT_EXTERNAL_ENDPOINTS: JSON.stringify(external), [CONTROL_KEY_ENV]: controlKey },
    logFile: join(dir, 'logs', `emulator-${name}.log`),
    readyTimeoutMs: 60_000,
    secrets: [controlKey],
  });
}

function backendConfig(options: StackOptions, endpoints: EmulatorEndpoints, subscribers: string[], entityPrefix: string): string {
  return JSON.stringify({
    tech: options.tech,
    runDir: options.dir,
    dbPath: join(options.dir, 'music.sqlite'),
    endpoints,
    entityPrefix,
    subscribers,
    consumer: options.scenario.backend.consumer,
    maxUploadBytes: 10 * 1024 * 1024,
    ...(options.profile && isProfiledTech(options.tech) ? { profile: options.profile.techs[options.tech] } : {}),
    database: options.scenario.backend.database,
    api: options.scenario.backend.api,
  } satisfies BackendConfig);
}

function backendProcesses(tech: Tech, scenario: Scenario, subscribers: string[]): Array<{ name: string; args: string[] }> {
  const list = [{ name: 'api', args: ['api'] }];
  const { workers } = scenario.backend;
  if (!profileOf(tech).hasBroker) return [...list, ...subscribers.map((name) => ({ name, args: ['subscriber', '--name', name] }))];
  if (scenario.load.uploads || scenario.load.comments) {
    for (let i = 1; i <= workers.uploads; i++) list.push({ name: `worker-uploads-${i}`, args: ['worker', '--flow', 'uploads', '--index', String(i)] });
  }
  if (scenario.load.comments) {
    for (let i = 1; i <= workers.comments; i++) list.push({ name: `worker-comments-${i}`, args: ['worker', '--flow', 'comments', '--index', String(i)] });
  }
  for (const name of subscribers) list.push({ name, args: ['subscriber', '--name', name] });
  return list;
}

/** The ports an emulator bound (port key → port), so a restart comes back at the same address. */
export function emulatorPorts(name: EmulatorName, endpoints: EmulatorEndpoints): Record<string, number> {
  const ports = emulatorOwner(name)?.emulator?.ports(endpoints) ?? {};
  return Object.fromEntries(Object.entries(ports).filter((p): p is [string, string] => Boolean(p[1])).map(([key, value]) => [key, Number(value)]));
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => undefined);
  const members = new Map<string, RunningChild>();
  /** how to start each member again (same data dir, same ports) */
  const respawners = new Map<string, () => Promise<RunningChild>>();
  const emulatorNames: string[] = [];
  const backendNames: string[] = [];
  const subscribers = Array.from({ length: options.scenario.backend.subscribers }, (_, i) => `subscriber-${i + 1}`);
  const stopAll = (names: string[]) => Promise.all(names.map((name) => members.get(name)?.stop(10_000)));
  // in flow order (api, workers, subscribers): what a stopping worker settles and publishes
  // still finds the subscribers running
  const stopBackend = async () => {
    const workers = backendNames.filter((n) => n.startsWith('worker-'));
    await stopAll(backendNames.filter((n) => n === 'api'));
    await stopAll(workers);
    await stopAll(backendNames.filter((n) => n !== 'api' && !workers.includes(n)));
  };
  let releaseNetwork = async (): Promise<void> => undefined;
  let releaseTarget = async (): Promise<void> => undefined;
  const close = async () => {
    await stopBackend();
    await releaseNetwork();
    for (const name of [...emulatorNames].reverse()) await members.get(name)?.stop(10_000);
    await releaseTarget();
  };
  const start = async (name: string, spawn: () => Promise<RunningChild>) => {
    respawners.set(name, spawn);
    const child = await spawn();
    members.set(name, child);
    return child;
  };
  const restart = async (name: string) => {
    const spawn = respawners.get(name);
    if (!spawn) throw new Error(`no stack member "${name}"; members: ${[...members.keys()].join(', ')}`);
    if (name === 'api') throw new Error('the api cannot be restarted during a run (it would come back on another port); kill or pause it instead');
    await members.get(name)?.stop(10_000);
    members.set(name, await respawnOnSamePorts(name, spawn));
  };
  try {
    // one control key per stack: faults (runner/faults/broker.ts) and the Event Grid backend use
    // it as endpoints.controlKey; it is redacted from every member's log
    const controlKey = options.target?.target.endpoints.controlKey ?? newControlKey();
    const endpoints: EmulatorEndpoints = { controlKey };
    const secrets = [controlKey, ...(options.target?.target.secrets ?? [])];
    if (options.target) {
      const external = await startTarget(options, subscribers, log);
      releaseTarget = external.release;
      Object.assign(endpoints, external.endpoints);
    }
    for (const name of options.target ? [] : profileOf(options.tech).emulators) {
      log(`starting emulator ${name}`);
      const external = { ...endpoints };
      let ports: Record<string, number> = {};
      const configFiles = emulatorConfigFiles(name, options.scenario, subscribers, options.dir);
      const child = await start(`emulator-${name}`, async () => {
        const started = await startEmulator(name, options.dir, external, { configFiles, ports, profile: options.profile, seed: options.scenario.seed }, controlKey);
        ports = emulatorPorts(name, started.ready);
        return started;
      });
      emulatorNames.push(child.name);
      Object.assign(endpoints, child.ready);
    }
    // network faults: a fault proxy (its own process) between the backend and the broker
    let network: Stack['network'];
    let backendEndpoints = endpoints;
    let proxiedHosts: Record<string, string> = {};
    if (options.scenario.faults.some((f) => isNetworkFault(f.fault))) {
      const wired = await wireNetwork({ tech: options.tech, endpoints, dir: options.dir, bin: BIN, toxiproxyUrl: options.toxiproxyUrl, start });
      if (!wired.network.external) emulatorNames.push('fault-proxy');
      releaseNetwork = wired.release;
      network = wired.network;
      backendEndpoints = wired.endpoints;
      proxiedHosts = wired.hosts;
      log(`fault proxy${network.external ? ` (Toxiproxy at ${options.toxiproxyUrl})` : ''} on the broker links: ${network.broker.join(', ') || 'none'}`);
    }
    const hosts = { ...parseHosts(process.env[HOSTS_ENV]), ...proxiedHosts };
    const env = { [BACKEND_CONFIG_ENV]: backendConfig(options, backendEndpoints, subscribers, options.target?.prefix ?? 'mp'), ...(Object.keys(hosts).length ? { [HOSTS_ENV]: formatHosts(hosts) } : {}) };
    const spawnBackend = (proc: { name: string; args: string[] }) => {
      backendNames.push(proc.name);
      return start(proc.name, () =>
        spawnChild<{ port?: number }>({
          name: proc.name,
          command: process.execPath,
          args: ['--import', TSX_LOADER, BACKEND_ENTRY, ...proc.args],
          env,
          logFile: join(options.dir, 'logs', `${proc.name}.log`),
          secrets,
        }),
      );
    };
    // the api first (it provisions queues/topics), then workers and subscribers together
    const [apiProc, ...others] = backendProcesses(options.tech, options.scenario, subscribers);
    const api = (await spawnBackend(apiProc!)) as RunningChild<{ port?: number }>;
    const apiUrl = `http://127.0.0.1:${api.ready.port}`;
    const results = await Promise.allSettled(others.map(spawnBackend));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    log(`stack ready: ${[...members.keys()].join(', ')}`);
    const target = options.target ? 'external' as const : 'embedded' as const;
    return { tech: options.tech, dir: options.dir, endpoints, network, target, entityPrefix: options.target?.prefix, apiUrl, dbPath: join(options.dir, 'music.sqlite'), subscribers, members, restart, stopBackend, close };
  } catch (error) {
    await close();
    throw error;
  }
}
