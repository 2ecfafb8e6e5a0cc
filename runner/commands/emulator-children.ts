/**
 * `moshpit emulators start` with several emulators: one child process per emulator, so that
 * one emulator's crash (a decoder bug, heap exhaustion) never takes another down. Each child
 * is this same command with `--only <name>`, which runs its one emulator in-process and prints
 * its endpoints as one JSON line; the parent merges those lines into the usual ready line.
 *
 * Each child is fixtures/emulators/child.ts, which loads only its own emulator.
 *
 * Storage starts first (Event Hubs and Event Grid keep checkpoints and dead-letters in its
 * blob service and get its endpoints via MOSHPIT_EXTERNAL_ENDPOINTS), the others together.
 * A child that dies is reported on stderr and the rest keep serving; stopping sends SIGTERM to
 * every child (dependents first) and SIGKILL to any still running after the grace period.
 */
import type { ResolvedProfile } from '../../profiles/model.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { UserError } from '../contracts/errors.ts';
import { PARENT_PID_ENV } from '../contracts/watchdog.ts';
import { CONTROL_KEY_ENV } from '../../fixtures/emulators/common/control-key.ts';
import type { EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';
import { emulatorSpec, type EmulatorName } from '../../fixtures/emulators/registry.ts';
import { CHILD_ENTRY, type ChildOptionsInput } from '../../fixtures/emulators/child-process.ts';

/** tsx's loader by URL: `--import tsx` would resolve from the working directory, which may be outside the project */
const TSX_LOADER = import.meta.resolve('tsx');
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

export interface EmulatorChildrenOptions {
  only: EmulatorName[];
  configFiles: Map<EmulatorName, string[]>;
  dataDir: string;
  inMemory: boolean;
  host: string;
  ports: Record<string, number>;
  tls: boolean;
  external?: EmulatorEndpoints;
  controlKey: string;
  profile?: ResolvedProfile;
  seed?: number;
}

interface EmulatorChild {
  name: EmulatorName;
  process: ChildProcess;
  exited: Promise<void>;
  stopping: boolean;
}

/** The child's command line: one emulator, with its own ports and config files. */
export function childArgs(name: EmulatorName, options: EmulatorChildrenOptions): string[] {
  const ports = Object.fromEntries(Object.entries(options.ports).filter(([key]) => key === name || key.startsWith(`${name}-`)));
  const childOptions: ChildOptionsInput = { name, dataDir: options.dataDir, inMemory: options.inMemory, host: options.host, ports, configFiles: options.configFiles.get(name) ?? [], tls: options.tls, profile: options.profile, seed: options.seed };
  return ['--import', TSX_LOADER, CHILD_ENTRY, JSON.stringify(childOptions)];
}

function spawnEmulator(name: EmulatorName, options: EmulatorChildrenOptions, started: EmulatorEndpoints): Promise<{ child: EmulatorChild; endpoints: EmulatorEndpoints }> {
  const proc = spawn(process.execPath, childArgs(name, options), {
    env: { ...process.env, MOSHPIT_EXTERNAL_ENDPOINTS: JSON.stringify(started), [CONTROL_KEY_ENV]: options.controlKey, [PARENT_PID_ENV]: String(process.pid) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const child: EmulatorChild = { name, process: proc, stopping: false, exited: new Promise((done) => proc.once('exit', () => done())) };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`the ${name} emulator did not become ready within ${READY_TIMEOUT_MS / 1000} s`));
    }, READY_TIMEOUT_MS);
    const lines = createInterface({ input: proc.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve({ child, endpoints: JSON.parse(line) as EmulatorEndpoints });
      } catch {
        proc.kill('SIGKILL');
        reject(new Error(`the ${name} emulator printed ${JSON.stringify(line.slice(0, 200))} instead of its JSON ready line`));
      }
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      const how = code === 2 ? 'bad input, see its message above' : `exit ${code ?? signal}`;
      const error = `the ${name} emulator did not start (${how})`;
      reject(code === 2 ? new UserError(error) : new Error(error));
    });
  });
}

/** Reports a child that ends while it should be serving; the others keep running. */
function watch(child: EmulatorChild): void {
  child.process.once('exit', (code, signal) => {
    // a Ctrl-C reaches the children too: give the parent's own SIGINT handler a moment to say so
    setTimeout(() => {
      if (child.stopping) return;
      process.stderr.write(`moshpit emulators: the ${child.name} emulator (pid ${child.process.pid}) exited unexpectedly (${signal ?? `exit code ${code}`}); the other emulators keep running\n`);
    }, 200).unref();
  });
}

async function stopChild(child: EmulatorChild): Promise<void> {
  child.stopping = true;
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), STOP_GRACE_MS);
  await child.exited;
  clearTimeout(timer);
}

/** Starts one child per emulator (in dependency waves) and resolves with the merged endpoints. */
export interface EmulatorChildren {
  endpoints: EmulatorEndpoints;
  children: EmulatorChild[];
  /** resolves when every child has ended (nothing is left to serve) */
  allExited: Promise<void>;
  close(): Promise<void>;
}

export async function startEmulatorChildren(options: EmulatorChildrenOptions): Promise<EmulatorChildren> {
  const children: EmulatorChild[] = [];
  const endpoints: EmulatorEndpoints = {};
  const close = async () => {
    // dependents first: storage holds their checkpoints and dead-letters
    const dependents = children.filter((c) => emulatorSpec(c.name).needs.length > 0);
    await Promise.all(dependents.map(stopChild));
    await Promise.all(children.filter((c) => !dependents.includes(c)).map(stopChild));
  };
  const first = options.only.filter((name) => !emulatorSpec(name).needs.some((need) => options.only.includes(need)));
  const waves = [first, options.only.filter((name) => !first.includes(name))].filter((wave) => wave.length);
  try {
    for (const wave of waves) {
      const started = { ...options.external, ...endpoints };
      const outcomes = await Promise.allSettled(wave.map((name) => spawnEmulator(name, options, started)));
      for (const outcome of outcomes) if (outcome.status === 'fulfilled') children.push(outcome.value.child);
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) throw failed.reason;
      for (const outcome of outcomes) if (outcome.status === 'fulfilled') Object.assign(endpoints, outcome.value.endpoints);
    }
  } catch (error) {
    await close();
    throw error;
  }
  children.forEach(watch);
  delete endpoints.controlKey; // each child echoes the key; the parent prints it once
  return { endpoints, children, allExited: Promise.all(children.map((c) => c.exited)).then(() => undefined), close };
}
