/**
 * moshpit's emulators started separately, as a remote namespace would be: `moshpit emulators
 * start --json` as a child process, its ready line (itself a valid target file) and a stop that
 * waits for the child to exit. Shared by the target tests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createInterface } from 'node:readline';
import type { EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';

export interface ExternalEmulators {
  /** the ready line as printed */
  line: string;
  endpoints: EmulatorEndpoints;
  stop(): Promise<void>;
}

/** `targetFile`: where to save the ready line as it is (a valid target file) */
export async function startExternalEmulators(extraArgs: string[] = [], targetFile?: string): Promise<ExternalEmulators> {
  const child = spawn(process.execPath, ['bin/moshpit.mjs', 'emulators', 'start', '--json', '--in-memory', ...extraArgs], { stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('emulators not ready in 60 s')), 60_000);
    createInterface({ input: child.stdout! }).once('line', (l) => (clearTimeout(timer), resolve(l)));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`emulators exited (${code})`))));
  });
  if (targetFile) writeFileSync(targetFile, line);
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

/**
 * For a test file: emulators started separately before its tests (their ready line saved as
 * `<dir>/target.json`), stopped and the directory removed after.
 */
export function useExternalEmulators(name: string, extraArgs: string[] = [], before?: () => void): { dir: string; targetFile: string; endpoints(): EmulatorEndpoints } {
  const dir = mkdtempSync(join(tmpdir(), `moshpit-${name}-`));
  const targetFile = join(dir, 'target.json');
  let emulators: ExternalEmulators | undefined;
  beforeAll(async () => {
    before?.();
    emulators = await startExternalEmulators(extraArgs, targetFile);
  }, 90_000);
  afterAll(async () => {
    await emulators?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, targetFile, endpoints: () => emulators!.endpoints };
}
