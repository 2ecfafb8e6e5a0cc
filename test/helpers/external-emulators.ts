/**
 * moshpit's emulators started separately, as a remote namespace would be: `moshpit emulators
 * start --json` as a child process, its ready line (itself a valid target file) and a stop that
 * waits for the child to exit. Shared by the target tests.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';

export interface ExternalEmulators {
  /** the ready line as printed */
  line: string;
  endpoints: EmulatorEndpoints;
  stop(): Promise<void>;
}

export async function startExternalEmulators(extraArgs: string[] = []): Promise<ExternalEmulators> {
  const child = spawn(process.execPath, ['bin/moshpit.mjs', 'emulators', 'start', '--json', '--in-memory', ...extraArgs], { stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('emulators not ready in 60 s')), 60_000);
    createInterface({ input: child.stdout! }).once('line', (l) => (clearTimeout(timer), resolve(l)));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`emulators exited (${code})`))));
  });
  return {
    line,
    endpoints: JSON.parse(line) as EmulatorEndpoints,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
