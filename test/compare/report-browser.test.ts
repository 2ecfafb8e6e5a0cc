/**
 * report.html of a comparison opened from disk in headless Chromium (the system chromium, as
 * test/report/browser.test.ts): no console error, no network request, and the first screen
 * shows the verdicts with their reasons and the matrix. Skipped without /usr/bin/chromium.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeComparisonReport } from '../../runner/compare/report.ts';
import { FOUR_TECHS, syntheticComparison } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'moshpit-compare-browser-'));
let browser: Browser | undefined;

describe.skipIf(!existsSync(CHROMIUM))('comparison report in headless Chromium', () => {
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'], timeout: 30_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('first screen: verdicts with promises and the scenario that lost data; the matrix links to the run charts; offline, no console error', async () => {
    const { comparison, runs } = await syntheticComparison({ scenario: 'broker-kill', tech: 'service-bus', flow: 'uploads', lost: 3 });
    const out = join(dir, 'report.html');
    await writeComparisonReport(comparison, runs, out);
    expect(statSync(out).size).toBeLessThan(2 * 1024 * 1024);
    const context = await browser!.newContext({ viewport: { width: 1400, height: 1000 } });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning' ? problems.push(`${m.type()}: ${m.text()}`) : undefined));
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(out).href, { timeout: 30_000 });
      await page.waitForSelector('[data-testid="timeline-chart"] svg .recharts-line-curve', { timeout: 30_000 });

      // the answer per flow, with its reasons, is on the first screen (above the fold of a 1000 px window)
      const answers = page.getByTestId('answers');
      const box = (await answers.boundingBox())!;
      expect(box.y + box.height).toBeLessThan(1000);
      const commentsAnswer = await answers.locator('li[data-flow="comments"]').textContent();
      expect(commentsAnswer).toMatch(/storage-queue does not promise per-key order: Storage queues give no ordering guarantee/);
      expect(commentsAnswer).toMatch(/event-grid does not promise per-key order: Event Grid doesn't guarantee order/);
      expect(await answers.locator('li[data-flow="uploads"]').textContent()).toContain('service-bus lost 3 acknowledged uploads in scenario broker-kill');
      const comments = page.locator('[data-testid="flow-verdict"][data-flow="comments"]');
      expect(await page.locator('[data-testid="flow-verdict"]').count()).toBe(3);
      for (const tech of ['storage-queue', 'event-grid']) {
        const row = comments.locator(`tr[data-tech="${tech}"]`);
        expect(await row.getAttribute('data-fit')).toBe('false');
        expect(await row.locator('[data-promise="orderingPerKey"]').getAttribute('data-value')).toBe('no');
        expect(await row.locator('[data-promise="orderingPerKey"] a.source').getAttribute('href')).toMatch(/^https:\/\/learn\.microsoft\.com\//);
      }
      expect(await comments.getAttribute('data-recommended')).not.toMatch(/storage-queue|event-grid/);
      const uploads = page.locator('[data-testid="flow-verdict"][data-flow="uploads"]');
      expect(await uploads.locator('tr[data-tech="service-bus"]').getAttribute('data-fit')).toBe('false');
      expect(await uploads.locator('tr[data-tech="service-bus"] td.measured').textContent()).toContain('lost 3 acknowledged uploads in broker-kill');
      expect(await uploads.getByTestId('conclusion').textContent()).toContain('service-bus lost 3 acknowledged uploads in scenario broker-kill');

      // the matrix: 5 scenarios × 4 technologies, each cell with its figures and a link to its run's charts
      expect(await page.locator('[data-testid="matrix"] tbody tr').count()).toBe(5 * FOUR_TECHS.length);
      const cell = page.locator('[data-cell="broker-kill/service-bus/uploads"]');
      expect(await cell.getAttribute('data-verdict')).toBe('failed');
      expect(await cell.textContent()).toMatch(/lost 3/);
      expect(await page.locator('[data-cell="baseline/storage-queue/comments"] .unpromised').count()).toBe(1);
      const link = await cell.locator('a.fault-link').first().getAttribute('href');
      expect(link).toBe('#run-broker-kill-service-bus');
      expect(await page.locator(`[id="run-broker-kill-service-bus"] [data-testid="timeline-chart"]`).count()).toBe(1);
      expect(await page.getByTestId('headroom').first().textContent()).toMatch(/would throttle at [\d.]+× this load/);

      expect(problems).toEqual([]);
      expect(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([]);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'comparison-first-screen.png') });
    } finally {
      await context.close();
    }
  }, 120_000);
});
