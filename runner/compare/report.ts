/**
 * report.html of a comparison: the same offline report-ui bundle as a run's report, with the
 * comparison first in the embedded data and one merged results object per scenario after it
 * (every technology's run of that scenario, repeat 1), so each matrix cell links to its run's
 * charts. Timelines are downsampled and secrets redacted exactly as for a run report.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../contracts/atomic-write.ts';
import type { Results } from '../results/schema.ts';
import { redactResults } from '../../report-ui/src/data/redact.ts';
import { reportTemplate } from '../report/bundle.ts';
import { downsampleResults } from '../report/downsample.ts';
import { fillTemplate } from '../report/inline.ts';
import type { SuiteRun } from './build.ts';
import type { Comparison } from './schema.ts';

/** One results object per scenario: the first repeat of every technology, runs side by side. */
export function resultsPerScenario(runs: SuiteRun[]): Results[] {
  const out = new Map<string, Results>();
  for (const r of runs.filter((x) => x.repeat === 1)) {
    const existing = out.get(r.scenario);
    if (!existing) out.set(r.scenario, { ...r.results, scenario: { ...r.results.scenario, name: r.scenario }, runs: [...r.results.runs] });
    else existing.runs.push(...r.results.runs);
  }
  return [...out.values()];
}

export async function comparisonHtml(comparison: Comparison, runs: SuiteRun[]): Promise<string> {
  const template = await reportTemplate();
  return fillTemplate(template, [comparison, ...resultsPerScenario(runs).map((r) => downsampleResults(redactResults(r)))]);
}

export async function writeComparisonReport(comparison: Comparison, runs: SuiteRun[], file: string): Promise<void> {
  const html = await comparisonHtml(comparison, runs);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, html);
}

/** Re-renders the report of an existing comparison.json (`moshpit report comparison.json`). */
export async function rerenderComparisonReport(comparisonFile: string, out: string): Promise<void> {
  const { readComparisonFile } = await import('./reader.ts');
  const { readResultsFile } = await import('../results/reader.ts');
  const { dirname, join } = await import('node:path');
  const comparison = readComparisonFile(comparisonFile);
  const runs: SuiteRun[] = comparison.runs.map((r) => ({ scenario: r.scenario, tech: r.tech, repeat: r.repeat, resultsPath: r.results, results: readResultsFile(join(dirname(comparisonFile), r.results)), samples: {} }));
  await writeComparisonReport(comparison, runs, out);
}
