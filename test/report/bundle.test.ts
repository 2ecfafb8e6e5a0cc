import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reportCommand } from '../../runner/commands/report.ts';
import { UserError } from '../../runner/contracts/errors.ts';
import { buildReportHtml, REPORT_CACHE_DIR, reportUiSourceHash, writeReport } from '../../runner/report/bundle.ts';
import { readResultsFile } from '../../runner/results/reader.ts';
import { SAMPLE_RESULTS_FILE, sampleJson, sampleResults } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'moshpit-report-'));
let html = '';

beforeAll(async () => {
  html = await buildReportHtml([sampleResults()]); // builds report-ui with Vite unless cached
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function embeddedData(page: string): string {
  const match = /<script id="moshpit-data" type="application\/json">([\s\S]*?)<\/script>/.exec(page);
  if (!match) throw new Error('no data element in the report');
  return match[1]!;
}

describe('buildReportHtml', () => {
  it('is one page with the JS and CSS inlined and no external or relative references', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link[^>]*\shref=/i);
    expect(html).not.toMatch(/<img[^>]*\ssrc=/i);
    expect(html).toMatch(/<script type="module">[\s\S]{10000,}<\/script>/);
    expect(html).toMatch(/<style>[\s\S]*\.verdict-invalid[\s\S]*<\/style>/);
    expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
  });

  it('inlines the results exactly as read', () => {
    expect(JSON.parse(embeddedData(html))).toEqual([readResultsFile(SAMPLE_RESULTS_FILE)]);
  });

  it('escapes "<" in the data so no text can close the script element', async () => {
    const results = sampleResults();
    results.scenario.description = 'sample fixture </script><script>alert(1)</script>';
    const page = await buildReportHtml([results]);
    const data = embeddedData(page);
    expect(data).not.toContain('<');
    expect(data).toContain('\\u003c/script>\\u003cscript>alert(1)');
    expect(JSON.parse(data)[0].scenario.description).toBe(results.scenario.description);
  });

  it('leaves secrets out of the page', async () => {
    const results = sampleResults();
    results.runs[0]!.config = { connectionString: 'Endpoint=sb://h/;SharedAccessKey=TOPSECRET1', accountKey: 'TOPSECRET2', prefetch: 20 };
    results.runs[0]!.errors = ['cannot connect with AccountKey=TOPSECRET3'];
    const page = await buildReportHtml([results]);
    expect(page).not.toMatch(/TOPSECRET/);
    expect(JSON.parse(embeddedData(page))[0].runs[0].config).toEqual({ prefetch: 20 });
  });

  it('builds the UI once and reuses the cached build', async () => {
    const cached = join(REPORT_CACHE_DIR, reportUiSourceHash(), 'template.html');
    expect(existsSync(cached)).toBe(true);
    const before = statSync(cached).mtimeMs;
    const again = await buildReportHtml([sampleResults()]);
    expect(again).toBe(html);
    expect(statSync(cached).mtimeMs).toBe(before);
  });
});

describe('writeReport and the report command', () => {
  it('writes the report to the given file', async () => {
    const out = join(dir, 'nested', 'out.html');
    await writeReport([SAMPLE_RESULTS_FILE, SAMPLE_RESULTS_FILE], out);
    const page = readFileSync(out, 'utf8');
    expect(JSON.parse(embeddedData(page))).toHaveLength(2);
  });

  it('refuses a bad results file with a UserError and writes nothing', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...sampleJson(), version: 7 }));
    const out = join(dir, 'never.html');
    await expect(writeReport([SAMPLE_RESULTS_FILE, bad], out)).rejects.toThrow(UserError);
    await expect(writeReport([bad], out)).rejects.toThrow(/has results version 7/);
    expect(existsSync(out)).toBe(false);
    await expect(writeReport([SAMPLE_RESULTS_FILE], dir)).rejects.toThrow(/is a directory: give a file name/);
  });

  it('`report <results..>` writes report.html next to the first results file by default', async () => {
    const runDir = join(dir, 'run-a');
    const resultsFile = join(runDir, 'results.json');
    await import('node:fs').then((fs) => {
      fs.mkdirSync(runDir, { recursive: true });
      fs.copyFileSync(SAMPLE_RESULTS_FILE, resultsFile);
    });
    const cli = yargs().command(reportCommand).strict().exitProcess(false);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await cli.parseAsync(['report', resultsFile]);
      expect(existsSync(join(runDir, 'report.html'))).toBe(true);
      const custom = join(dir, 'custom.html');
      await cli.parseAsync(['report', resultsFile, '-o', custom]);
      expect(existsSync(custom)).toBe(true);
      expect(stdout).toHaveBeenLastCalledWith(`report written to ${custom}\n`);
    } finally {
      stdout.mockRestore();
    }
  });

  it('`report` without a results file is refused by the parser', async () => {
    const cli = yargs().command(reportCommand).strict().exitProcess(false).fail(false);
    await expect(async () => cli.parseAsync(['report'])).rejects.toThrow(/Not enough non-option arguments: got 0, need at least 1/);
  });

  it('writeReport with no files says so', async () => {
    await expect(writeReport([], join(dir, 'x.html'))).rejects.toThrow(
      new UserError('no results files given: pass at least one results.json'),
    );
  });

  it('describes the command and its flags in --help', async () => {
    const cli = yargs().scriptName('moshpit').command(reportCommand).exitProcess(false);
    const help = await new Promise<string>((resolve) => {
      void cli.parseAsync(['report', '--help'], {}, (_err, _argv, output) => resolve(output));
    });
    expect(help).toContain('Write one self-contained HTML report');
    expect(help.replace(/\s+/g, ' ')).toContain('-o, --out HTML file to write (default: report.html next to the first results file)');
    expect(help).toContain('moshpit report runs/smoke/results.json');
  });
});
