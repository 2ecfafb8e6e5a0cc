/**
 * Server-side renders the report's components with the sample results (no browser needed):
 * catches render errors and checks what the table says. Browser rendering (charts drawn, no
 * console errors) is checked in headless Chromium by issue 6's tests.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { App } from '../../report-ui/src/App.tsx';
import { Header } from '../../report-ui/src/components/Header.tsx';
import { LatencyChart } from '../../report-ui/src/components/LatencyChart.tsx';
import { SummaryTable } from '../../report-ui/src/components/SummaryTable.tsx';
import { parseEmbeddedData } from '../../report-ui/src/data/load.ts';
import { sampleResults } from './helpers.ts';

function cells(html: string, rowId: string): Record<string, string> {
  const row = new RegExp(`<tr data-row="${rowId}"[^>]*>([\\s\\S]*?)</tr>`).exec(html)?.[1];
  if (!row) throw new Error(`row ${rowId} not rendered`);
  const out: Record<string, string> = {};
  for (const match of row.matchAll(/<td class="([^"]*)" data-col="([^"]+)">([^<]*)<\/td>/g)) out[match[2]!] = `${match[3]}|${match[1]}`;
  return out;
}

describe('report components (server-side render)', () => {
  it('summary table: one row per tech and flow, verdicts coloured, missing values as a dash', () => {
    const html = renderToStaticMarkup(<SummaryTable results={sampleResults()} />);
    expect(html.match(/<tr data-row=/g)).toHaveLength(6);
    expect(html).toMatch(/data-row="storage-queue\/comments"[\s\S]*?<span class="verdict verdict-invalid" title="ordering: failed">invalid<\/span>/);
    expect(html).toMatch(/data-row="service-bus\/uploads"[\s\S]*?<span class="verdict verdict-unknown" title="integrity: unknown \(no checksums were recorded by this transport\)">unknown<\/span>/);
    expect(html).toMatch(/data-row="service-bus\/comments"[\s\S]*?<span class="verdict verdict-valid">valid<\/span>/);
    const comments = cells(html, 'storage-queue/comments');
    expect(comments.inversions).toBe('7|num bad');
    expect(comments.lost).toBe('0|num');
    expect(comments.fanOutMissing).toBe('—|num missing');
    expect(comments.attempted).toBe('400|num');
    const songAdded = cells(html, 'service-bus/song-added');
    expect(songAdded.lost).toBe('—|num missing');
    expect(songAdded.fanOutMissing).toBe('0|num');
    expect(cells(html, 'storage-queue/uploads').e2eP50Ms).toBe('38.0|num');
  });

  it('header shows scenario, seed and machine', () => {
    const html = renderToStaticMarkup(<Header results={sampleResults()} />);
    expect(html).toContain('<h1>sample-fixture</h1>');
    expect(html).toContain('<dt>seed</dt><dd>1234</dd>');
    expect(html).toContain('2 CPUs, 7.8 GiB, linux x64, Node v20.20.2');
  });

  it('latency chart renders its frame, and says so when nothing was measured', () => {
    expect(renderToStaticMarkup(<LatencyChart results={sampleResults()} />)).toContain('data-testid="latency-chart"');
    const none = sampleResults();
    for (const run of none.runs) for (const flow of Object.values(run.flows)) delete flow.checks.latency;
    expect(renderToStaticMarkup(<LatencyChart results={none} />)).toContain('No e2e latency was measured');
  });

  it('the whole page renders for the sample, and shows a readable error for bad data', () => {
    const page = renderToStaticMarkup(<App data={parseEmbeddedData(JSON.stringify([sampleResults()]))} />);
    expect(page).toContain('data-testid="summary-table"');
    expect(page).toContain('receiveMode');
    const broken = renderToStaticMarkup(<App data={parseEmbeddedData('')} />);
    expect(broken).toContain('role="alert"');
    expect(broken).toContain('no results data embedded');
  });
});
