/**
 * Child processes of a run (emulators, api, workers, subscribers). Each prints one JSON line on
 * stdout when ready; its stderr (and anything else it prints) goes to a log file. Every child
 * is tracked so it can be killed when the runner exits or crashes, and each child is told the
 * runner's pid so it exits by itself if the runner is SIGKILLed (see runner/contracts/watchdog.ts). Secrets the
 * child was given (the control key) are replaced by <redacted> in what reaches its log file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { PARENT_PID_ENV } from '../contracts/watchdog.ts';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  logFile: string;
  readyTimeoutMs?: number;
  /** values never to be written to the log file (each occurrence becomes <redacted>) */
  secrets?: string[];
}

export interface RunningChild<Ready = unknown> {
  name: string;
  pid: number;
  ready: Ready;
  /** resolves with the exit code (or signal name) when the process ends */
  exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after graceMs */
  stop(graceMs?: number): Promise<void>;
  signal(signal: NodeJS.Signals): void;
}

const live = new Set<ChildProcess>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** Replaces every occurrence of each secret in a log line. */
export function redact(line: string, secrets: readonly string[] = []): string {
  let out = line;
  for (const secret of secrets) if (secret) out = out.split(secret).join('<redacted>');
  return out;
}

export function spawnChild<Ready = unknown>(spec: ChildSpec): Promise<RunningChild<Ready>> {
  hookExit();
  mkdirSync(dirname(spec.logFile), { recursive: true });
  const log = createWriteStream(spec.logFile, { flags: 'a' });
  const child = spawn(spec.command, spec.args, {
    env: { ...process.env, ...spec.env, [PARENT_PID_ENV]: String(process.pid) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const writeLog = (line: string) => void (log.writableEnded || log.write(redact(line, spec.secrets) + '\n'));
  createInterface({ input: child.stderr!, crlfDelay: Infinity }).on('line', writeLog);
  // the last lines may arrive after 'exit': end the log when the pipes close (or shortly after exit)
  child.once('close', () => log.end());
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      setTimeout(() => log.end(), 250).unref();
      resolve(code ?? signal ?? 'unknown');
    });
  });
  return new Promise((resolve, reject) => {
    const timeoutMs = spec.readyTimeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${spec.name} did not become ready within ${timeoutMs} ms (see ${spec.logFile})`));
    }, timeoutMs);
    let readySeen = false;
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (readySeen) return writeLog(line);
      let parsed: Ready;
      try {
        parsed = JSON.parse(line) as Ready;
      } catch {
        return writeLog(line);
      }
      readySeen = true;
      clearTimeout(timer);
      resolve(handle(spec.name, child, parsed, exited));
    });
    void exited.then((code) => {
      if (readySeen) return;
      clearTimeout(timer);
      reject(new ExitedBeforeReady(`${spec.name} exited (${code}) before it was ready (see ${spec.logFile})`));
    });
  });
}

/** A child that exited before its ready line (the error a restart on the same ports may retry). */
export class ExitedBeforeReady extends Error {}

function handle<Ready>(name: string, child: ChildProcess, ready: Ready, exited: Promise<number | string>): RunningChild<Ready> {
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    name,
    pid: child.pid!,
    ready,
    exited,
    signal: (signal) => {
      if (!ended) child.kill(signal);
    },
    async stop(graceMs = 5000) {
      if (ended) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Kills every child still running (used on SIGINT and crashes). */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}
