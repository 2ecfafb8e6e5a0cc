/** Scenario fields of the database capacity, the api's limits and the client timeout: defaults and bad input (field + fix, exit 2). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../runner/scenario/loader.ts';

const base = { name: 'x', description: 'd', duration: '1s', load: { uploads: { rate: 1 } } };

describe('scenario: backend.database, backend.api, load.clientTimeoutMs', () => {
  it('defaults keep the unlimited database and the old timeouts', () => {
    const scenario = validateScenario(base, 'f');
    expect(scenario.backend.database).toBeUndefined();
    expect(scenario.backend.api).toEqual({ requestTimeoutMs: 30_000, maxConcurrentRequests: 1024 });
    expect(scenario.load.clientTimeoutMs).toBe(10_000);
    const limited = validateScenario({ ...base, backend: { database: { maxConcurrent: 4, writeMsPerOp: 20 } } }, 'f');
    expect(limited.backend.database).toEqual({ maxConcurrent: 4, writeMsPerOp: 20, writeMsPerKiB: 0, queueTimeoutMs: 5000 });
  });

  it('names each bad field with its fix, all at once', () => {
    const bad = { ...base, load: { ...base.load, clientTimeoutMs: -1 }, backend: { database: { maxConcurrent: 0, writeMsPerKiB: 'fast', queueTimout: 5 }, api: { requestTimeoutMs: 1.5 } } };
    expect(() => validateScenario(bad, 'f')).toThrow(/5 problems/);
    const message = (() => { try { validateScenario(bad, 'f'); } catch (e) { return (e as Error).message; } return ''; })();
    expect(message).toContain('load.clientTimeoutMs: expected a positive integer (milliseconds the load generator waits for an answer, e.g. 10000)');
    expect(message).toContain('backend.database.maxConcurrent: expected a positive integer (writes the database runs at once; leave it out for no limit, e.g. 4)');
    expect(message).toContain('backend.database.writeMsPerKiB: expected milliseconds >= 0 per KiB written, e.g. 0.2');
    expect(message).toContain('backend.database: unknown field "queueTimout"');
    expect(message).toContain('backend.api.requestTimeoutMs: expected a positive integer');
  });

  it('the CLI exits 2 on it with one readable message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'moshpit-scn-'));
    try {
      const file = join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify({ ...base, backend: { database: { maxWritesPerSecond: 0 } } }));
      const result = spawnSync(process.execPath, ['bin/moshpit.mjs', 'run', file, '--dry-run'], { encoding: 'utf8', timeout: 60_000 });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('backend.database.maxWritesPerSecond: expected a positive number (writes started per second; leave it out for no limit, e.g. 100)');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
