/**
 * `export k6` writes a runnable k6-operator bundle; running its script like two runner pods
 * (two execution segments, logs captured as `kubectl logs` would) and `collect`ing the logs
 * gives a results.json with the whole load, no id collisions.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../../runner/commands/collect.ts';
import { exportK6 } from '../../../runner/commands/export-k6.ts';
import { UserError } from '../../../runner/contracts/errors.ts';
import type { HopRecord } from '../../../runner/contracts/history.ts';
import { resultsSchema } from '../../../runner/results/schema.ts';
import { startFakeBackend, type FakeBackend } from './fake-backend.ts';
import { K6_BIN, SKIP_K6 } from './k6-available.ts';

const dir = mkdtempSync(join(tmpdir(), 'moshpit-k6-export-'));
let backend: FakeBackend;
beforeAll(async () => {
  backend = await startFakeBackend();
});
afterAll(async () => {
  await backend?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('export k6', () => {
  it('writes the script, plan, ConfigMap, TestRun and README', async () => {
    const out = join(dir, 'bundle-only');
    await exportK6({ scenario: 'test/data/scenarios/short.json', out, parallelism: 3, target: 'https://api.example/' });
    const testrun = readFileSync(join(out, 'testrun.yaml'), 'utf8');
    expect(testrun).toMatch(/^apiVersion: k6\.io\/v1alpha1\nkind: TestRun\n/);
    expect(testrun).toContain('parallelism: 3');
    expect(testrun).toMatch(/configMap:\n\s+name: moshpit-short\n\s+file: driver\.js/);
    expect(readFileSync(join(out, 'configmap.yaml'), 'utf8')).toContain('  moshpit-plan.json: |');
    const plan = JSON.parse(readFileSync(join(out, 'moshpit-plan.json'), 'utf8')) as { baseUrl: string; uploads: { limit: number } };
    expect(plan.baseUrl).toBe('https://api.example');
    expect(plan.uploads.limit).toBe(20);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('npx moshpit collect');
  });

  it('rejects bad arguments with the flag and the fix', async () => {
    await expect(exportK6({ scenario: 'test/data/scenarios/short.json', out: dir, parallelism: 0, target: 'https://x' })).rejects.toThrow(/--parallelism: expected an integer/);
    await expect(exportK6({ scenario: 'test/data/scenarios/short.json', out: dir, parallelism: 1, target: 'not a url' })).rejects.toThrow(UserError);
  });
});

describe.skipIf(SKIP_K6)('export k6 → two k6 processes → collect', () => {
  it('collects both segments into history and results.json', async () => {
    const out = join(dir, 'bundle');
    await exportK6({ scenario: 'test/data/scenarios/short.json', out, parallelism: 2, target: backend.url });
    for (const [n, segment] of ['0:1/2', '1/2:1'].entries()) {
      // like a k6-operator runner pod: raw log format, everything on the pod log
      // async: the fake backend lives in this process and must keep answering
      const k6 = await promisify(execFile)(K6_BIN!, ['run', '--quiet', '--no-usage-report', '--log-format', 'raw', '--execution-segment', segment, '--execution-segment-sequence', '0,1/2,1', 'driver.js'], {
        cwd: out, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20, env: { ...process.env, MOSHPIT_PLAN_FILE: join(out, 'moshpit-plan.json') },
      });
      writeFileSync(join(out, 'outputs', `pod-${n}.log`), `k6 starting\n${k6.stderr}${k6.stdout}`);
    }
    const results = join(dir, 'results');
    await collect({ dir: out, out: results, tech: 'storage-queue' });
    const parsed = resultsSchema.parse(JSON.parse(readFileSync(join(results, 'results.json'), 'utf8')));
    expect(parsed.runs[0]!.load.engine).toBe('k6');
    expect(parsed.environment.target).toBe('emulated'); // the backend was on this machine (127.0.0.1)
    const historyDir = join(results, 'storage-queue', 'history');
    expect(readdirSync(historyDir).sort()).toEqual(['loadgen-k6-dropped.jsonl', 'loadgen-k6-pod-0.jsonl', 'loadgen-k6-pod-1.jsonl']);
    const records = readdirSync(historyDir).flatMap((f) => readFileSync(join(historyDir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as HopRecord));
    const sent = records.filter((r) => r.h === 'sent' && /-[uc]\d+$/.test(r.op)).map((r) => r.op);
    expect(new Set(sent).size).toBe(sent.length);
    const dropped = records.filter((r) => r.h === 'dropped').length;
    expect(sent.length + dropped).toBe(50);
    expect(sent.length).toBeGreaterThanOrEqual(48);
    // each pod seeded its own 3 songs for the comments
    expect(records.filter((r) => r.h === 'acked' && /-s\d+$/.test(r.op)).length).toBe(6);
  }, 90_000);

  it('no outputs: a UserError saying where to put them', async () => {
    const out = join(dir, 'empty');
    await exportK6({ scenario: 'test/data/scenarios/short.json', out, parallelism: 1, target: backend.url });
    mkdirSync(join(out, 'outputs'), { recursive: true });
    await expect(collect({ dir: out, out: join(dir, 'r2'), tech: 'storage-queue' })).rejects.toThrow(/no k6 outputs in .*outputs/);
  });
});
