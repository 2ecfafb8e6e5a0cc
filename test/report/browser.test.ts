/**
 * Opens a built report from disk (file://) in headless Chromium and checks it renders: no console
 * errors, the summary table matches the results, the latency chart drew one line per series.
 * Skipped when /usr/bin/chromium is absent (issue 6's .ci/run installs it).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../runner/report/bundle.ts';
import { SAMPLE_RESULTS_FILE } from './helpers.ts';

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
      await page.getByLabel('log scale (ms)').check();
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
});
