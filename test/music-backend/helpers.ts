/** Shared test helpers: in-memory Azurite endpoints, consumer options, backend child processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startAzurite, type RunningAzurite } from '../../fixtures/emulators/azurite/server.ts';
import { DEV_ACCOUNT, DEV_ACCOUNT_KEY, type EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';
import type { BackendConfig } from '../../fixtures/music-backend/config.ts';
import type { HopRecord } from '../../runner/contracts/history.ts';
import type { ConsumerOptions } from '../../runner/contracts/backend-config.ts';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const MAIN = join(ROOT, 'fixtures/music-backend/main.ts');

export interface Storage {
  azurite: RunningAzurite;
  endpoints: EmulatorEndpoints;
}

export async function startStorage(): Promise<Storage> {
  const azurite = await startAzurite({ inMemory: true });
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};` +
    `BlobEndpoint=${azurite.blobEndpoint};QueueEndpoint=${azurite.queueEndpoint};`;
  return {
    azurite,
    endpoints: { storage: { connectionString, queueEndpoint: azurite.queueEndpoint!, blobEndpoint: azurite.blobEndpoint! } },
  };
}

export function consumerOptions(overrides: Partial<ConsumerOptions> = {}): ConsumerOptions {
  return {
    mode: 'peek-lock',
    processing: 'idempotent',
    batchSize: 16,
    prefetch: 0,
    maxConcurrentCalls: 8,
    visibilityTimeout: 30_000,
    maxDeliveryCount: 5,
    checkpointInterval: 1000,
    processingTime: 0,
    pollInterval: 20,
    ...overrides,
  };
}

let prefixCounter = 0;
export function uniquePrefix(label: string): string {
  prefixCounter += 1;
  return `t${process.pid}-${label}-${prefixCounter}`;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function readHistory(file: string): HopRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as HopRecord);
}

export interface BackendChild {
  child: ChildProcess;
  ready: Record<string, unknown>;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `main.ts <args>` with the config; resolves on its ready line (rejects on exit or timeout). */
export function startBackend(args: string[], config: BackendConfig | string, timeoutMs = 40_000): Promise<BackendChild> {
  const env = { ...process.env, MOSHPIT_BACKEND_CONFIG: typeof config === 'string' ? config : JSON.stringify(config) };
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')}: no ready line within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve({ child, ready: JSON.parse(line) as Record<string, unknown>, stderr: () => stderr, exited });
      } catch {
        reject(new Error(`${args.join(' ')}: stdout line is not JSON: ${line}`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code} before ready\n${stderr}`));
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
export async function stopBackend(backend: BackendChild, graceMs = 15_000): Promise<number | null> {
  if (backend.child.exitCode !== null || backend.child.signalCode !== null) return backend.child.exitCode;
  backend.child.kill('SIGTERM');
  const timer = setTimeout(() => backend.child.kill('SIGKILL'), graceMs);
  try {
    return await backend.exited;
  } finally {
    clearTimeout(timer);
  }
}
