/**
 * --serve re-renders when the results file changes; a 1,000,000-operation run's report stays
 * under 2 MB because the runner downsamples the timelines.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReportHtml } from '../../runner/report/bundle.ts';
import { serveReport } from '../../runner/report/serve.ts';
import { UserError } from '../../runner/contracts/errors.ts';
import { SAMPLE_RESULTS_FILE, sampleResults } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'moshpit-report-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report --serve', () => {
  it('serves on 127.0.0.1, re-renders when the results change, keeps the last good page on bad input', async () => {
    const file = join(dir, 'results.json');
    copyFileSync(SAMPLE_RESULTS_FILE, file);
    const logs: string[] = [];
    const server = await serveReport([file], { pollMs: 50, log: (line) => logs.push(line) });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const first = await (await fetch(server.url)).text();
      expect(first).toContain('sample-fixture');
      expect(first).toContain("connect-src 'self'");
      expect(await (await fetch(`${server.url}version`)).text()).toBe('1');
      const changed = JSON.parse(readFileSync(SAMPLE_RESULTS_FILE, 'utf8'));
      changed.scenario.name = 'renamed-while-serving';
      writeFileSync(file, JSON.stringify(changed));
      const deadline = Date.now() + 30_000;
      while (server.version() === 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(server.version()).toBe(2);
      expect(await (await fetch(server.url)).text()).toContain('renamed-while-serving');
      writeFileSync(file, '{ not json');
      while (!logs.some((l) => l.startsWith('kept the previous report')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(server.version()).toBe(2);
      expect(await (await fetch(server.url)).text()).toContain('renamed-while-serving');
      expect((await fetch(`${server.url}nope`)).status).toBe(404);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('refuses a missing results file before serving', async () => {
    await expect(serveReport([join(dir, 'missing.json')])).rejects.toThrow(UserError);
  });
});

describe('large runs', () => {
  it('a 1,000,000-operation run with long timelines renders under 2 MB', async () => {
    const results = sampleResults();
    const seconds = 20_000; // 50 ops/s for 20,000 s per run
    for (const run of results.runs) {
      run.load.attempted = run.load.sent = run.load.acknowledged = 500_000;
      run.timeline = Array.from({ length: seconds }, (_, t) => ({ t, offered: 25, acknowledged: 25, committed: 24.5, errors: t % 997 === 0 ? 1 : 0 }));
    }
    expect(JSON.stringify(results).length).toBeGreaterThan(2 * 1024 * 1024); // would not fit without downsampling
    const html = await buildReportHtml([results]);
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
    const data = JSON.parse(/<script id="moshpit-data" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!);
    expect(data[0].runs[0].timeline.length).toBeLessThanOrEqual(600);
  }, 120_000);
});

describe('report command flags', () => {
  it('refuses --port without --serve and a port out of range', async () => {
    const { default: yargs } = await import('yargs');
    const { reportCommand } = await import('../../runner/commands/report.ts');
    const cli = () => yargs().command(reportCommand).strict().exitProcess(false).fail(false);
    await expect(async () => cli().parseAsync(['report', SAMPLE_RESULTS_FILE, '--port', '8080'])).rejects.toThrow('--port only applies with --serve');
    await expect(async () => cli().parseAsync(['report', SAMPLE_RESULTS_FILE, '--serve', '--port', '70000'])).rejects.toThrow(
      '--port must be an integer from 0 to 65535, got 70000',
    );
  });
});
