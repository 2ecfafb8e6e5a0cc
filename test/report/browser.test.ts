/**
 * Opens a built report from disk (file://) in headless Chromium and checks it renders: no console
 * errors, the summary table matches the results, the latency chart drew one line per series.
 * Skipped when /usr/bin/chromium is absent (issue 6's .ci/run installs it).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../runner/report/bundle.ts';
import { SAMPLE_RESULTS_FILE } from './helpers.ts';

const REAL_RUN_FILE = fileURLToPath(new URL('./fixtures/real-run-results.json', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/** Opens a report from disk and collects console errors and non-local requests. */
async function openReport(page: Page, file: string): Promise<{ problems: string[]; requests: string[] }> {
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href, { timeout: 30_000 });
  await page.waitForSelector('[data-testid="timeline-chart"] svg .recharts-line-curve', { timeout: 30_000 });
  return { problems, requests };
}

const CHROMIUM = '/usr/bin/chromium';
const dir = mkdtempSync(join(tmpdir(), 'moshpit-report-browser-'));
let browser: Browser | undefined;

describe.skipIf(!existsSync(CHROMIUM))('report in headless Chromium', () => {
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      timeout: 30_000,
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders the table and the chart offline with no console errors', async () => {
    const out = join(dir, 'report.html');
    await writeReport([SAMPLE_RESULTS_FILE], out);
    const context = await browser!.newContext({ viewport: { width: 1400, height: 1000 } });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(out).href, { timeout: 30_000 });
      await page.waitForSelector('[data-testid="latency-chart"] svg .recharts-line-curve', { timeout: 30_000 });

      expect(await page.locator('[data-testid="summary-table"] tbody tr').count()).toBe(6);
      const invalid = page.locator('tr[data-row="storage-queue/comments"] .verdict');
      expect(await invalid.textContent()).toBe('invalid');
      expect(await page.locator('tr[data-row="storage-queue/comments"] td[data-col="inversions"]').textContent()).toBe('7');
      expect(await page.locator('tr[data-row="service-bus/song-added"] td[data-col="lost"]').textContent()).toBe('—');
      expect(await page.locator('[data-testid="latency-chart"] .recharts-line-curve').count()).toBe(6);
      // recharts draws tick labels in their own layer: x-axis labels are the percent ones
      const tickValues = page.locator('[data-testid="latency-chart"] .recharts-cartesian-axis-tick-value');
      const percentTicks = (await tickValues.allTextContents()).filter((text) => text.endsWith('%'));
      expect(percentTicks).toEqual(['0%', '50%', '90%', '99%', '99.9%', '99.99%']);
      const linearTicks = await tickValues.allTextContents();
      await page.getByTestId('latency-chart').getByLabel('log scale (ms)').check();
      await page.waitForFunction(
        (before) => Array.from(document.querySelectorAll('.recharts-cartesian-axis-tick-value')).map((t) => t.textContent).join() !== before,
        linearTicks.join(),
        { timeout: 10_000 },
      );
      expect(await page.locator('[data-testid="latency-chart"] .recharts-line-curve').count()).toBe(6);
      expect(problems).toEqual([]);
      expect(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('a real run: comparison values equal results.json, every chart drawn, hop selector works', async () => {
    const out = join(dir, 'real.html');
    await writeReport([REAL_RUN_FILE], out);
    const raw = JSON.parse(readFileSync(REAL_RUN_FILE, 'utf8'));
    const context = await browser!.newContext({ viewport: { width: 1400, height: 1000 } });
    try {
      const page = await context.newPage();
      const { problems, requests } = await openReport(page, out);
      for (const run of raw.runs) {
        const flows = Object.values(run.flows) as any[];
        const queue = (f: any) => f.checks['total-queue']?.counts;
        const lost = flows.reduce((n, f) => n + (queue(f)?.lost ?? 0), 0);
        const p99 = Math.max(...flows.map((f) => f.checks.latency.latency.e2e.p99Ms));
        const row = page.locator(`[data-testid="comparison-table"] tr[data-tech="${run.tech}"]`);
        expect(await row.locator('td[data-col="lost"] .value').textContent()).toBe(String(lost));
        const shownP99 = Number((await row.locator('td[data-col="e2eP99Ms"] .value').textContent())!.replace(/,/g, ''));
        expect(Math.abs(shownP99 - p99)).toBeLessThanOrEqual(p99 >= 100 ? 0.5 : 0.05);
        const perS = run.load.acknowledged / (raw.scenario.durationMs / 1000);
        expect(await row.locator('td[data-col="throughputPerS"] .value').textContent()).toBe(perS.toFixed(1));
      }
      expect(await page.locator('[data-testid="comparison-table"] td.best').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-testid="latency-chart"] .recharts-line-curve').count()).toBe(raw.runs.length * 3);
      expect(await page.locator('[data-testid="publish-delay-chart"] .recharts-line-curve').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-testid="timeline-chart"]').count()).toBe(raw.runs.length);
      expect(await page.locator('[data-testid="timeline-chart"] path.recharts-line-curve[d^="M"]').count()).toBe(raw.runs.length * 4);
      expect(await page.locator('[data-testid="recommendations"] .recommendation').count()).toBe(3);
      // the verdict table fits a 1400 px window: no horizontal scrolling
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1400);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'report-real-run.png'), fullPage: true });
      await page.selectOption('[data-testid="hop-select"]', 'broker');
      await page.waitForSelector('[data-testid="latency-chart"][data-hop="broker"] .recharts-line-curve', { timeout: 10_000 });
      expect(await page.locator('[data-testid="latency-chart"] .recharts-line-curve').count()).toBeGreaterThan(0);
      expect(problems).toEqual([]);
      expect(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('backlog beside throughput, peak and fault windows shaded; the first line per technology counts what a user saw fail', async () => {
    const out = join(dir, 'backlog.html');
    const file = join(dir, 'backlog.json');
    const json = JSON.parse(readFileSync(SAMPLE_RESULTS_FILE, 'utf8'));
    const rise = [0, 0, 3, 20, 60, 110, 150, 170, 160, 120, 80, 40, 10, 0, 0, 0, 0, 0, 0, 0];
    json.runs.forEach((run: any) => {
      run.timeline.forEach((p: any, i: number) => Object.assign(p, { backlog: rise[i], backlogByFlow: { uploads: Math.floor(rise[i]! / 3), comments: rise[i]! - Math.floor(rise[i]! / 3), 'song-added': 0 } }));
      run.peaks = [{ startMs: 4000, endMs: 9000 }];
    });
    json.runs[0].flows.uploads.checks['client-visible'] = { checker: 'client-visible', valid: true, counts: { failed: 7 }, examples: {}, notes: [] };
    json.runs[0].flows.comments.checks['client-visible'] = { checker: 'client-visible', valid: true, counts: { failed: 1 }, examples: {}, notes: [] };
    await import('node:fs').then((fs) => fs.writeFileSync(file, JSON.stringify(json)));
    await writeReport([file], out);
    const context = await browser!.newContext({ viewport: { width: 1400, height: 1000 } });
    try {
      const page = await context.newPage();
      const { problems } = await openReport(page, out);
      await page.waitForSelector('[data-testid="backlog-chart"] svg .recharts-area-area', { timeout: 30_000 });
      expect(await page.locator('[data-testid="backlog-chart"]').count()).toBe(2);
      const sq = page.locator('[data-testid="backlog-chart"][data-tech="storage-queue"]');
      expect(await sq.getAttribute('data-max-backlog')).toBe('170');
      expect(await sq.locator('path.recharts-area-area[d^="M"]').count()).toBe(3); // one stacked area per flow
      expect(await sq.locator('.peak-band').count()).toBe(1);
      expect(await sq.locator('.fault-band').count()).toBe(0);
      expect(await page.locator('[data-testid="backlog-chart"][data-tech="service-bus"] .fault-band').count()).toBe(1);
      expect(await page.locator('[data-testid="user-impact"][data-tech="storage-queue"]').textContent()).toMatch(/^storage-queue: a user would have seen 7 uploads and 1 comment fail; \d+ lost/);
      expect(await page.locator('[data-testid="user-impact"][data-tech="service-bus"]').textContent()).toContain('client-visible failures not measured');
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'report-backlog.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('fault windows are shaded, recovery says "not measured", the baseline flags regressions', async () => {
    const out = join(dir, 'faults.html');
    const worse = join(dir, 'worse.json');
    const json = JSON.parse(readFileSync(SAMPLE_RESULTS_FILE, 'utf8'));
    json.runs[1].flows.comments.checks['total-queue'].counts.lost = 3;
    await import('node:fs').then((fs) => fs.writeFileSync(worse, JSON.stringify(json)));
    await writeReport([worse, SAMPLE_RESULTS_FILE], out);
    const context = await browser!.newContext({ viewport: { width: 1400, height: 1000 } });
    try {
      const page = await context.newPage();
      const { problems } = await openReport(page, out);
      const first = page.locator('section.results').first();
      const sb = first.locator('[data-testid="timeline-chart"][data-tech="service-bus"]');
      expect(await sb.locator('.fault-band').count()).toBe(1);
      expect(await first.locator('[data-testid="timeline-chart"][data-tech="storage-queue"] .fault-band').count()).toBe(0);
      expect(await sb.locator('li[data-fault="fault-1"] .recovery').textContent()).toBe('not measured');
      const lostDelta = first.locator('[data-testid="baseline-table"] tr[data-tech="service-bus"] td[data-col="lost"]');
      expect(await lostDelta.textContent()).toBe('+3');
      expect(await lostDelta.getAttribute('class')).toContain('regression');
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'report-faults-baseline.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
