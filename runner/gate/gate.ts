/**
 * `moshpit gate` as a function: read results (and a baseline), gather thresholds from the
 * --thresholds file and the scenario's own `expect.thresholds`, evaluate, write the outputs.
 * Bad input throws UserError (exit 2); the caller turns a failed outcome into exit 99.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../contracts/errors.ts';
import { readResultsFile } from '../results/reader.ts';
import type { Results } from '../results/schema.ts';
import { evaluateThresholds, type GateOutcome } from './evaluate.ts';
import { formatJUnit, formatMarkdown, formatTable } from './report.ts';
import { readThresholdsFile, resolveThresholds, type ThresholdSource } from './thresholds.ts';
import { evaluateComparison, isComparisonFile } from './comparison.ts';

export const GATE_EXIT_FAILED = 99;

export interface GateOptions {
  resultsPath: string;
  baselinePath?: string;
  /** --thresholds files, in order */
  thresholdsPaths?: string[];
  junitPath?: string;
  markdownPath?: string;
  /** where to append the markdown as well (default: $GITHUB_STEP_SUMMARY when set) */
  stepSummaryPath?: string;
}

export interface GateRun {
  outcome: GateOutcome;
  table: string;
  markdown: string;
  junit: string;
}

/** Thresholds from the files (if any) then the scenario's own, in that order. */
export function thresholdSources(results: Results, resultsPath: string, thresholdsPaths: string[] = []): ThresholdSource[] {
  const sources = thresholdsPaths.map(readThresholdsFile);
  if (Object.keys(results.scenario.thresholds).length) sources.push({ label: `${resultsPath} scenario.thresholds`, thresholds: results.scenario.thresholds });
  return sources;
}

export function runGate(options: GateOptions): GateRun {
  if (isComparisonFile(options.resultsPath)) return runComparisonGate(options);
  const results = readResultsFile(options.resultsPath);
  const baseline = options.baselinePath === undefined ? undefined : readResultsFile(options.baselinePath);
  const sources = thresholdSources(results, options.resultsPath, options.thresholdsPaths);
  if (sources.every((source) => Object.values(source.thresholds).every((list) => list.length === 0))) {
    throw new UserError(
      `no thresholds to check: ${options.resultsPath}'s scenario has no expect.thresholds and no --thresholds file gives any ` +
        '(e.g. --thresholds test/data/thresholds.json)',
    );
  }
  const defs = resolveThresholds(sources, results, baseline !== undefined);
  const outcome = evaluateThresholds(defs, results, baseline);
  const title = `${results.scenario.name} (${results.runs.map((r) => r.tech).join(', ')})${baseline ? ` vs baseline ${options.baselinePath}` : ''}`;
  const gate: GateRun = {
    outcome,
    table: formatTable(outcome),
    markdown: formatMarkdown(outcome, title),
    junit: formatJUnit(outcome, `moshpit gate: ${results.scenario.name}`),
  };
  writeOutputs(gate, options);
  return gate;
}

/** comparison.json: every scenario's runs checked, each case labelled [scenario]. */
function runComparisonGate(options: GateOptions): GateRun {
  if (options.baselinePath) throw new UserError('--baseline compares two results.json files; with a comparison.json, gate each run\'s results.json against its baseline instead');
  const { outcome, title } = evaluateComparison(options.resultsPath, options.thresholdsPaths);
  const gate: GateRun = { outcome, table: formatTable(outcome), markdown: formatMarkdown(outcome, title), junit: formatJUnit(outcome, `moshpit gate: ${title}`) };
  writeOutputs(gate, options);
  return gate;
}

function writeOutputs(gate: GateRun, options: GateOptions): void {
  if (options.junitPath) writeText(options.junitPath, gate.junit, '--junit');
  if (options.markdownPath) writeText(options.markdownPath, gate.markdown, '--markdown');
  const summaryPath = options.stepSummaryPath ?? process.env.GITHUB_STEP_SUMMARY;
  if (summaryPath) {
    try {
      appendFileSync(summaryPath, `${gate.markdown}\n`);
    } catch (error) {
      throw new UserError(`cannot append to GITHUB_STEP_SUMMARY (${summaryPath}): ${(error as Error).message}`);
    }
  }
}

function writeText(path: string, text: string, flag: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } catch (error) {
    throw new UserError(`${flag} ${path}: cannot write: ${(error as Error).message}`);
  }
}
