/**
 * The gate end to end on a real results file: the short scenario runs on storage-queue (emulated)
 * once, then `gate` runs as a child process over it and over edited copies.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASELINE_FILE, REGRESSIONS_FILE, THRESHOLDS_FILE } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'moshpit-gate-'));
const resultsFile = join(dir, 'run', 'results.json');

function gate(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'test/gate/gate-cli.ts', 'gate', ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, GITHUB_STEP_SUMMARY: '', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same as gate(), without blocking, so independent cases run side by side. */
function gateAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/gate/gate-cli.ts', 'gate', ...args], { env: { ...process.env, GITHUB_STEP_SUMMARY: '' }, timeout: 30_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

function editedResults(name: string, edit: (results: any) => void): string {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  edit(results);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(results));
  return path;
}

function writeJson(name: string, data: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof data === 'string' ? data : JSON.stringify(data));
  return path;
}

beforeAll(async () => {
  const child = spawn(process.execPath, ['bin/moshpit.mjs', 'run', 'test/data/scenarios/short.json', '--tech', 'storage-queue', '--out', join(dir, 'run'), '--report', 'false'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
  try {
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`moshpit run exited ${code}: ${stderr}`);
  } finally {
    clearTimeout(timer);
    child.kill('SIGKILL');
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('moshpit gate on a real run', () => {
  it('passes the default thresholds and the sample baseline (exit 0), writing JUnit, markdown and the step summary', () => {
    const junit = join(dir, 'out', 'gate.xml');
    const markdown = join(dir, 'out', 'gate.md');
    const summary = writeJson('summary.md', '# earlier step\n');
    // the run is its own baseline here (0% regression, whatever this machine's speed)
    const result = gate([resultsFile, '--thresholds', THRESHOLDS_FILE, '--thresholds', REGRESSIONS_FILE, '--baseline', resultsFile, '--junit', junit, '--markdown', markdown], { GITHUB_STEP_SUMMARY: summary });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^threshold\s+scope\s+observed\s+verdict/);
    expect(result.stdout).toMatch(/lost: count == 0\s+storage-queue\/uploads\s+0\s+pass/);
    expect(result.stdout).toMatch(/e2e_latency: med regression < 400%\s+storage-queue\/comments\s+0% \(/);
    expect(result.stdout).toContain('gate: PASS');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('failures="0"');
    expect(xml.match(/<testcase /g)!.length).toBe(result.stdout.match(/ pass$/gm)!.length);
    const md = readFileSync(markdown, 'utf8');
    expect(md).toContain(`### ✅ moshpit gate: short (storage-queue) vs baseline ${resultsFile}`);
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${md}\n`);
  });

  it('compares with the sample baseline fixture (same tech, flow and metric)', () => {
    const result = gate([resultsFile, '--thresholds', REGRESSIONS_FILE, '--baseline', BASELINE_FILE]);
    expect([0, 99]).toContain(result.status);
    for (const flow of ['uploads', 'comments', 'song-added']) {
      expect(result.stdout).toMatch(new RegExp(`e2e_latency: med regression < 400%\\s+storage-queue/${flow}\\s+[+-]?[\\d.]+% \\([\\d.]+ ms vs [\\d.]+ ms\\)`));
    }
  });

  it('passes the default thresholds alone, without a baseline (exit 0)', () => {
    const result = gate([resultsFile, '--thresholds', THRESHOLDS_FILE]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/fanout_missing: count == 0\s+storage-queue\/song-added\s+0\s+pass/);
  });

  it('fails with 99 when the results regress (lost > 0, e2e p99 over budget)', () => {
    const regressed = editedResults('regressed.json', (r) => {
      r.runs[0].flows.uploads.checks['total-queue'].counts.lost = 2;
      r.runs[0].flows.comments.checks.latency.latency.e2e.p99Ms = 7_500;
    });
    const junit = join(dir, 'regressed.xml');
    const result = gate([regressed, '--thresholds', THRESHOLDS_FILE, '--junit', junit]);
    expect(result.status).toBe(99);
    expect(result.stdout).toMatch(/lost: count == 0\s+storage-queue\/uploads\s+2\s+FAIL/);
    expect(result.stdout).toMatch(/e2e_latency: p\(99\) < 5s\s+storage-queue\/comments\s+7500 ms\s+FAIL/);
    expect(result.stdout).toContain('gate: FAIL, 2 of');
    expect(readFileSync(junit, 'utf8')).toContain('<failure message="observed 7500 ms; threshold p(99) &lt; 5s');
  });

  it("applies the scenario's own thresholds from results.json", () => {
    const withExpect = editedResults('expect.json', (r) => {
      r.scenario.thresholds = { 'lost{flow:comments}': ['count == 0'], 'e2e_latency{flow:uploads}': ['p(99) < 1'] };
    });
    const result = gate([withExpect]);
    expect(result.status).toBe(99);
    expect(result.stdout).toMatch(/lost: count == 0\s+storage-queue\/comments\s+0\s+pass/);
    expect(result.stdout).toMatch(/e2e_latency: p\(99\) < 1\s+storage-queue\/uploads\s+[\d.]+ ms\s+FAIL/);
  });

  it('fails recovery thresholds as not measured (99)', () => {
    const result = gate([resultsFile, '--thresholds', writeJson('recovery.json', { thresholds: { recovery: ['max < 30s'] } })]);
    expect(result.status).toBe(99);
    expect(result.stdout).toMatch(/recovery: max < 30s\s+storage-queue\s+not measured: .*had no faults.*FAIL/);
  });

  it('fails a regression threshold whose metric the baseline lacks (99)', () => {
    const baseline = writeJson('base-no-sq.json', { ...JSON.parse(readFileSync(BASELINE_FILE, 'utf8')), runs: JSON.parse(readFileSync(BASELINE_FILE, 'utf8')).runs.filter((r: any) => r.tech !== 'storage-queue') });
    const result = gate([resultsFile, '--baseline', baseline, '--thresholds', writeJson('reg.json', { thresholds: { 'e2e_latency{flow:uploads}': ['p(99) regression < 20%'] } })]);
    expect(result.status).toBe(99);
    expect(result.stdout).toContain('the baseline has no e2e_latency for storage-queue/uploads');
  });

  it('exits 2 with one readable message for bad input', async () => {
    const cases: [string[], string][] = [
      [[join(dir, 'nope.json'), '--thresholds', THRESHOLDS_FILE], 'results file not found'],
      [[editedResults('v2.json', (r) => (r.version = 2)), '--thresholds', THRESHOLDS_FILE], 'has results version 2'],
      [[resultsFile, '--thresholds', writeJson('bad.json', { thresholds: { e2e_latency: ['p(99 < 500'] } })], 'bad.json: "e2e_latency": "p(99 < 500": expected ")" at column 5'],
      [[resultsFile, '--thresholds', writeJson('unknown.json', { thresholds: { lots: ['count == 0'] } })], 'unknown metric "lots"; known: lost,'],
      [[resultsFile, '--thresholds', writeJson('shape.json', { thresholds: { lost: 'count == 0' } })], 'expected an array of threshold strings'],
      [[resultsFile, '--thresholds', writeJson('json.json', '{"thresholds": ')], 'is not valid JSON'],
      [[resultsFile, '--thresholds', REGRESSIONS_FILE], 'needs a baseline: pass --baseline'],
      [[resultsFile], 'no thresholds to check'],
      [[resultsFile, '--thresholds', writeJson('empty.json', { thresholds: { lost: [] } })], 'no thresholds to check'],
    ];
    const results = await Promise.all(cases.map(([args]) => gateAsync(args)));
    for (const [i, [args, message]] of cases.entries()) {
      const result = results[i]!;
      expect({ args, status: result.status }).toEqual({ args, status: 2 });
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stdout).toBe('');
    }
  });
});
