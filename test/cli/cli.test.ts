import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { QueueServiceClient } from '@azure/storage-queue';

const BIN = 'bin/moshpit.mjs';
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('moshpit CLI', () => {
  it('explains every command in --help', () => {
    const help = cli('--help');
    expect(help.status).toBe(0);
    for (const command of ['run <scenario>', 'emulators <action>', 'report', 'export <what>']) expect(help.stdout).toContain(command);
    const run = cli('run', '--help');
    expect(run.status).toBe(0);
    for (const flag of ['--tech', '--out', '--engine', '--report']) expect(run.stdout).toContain(flag);
    const emulators = cli('emulators', '--help');
    for (const flag of ['--only', '--config', '--data-dir', '--in-memory', '--json', '--port']) expect(emulators.stdout).toContain(flag);
  });

  it('exits 2 with one readable message for an invalid scenario (no stack trace)', () => {
    const result = cli('run', 'test/data/scenarios/invalid.ts');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('invalid scenario (5 problems)');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for an unknown technology, listing the known ones', () => {
    const result = cli('run', 'scenarios/smoke.ts', '--tech', 'kafka');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown technology "kafka"; known: storage-queue, service-bus, event-hubs, event-grid');
  });

  it('exits 2 for an unknown flag or command', () => {
    const flag = cli('run', 'scenarios/smoke.ts', '--tehc', 'storage-queue');
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain('Unknown argument');
    expect(cli('runn').status).toBe(2);
    expect(cli('emulators', 'start', '--only', 'kafka').stderr).toContain('unknown emulator "kafka"; known: storage, service-bus, event-hubs, event-grid');
  });

  it('exits 2 for --segments without the k6 engine, and for export k6 without its arguments', () => {
    const segments = cli('run', 'scenarios/smoke.ts', '--segments', '2');
    expect(segments.status).toBe(2);
    expect(segments.stderr).toContain('--segments applies to the k6 engine only');
    const exportK6 = cli('export', 'k6');
    expect(exportK6.status).toBe(2);
    expect(exportK6.stderr).toContain('export k6 needs a scenario file, --out DIR, --target URL');
  });

  it('prints the results JSON Schema', () => {
    const result = cli('export', 'results-schema');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).properties.version).toBeDefined();
  });

  it('emulators start --json prints one JSON line, serves the SDK, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'emulators', 'start', '--only', 'storage', '--json', '--in-memory'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no ready line within 30 s')), 30_000);
        createInterface({ input: child.stdout }).once('line', (l) => {
          clearTimeout(timer);
          resolve(l);
        });
      });
      const endpoints = JSON.parse(line);
      expect(endpoints.storage.queueEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
      expect(endpoints.storage.blobEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
      // queues are served by moshpit's queue service (its control API answers), blobs by Azurite
      expect(endpoints.storage.connectionString).toContain(`QueueEndpoint=${endpoints.storage.queueEndpoint};`);
      expect((await fetch(`${endpoints.storage.controlUrl}/health`)).status).toBe(200);
      // the control API wants this start's key (printed once, on the ready line)
      expect(endpoints.controlKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect((await fetch(`${endpoints.storage.controlUrl}/entities`)).status).toBe(401);
      expect((await fetch(`${endpoints.storage.controlUrl}/entities`, { headers: { 'x-moshpit-control-key': endpoints.controlKey } })).status).toBe(200);
      const queue = QueueServiceClient.fromConnectionString(endpoints.storage.connectionString).getQueueClient('cli-test');
      await queue.create();
      await queue.sendMessage('hello');
      expect((await queue.receiveMessages()).receivedMessageItems[0]?.messageText).toBe('hello');
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('emulators start --tls', () => {
  it('serves event-grid over https and prints the CA path', async () => {
    const child = spawn(process.execPath, [BIN, 'emulators', 'start', '--only', 'event-grid,storage', '--tls', '--json', '--in-memory'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no ready line within 30 s')), 30_000);
        createInterface({ input: child.stdout }).once('line', (l) => {
          clearTimeout(timer);
          resolve(l);
        });
      });
      const { eventGrid, storage } = JSON.parse(line);
      expect(storage.blobEndpoint).toMatch(/^http:/);
      expect(eventGrid.topics['song-added'].endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
      expect(existsSync(eventGrid.caPath)).toBe(true);
      expect(readFileSync(eventGrid.caPath, 'utf8')).toContain('BEGIN CERTIFICATE');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
