/**
 * `moshpit compare` as a function: every scenario of a suite on every chosen technology (and
 * --repeat times), each through the `run` command's own runScenario (one technology per call, so
 * progress names it), then comparison.json and report.html in one directory:
 *   <out>/comparison.json, <out>/report.html, <out>/runs/<scenario>-<tech>[-r<k>]/results.json (+ history)
 * All bad input (suite, flags, every scenario × technology) is reported before anything starts.
 */
import { TECHS } from '../techs.ts';
import { profileOf } from '../../fixtures/technologies.ts';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../contracts/errors.ts';
import type { Scenario } from '../scenario/schema.ts';
import { readResultsFile } from '../results/reader.ts';
import { formatDurationMs } from '../contracts/duration.ts';
import { prepareRun, runScenario, selectTechs, type RunOptions } from '../run/run-scenario.ts';
import { buildComparison, type SuiteRun } from './build.ts';
import { DEFAULT_PRICES_FILE, loadPrices } from './prices.ts';
import { e2eSamples, type FlowSamples } from './samples.ts';
import { comparisonSchema, type Comparison } from './schema.ts';
import { loadSuite, type SuiteEntry } from './suite.ts';
import { brokerTierOf, loadTarget, type Target } from '../target/resolve.ts';
import { checkRemote, remoteUrls, targetIssues } from '../target/preflight.ts';
import type { Tech } from '../techs.ts';
import { writeComparisonReport } from './report.ts';

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };

export interface CompareOptions {
  suite?: string;
  tech?: string;
  profile?: string;
  repeat?: number;
  out?: string;
  prices?: string;
  engine: string;
  report: boolean;
  /** run every scenario against this target file instead of the embedded emulators (see `run --target`) */
  target?: string;
  allowRemote?: boolean;
  keep?: boolean;
  log?: (line: string) => void;
}

interface Planned {
  entry: SuiteEntry;
  tech: string;
  repeat: number;
  dir: string;
}

function checkRepeat(repeat: number): void {
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 20) throw new UserError(`--repeat: expected an integer from 1 to 20 (runs of each scenario merged for the intervals), got ${repeat}`);
}

function outDirOf(options: CompareOptions, suite: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const dir = resolve(options.out ?? join('runs', `compare-${suite}-${stamp}`));
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UserError(`--out: ${options.out} is a file, not a directory; give a directory for comparison.json and report.html (created if missing), e.g. --out runs/compare`);
  return dir;
}

/** Plans every run and validates each scenario × technology with `run`'s own checks; all problems at once. */
async function plan(options: CompareOptions) {
  const suite = await loadSuite(options.suite);
  const repeat = options.repeat ?? 1;
  checkRepeat(repeat);
  // the comparison is between the four Azure technologies; `direct` (no broker: the brief's
  // problem) joins only when asked for with --tech, since broker faults cannot target it
  const techs = selectTechs(options.tech ?? TECHS.filter((t) => profileOf(t).hasBroker).join(','), { techs: undefined } as unknown as Scenario);
  const pricesFile = options.prices ? resolve(options.prices) : DEFAULT_PRICES_FILE;
  const prices = loadPrices(pricesFile, options.prices ?? 'profiles/prices.json');
  const outDir = outDirOf(options, suite.name);
  const planned: Planned[] = [];
  const problems: string[] = [];
  const target = options.target ? loadTarget(options.target, techs) : undefined;
  if (target) checkRemote(target, techs, options.allowRemote === true);
  const skipped: Array<{ scenario: string; tech: string; reason: string }> = [];
  for (let k = 1; k <= repeat; k++) {
    for (const entry of suite.entries) {
      for (const tech of techs) {
        // a target cannot run every scenario (broker faults need the emulators): skipped, and said so
        const cannot = target ? targetIssues(target, entry.loaded.scenario, [tech]) : [];
        if (cannot.length) {
          if (k === 1) skipped.push({ scenario: entry.name, tech, reason: cannot.join('; ') });
          continue;
        }
        const dir = join(outDir, 'runs', `${entry.name}-${tech}${repeat > 1 ? `-r${k}` : ''}`);
        if (k === 1) await prepareRun(runOptions(options, entry, tech, dir)).catch((error: unknown) => { if (error instanceof UserError) problems.push(`  - ${entry.name} × ${tech}: ${error.message.replace(/\n/g, '\n    ')}`); else throw error; });
        planned.push({ entry, tech, repeat: k, dir });
      }
    }
  }
  if (problems.length) throw new UserError(`compare ${suite.name}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${[...new Set(problems)].join('\n')}`);
  if (!planned.length) throw new UserError(`compare ${suite.name}: nothing to run on --target ${options.target}: ${skipped.map((s) => `${s.scenario} × ${s.tech}: ${s.reason}`).join('; ')}`);
  return { suite, techs, repeat, prices, pricesFile, outDir, planned, skipped, target: target && targetSummary(target, techs) };
}

function targetSummary(target: Target, techs: readonly Tech[]): NonNullable<Parameters<typeof buildComparison>[0]['target']> {
  const tiers = Object.fromEntries(techs.map((t) => [t, brokerTierOf(target, t)]));
  return { file: target.file, remote: remoteUrls(target, techs).length > 0, tiers };
}

function runOptions(options: CompareOptions, entry: SuiteEntry, tech: string, dir: string): RunOptions {
  const target = options.target ? { target: options.target, allowRemote: options.allowRemote, keep: options.keep } : { profile: options.profile ?? 'standard' };
  return { scenarioPath: entry.file, loaded: entry.loaded, tech, out: dir, engine: options.engine, report: false, ...target };
}

async function samplesOf(dir: string, tech: string, results: ReturnType<typeof readResultsFile>): Promise<FlowSamples> {
  const run = results.runs[0];
  const count = Number((run?.config.backend as { subscribers?: number } | undefined)?.subscribers ?? 0);
  if (!run || !existsSync(join(dir, tech, 'history'))) return {};
  return e2eSamples(join(dir, tech, 'history'), Array.from({ length: count }, (_, i) => `subscriber-${i + 1}`), Date.parse(run.startedAt));
}

const clock = (ms: number) => formatDurationMs(Math.max(0, Math.round(ms / 1000)) * 1000);

export async function runCompare(options: CompareOptions): Promise<{ comparisonPath: string; reportPath?: string; comparison: Comparison }> {
  const log = options.log ?? ((line: string) => console.error(line));
  const p = await plan(options);
  const where = p.target ? `target ${p.target.file}${p.target.remote ? ' (remote)' : ''}` : `profile ${options.profile ?? 'standard'}`;
  log(`compare ${p.suite.name}: ${p.suite.entries.length} scenario(s) × ${p.techs.length} technolog${p.techs.length === 1 ? 'y' : 'ies'} × ${p.repeat} = ${p.planned.length} run(s), ${where}; out ${relative(process.cwd(), p.outDir) || '.'}`);
  for (const s of p.skipped) log(`  skipped on the target: ${s.scenario} × ${s.tech}: ${s.reason}`);
  const started = Date.now();
  let overheadMs = 20_000; // stack start + drain + checks per run; re-estimated as runs finish
  const runs: SuiteRun[] = [];
  for (const [i, item] of p.planned.entries()) {
    const remaining = p.planned.slice(i).reduce((sum, x) => sum + x.entry.loaded.scenario.duration + overheadMs, 0);
    log(`compare [${i + 1}/${p.planned.length}] ${item.entry.name} × ${item.tech}${p.repeat > 1 ? ` (repeat ${item.repeat}/${p.repeat})` : ''} · elapsed ${clock(Date.now() - started)} · ETA ${clock(remaining)}`);
    const t0 = Date.now();
    const outcome = await runScenario(runOptions(options, item.entry, item.tech, item.dir));
    const results = readResultsFile(outcome.results);
    runs.push({ scenario: item.entry.name, tech: item.tech, repeat: item.repeat, resultsPath: relative(p.outDir, outcome.results), results, samples: await samplesOf(item.dir, item.tech, results) });
    overheadMs = Math.max(0, ((i * overheadMs) + (Date.now() - t0 - item.entry.loaded.scenario.duration)) / (i + 1));
    if (results.runs[0]?.error?.startsWith('interrupted')) {
      log('compare: interrupted; writing what was measured');
      break;
    }
  }
  const comparison = comparisonSchema.parse(buildComparison({ suite: p.suite, techs: p.techs, repeat: p.repeat, runs, prices: p.prices, pricesFile: relative(process.cwd(), p.pricesFile), moshpitVersion: pkg.version, wallTimeMs: Date.now() - started, target: p.target, skipped: p.skipped }));
  mkdirSync(p.outDir, { recursive: true });
  const comparisonPath = join(p.outDir, 'comparison.json');
  writeFileSync(comparisonPath, `${JSON.stringify(comparison, null, 2)}\n`);
  let reportPath: string | undefined;
  if (options.report) {
    reportPath = join(p.outDir, 'report.html');
    await writeComparisonReport(comparison, runs, reportPath);
  }
  return { comparisonPath, reportPath, comparison };
}
