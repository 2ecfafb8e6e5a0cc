/**
 * The gate on a comparison.json: each scenario's runs (every technology, every repeat) are
 * gathered from the results.json files the comparison names, and the thresholds (the
 * --thresholds files, scoped per flow and technology as for results.json, then the scenario's
 * own expect.thresholds) are evaluated on each scenario; every case is labelled with its scenario.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../contracts/errors.ts';
import { readComparisonFile } from '../compare/reader.ts';
import { readResultsFile } from '../results/reader.ts';
import type { Results } from '../results/schema.ts';
import { evaluateThresholds, type GateOutcome } from './evaluate.ts';
import { readThresholdsFile, resolveThresholds, type ThresholdSource } from './thresholds.ts';

/** True when the file's envelope says comparison.json (anything unreadable is left to the results reader). */
export function isComparisonFile(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { schema?: unknown }).schema === 'moshpit.comparison';
  } catch {
    return false;
  }
}

function scenarioResults(path: string): { name: string; results: Results; label: string }[] {
  const comparison = readComparisonFile(path);
  const dir = dirname(path);
  return comparison.suite.entries.flatMap((entry) => {
    const files = comparison.runs.filter((r) => r.scenario === entry.name).map((r) => join(dir, r.results));
    if (!files.length) return [];
    const all = files.map((f) => readResultsFile(f));
    const merged: Results = { ...all[0]!, runs: all.flatMap((r) => r.runs) };
    return [{ name: entry.name, results: merged, label: `${path} ${entry.name}` }];
  });
}

export function evaluateComparison(path: string, thresholdsPaths: string[] = []): { outcome: GateOutcome; title: string } {
  const files = thresholdsPaths.map(readThresholdsFile);
  const cases: GateOutcome['cases'] = [];
  let any = false;
  for (const { name, results, label } of scenarioResults(path)) {
    const sources: ThresholdSource[] = [...files];
    if (Object.keys(results.scenario.thresholds).length) sources.push({ label: `${label} scenario.thresholds`, thresholds: results.scenario.thresholds });
    if (sources.every((s) => Object.values(s.thresholds).every((l) => l.length === 0))) continue;
    any = true;
    const outcome = evaluateThresholds(resolveThresholds(sources, results, false), results);
    for (const c of outcome.cases) cases.push({ ...c, threshold: `[${name}] ${c.threshold}` });
  }
  if (!any) throw new UserError(`no thresholds to check: no scenario of ${path} has expect.thresholds and no --thresholds file gives any (e.g. --thresholds test/data/thresholds.json)`);
  const failed = cases.filter((c) => !c.passed).length;
  return { outcome: { cases, failed, passed: failed === 0 }, title: `comparison ${path}` };
}
