/**
 * The `run` command's work: validate, describe, run each technology in turn (same seed, same
 * load), write results.json, render report.html.
 */
import { resolveProfile } from '../../profiles/resolve.ts';
import { describeProfile, summarizeProfile } from '../../profiles/describe.ts';
import type { ResolvedProfile } from '../../profiles/model.ts';
import { checkTierNeeds } from './tier-check.ts';

/** `run` plays Azure's Standard tiers unless told otherwise (`emulators start` defaults to ideal). */
export const DEFAULT_RUN_PROFILE = 'standard';
import { createRequire } from 'node:module';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { UserError } from '../contracts/errors.ts';
import { formatDurationMs } from '../contracts/duration.ts';
import { loadScenario, type LoadedScenario } from '../scenario/loader.ts';
import type { Scenario } from '../scenario/schema.ts';
import { isTech, TECHS, type Tech } from '../techs.ts';
import { buildResults, writeResults } from '../results/writer.ts';
import type { RunResult } from '../results/schema.ts';
import { writeReport } from '../report/bundle.ts';
import { getLoadEngine, type EngineOptions } from '../load/registry.ts';
import { runTech } from './run-tech.ts';
import type { Stack } from '../stack/stack.ts';
import { FaultProxyClient } from '../faults/network/index.ts';
import { isNetworkFault } from '../faults/spec.ts';
import { faultIssues, techsWithTargets } from '../faults/validate.ts';
import { redact } from '../stack/children.ts';
import { prepareTarget, targetPlanLines, type PreparedTarget } from '../target/run.ts';

export interface RunOptions {
  scenarioPath: string;
  tech?: string;
  out?: string;
  engine: string;
  /** k6 engine: number of k6 processes (execution segments) */
  segments?: number;
  report: boolean;
  /** API URL of an existing Toxiproxy(-compatible) server for the network faults */
  toxiproxy?: string;
  /** --target FILE: brokers given by a target file; no embedded emulators */
  target?: string;
  /** --allow-remote: a target may have endpoints that are not loopback */
  allowRemote?: boolean;
  /** --keep: leave the target's entities in place after the run */
  keep?: boolean;
  /** test seam: fields that replace the loaded scenario's (e.g. a shorter duration) */
  scenarioOverrides?: Partial<Scenario>;
  /** test seam: load engine settings (e.g. a shorter request timeout), merged under --segments */
  engineOptions?: EngineOptions;
  /** Azure profile: a shipped name or a profile file; wins over the scenario's azure.profile (default standard) */
  profile?: string;
  /** test seam, see TechRunOptions.onStackReady */
  onStackReady?: (stack: Stack, tech: Tech) => void;
  /** an already loaded (e.g. a suite entry with overrides) scenario: scenarioPath is then only its label */
  loaded?: LoadedScenario;
}

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };

export function selectTechs(flag: string | undefined, scenario: Scenario): Tech[] {
  const requested = flag ? flag.split(',').map((s) => s.trim()).filter(Boolean) : (scenario.techs ?? techsWithTargets(scenario, TECHS));
  const unknown = requested.filter((t) => !isTech(t));
  if (unknown.length) throw new UserError(`--tech: unknown technology ${unknown.map((t) => `"${t}"`).join(', ')}; known: ${TECHS.join(', ')}`);
  if (!requested.length) throw new UserError(`--tech: give at least one of ${TECHS.join(', ')}`);
  return [...new Set(requested)] as Tech[];
}

export function describeScenario(scenario: Scenario, techs: Tech[]): string[] {
  const { uploads, comments } = scenario.load;
  const rate = (a: { rate?: number; stages?: { duration: number; target: number }[] }) =>
    a.rate !== undefined ? `${a.rate}/s` : `ramping ${a.stages!.map((s) => `${s.target}/s over ${formatDurationMs(s.duration)}`).join(', ')}`;
  const { workers, subscribers, consumer } = scenario.backend;
  return [
    `scenario ${scenario.name}: ${scenario.description}`,
    `  technologies: ${techs.join(', ')}; duration ${formatDurationMs(scenario.duration)}, drain limit ${formatDurationMs(scenario.drainLimit)}, seed ${scenario.seed}`,
    uploads ? `  uploads: ${rate(uploads)}, ${uploads.sizeBytes.min}-${uploads.sizeBytes.max} bytes${uploads.maxSongs ? `, at most ${uploads.maxSongs} songs` : ''}` : '  uploads: none',
    comments ? `  comments: ${rate(comments)} over ${comments.songs} songs${comments.perSong ? `, at most ${comments.perSong} per song` : ''}` : '  comments: none',
    `  backend: ${workers.uploads} upload worker(s), ${comments ? workers.comments : 0} comment worker(s), ${subscribers} song-added subscriber(s); ${consumer.mode}, ${consumer.processing} processing, visibility/lock ${formatDurationMs(consumer.visibilityTimeout)}, poison after ${consumer.maxDeliveryCount} deliveries`,
  ];
}

function engineOptions(options: RunOptions): EngineOptions {
  const base = options.engineOptions ?? {};
  return options.segments !== undefined ? { ...base, k6: { ...base.k6, segments: options.segments } } : base;
}

/** Fails fast (before any stack starts) when --toxiproxy is not a reachable Toxiproxy API. */
async function checkToxiproxy(url: string, scenario: Scenario): Promise<string | undefined> {
  const client = new FaultProxyClient(url); // throws a UserError naming --toxiproxy for a bad URL
  try {
    await client.version();
  } catch (error) {
    if (error instanceof UserError) throw new UserError(`--toxiproxy: ${error.message}, or leave --toxiproxy out to use moshpit's own fault proxy`);
    throw new UserError(`--toxiproxy: ${client.apiUrl} is not a Toxiproxy API (${(error as Error).message}); give the URL toxiproxy-server listens on (default port 8474)`);
  }
  if (!scenario.faults.some((f) => isNetworkFault(f.fault))) {
    console.error(`note: --toxiproxy is unused: scenario ${scenario.name} has no network faults`);
    return undefined;
  }
  return client.apiUrl;
}

/** The scenario's faults were checked against its own techs; --tech may pick stacks where a target does not exist. */
function checkFaultsFor(techs: Tech[], scenario: Scenario, shown: string): void {
  const issues = faultIssues(scenario, techs);
  if (!issues.length) return;
  const lines = issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
  throw new UserError(`${shown}: invalid scenario for --tech ${techs.join(',')} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
}

/** --out must be (or become) a directory: an existing file there, or on the way there, is bad input. */
function checkOutDir(outDir: string, shown = outDir): void {
  for (let dir = outDir; ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      if (statSync(dir).isDirectory()) return;
      const what = dir === outDir ? `${shown} is a file` : `${dir} (on the way to ${shown}) is a file`;
      throw new UserError(`--out: ${what}, not a directory; give a directory for results.json and report.html (it is created if missing), e.g. --out runs/mine`);
    }
    if (dirname(dir) === dir) return;
  }
}

function defaultOut(scenario: Scenario): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return join('runs', `${scenario.name}-${stamp}`);
}

export interface PreparedRun {
  file: string;
  scenario: Scenario;
  techs: Tech[];
  outDir: string;
  toxiproxyUrl?: string;
  target?: PreparedTarget;
  profile: ResolvedProfile;
}

/** Every check that needs no stack: load and validate the scenario, the flags and --out. `--dry-run` stops here. */
export async function prepareRun(options: RunOptions): Promise<PreparedRun> {
  const loaded = options.loaded ?? (await loadScenario(options.scenarioPath));
  const file = loaded.file;
  const scenario = { ...loaded.scenario, ...options.scenarioOverrides };
  const techs = selectTechs(options.tech, scenario);
  const profile = resolveProfile(options.profile ?? scenario.azure.profile ?? DEFAULT_RUN_PROFILE, scenario.azure.overrides);
  // before anything else can connect or create the output directory (the safety guard)
  const target = options.target === undefined ? undefined : prepareTarget(options.target, scenario, techs, options);
  if (!target) checkTierNeeds(techs, scenario, profile); // a target's brokers are real: their tier is theirs
  checkFaultsFor(techs, scenario, options.scenarioPath);
  if (options.segments !== undefined && (!Number.isInteger(options.segments) || options.segments < 1 || options.segments > 64)) {
    throw new UserError(`--segments: expected an integer from 1 to 64 (k6 processes), got ${options.segments}`);
  }
  if (options.segments !== undefined && options.segments > 1 && options.engine !== 'k6') throw new UserError('--segments applies to the k6 engine only: add --engine k6');
  getLoadEngine(options.engine, engineOptions(options)); // fail fast on an unknown engine or missing k6
  const toxiproxyUrl = options.toxiproxy === undefined ? undefined : await checkToxiproxy(options.toxiproxy, scenario);
  const outDir = resolve(options.out ?? defaultOut(scenario));
  checkOutDir(outDir, options.out);
  return { file, scenario, techs, outDir, toxiproxyUrl, target, profile };
}

export async function runScenario(options: RunOptions): Promise<{ results: string; report?: string; runs: RunResult[] }> {
  const { file, scenario, techs, outDir, toxiproxyUrl, target, profile } = await prepareRun(options);
  for (const line of describeScenario(scenario, techs)) console.error(line);
  if (!target) console.error(`  azure profile: ${describeProfile(profile, techs)}`);
  if (target) for (const line of targetPlanLines(target, scenario, techs)) console.error(line);
  const controller = new AbortController();
  const onSigint = () => {
    console.error('\ninterrupted: stopping the load, tearing the stack down (Ctrl-C again to kill)');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  const runs: RunResult[] = [];
  try {
    for (const tech of techs) {
      if (controller.signal.aborted) break;
      runs.push(await runTech({ scenario, tech, outDir, engine: options.engine, engineOptions: engineOptions(options), signal: controller.signal, toxiproxyUrl, target: target?.forTech(tech), profile: target ? undefined : profile, // a target's brokers play no profile
      onStackReady: (stack) => options.onStackReady?.(stack, tech) }));
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  const resultsPath = join(outDir, 'results.json');
  const results = buildResults(scenario, relative(process.cwd(), file), runs, pkg.version, target?.remote ? 'azure' : 'emulated', target ? undefined : summarizeProfile(profile, techs));
  // a secret of the target file never reaches results.json (an SDK error message could quote one)
  writeResults(resultsPath, target ? (JSON.parse(redact(JSON.stringify(results), target.target.secrets)) as typeof results) : results);
  let reportPath: string | undefined;
  if (options.report) {
    reportPath = join(outDir, 'report.html');
    await writeReport([resultsPath], reportPath);
  }
  return { results: resultsPath, report: reportPath, runs };
}
