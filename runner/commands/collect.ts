/**
 * `moshpit collect <dir> --tech T --out RESULTS [--db FILE]`: turns the outputs of a k6 run
 * exported with `moshpit export k6` (pod logs in <dir>/outputs/) plus, optionally, the
 * database export into a run's history, checks it like `moshpit run` does, and writes
 * results.json.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, extname, join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { committedRows } from '../../fixtures/music-backend/public.ts';
import { checkHistoryDir } from '../checkers/compose.ts';
import { UserError } from '../contracts/errors.ts';
import type { HopRecord } from '../contracts/history.ts';
import { openHistoryWriter, type HistoryWriter } from '../contracts/history-writer.ts';
import { writeCommitted } from '../history/committed.ts';
import { K6HistoryConverter } from '../load/k6/convert.ts';
import type { K6Plan } from '../load/k6/plan.ts';
import { buildResults, writeResults } from '../results/writer.ts';
import { summarizeRun } from '../run/summarize.ts';
import { validateScenario } from '../scenario/loader.ts';
import { isTech, TECHS, type Tech } from '../techs.ts';

export interface CollectArgs {
  dir: string;
  out: string;
  tech: string;
  db?: string;
  subscribers?: string;
}

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
const OUTPUT_EXTENSIONS = new Set(['.log', '.jsonl', '.txt']);

function readJson(path: string, what: string): unknown {
  if (!existsSync(path)) throw new UserError(`collect: ${path} is missing: is this a directory written by \`moshpit export k6\`? (${what})`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UserError(`collect: ${path} is not valid JSON (${(error as Error).message}); re-export it with \`moshpit export k6\``);
  }
}

function writeDbHistory(db: string, historyDir: string): void {
  if (!existsSync(db)) throw new UserError(`--db: ${db} does not exist (give the database export: committed-records JSONL, or the SQLite file)`);
  if (extname(db) === '.jsonl') {
    copyFileSync(db, join(historyDir, 'db.jsonl'));
    return;
  }
  const writer = openHistoryWriter(join(historyDir, 'db.jsonl'), 'db');
  try {
    writeCommitted(committedRows(db), writer);
  } catch (error) {
    throw new UserError(`--db: could not read ${db} as the backend's SQLite database (${(error as Error).message})`);
  } finally {
    writer.close();
  }
}

/** Converts every pod log into its own loadgen-k6-<name>.jsonl; returns the load counters. */
function convertOutputs(dir: string, plan: K6Plan, historyDir: string) {
  const outputsDir = join(dir, 'outputs');
  const files = existsSync(outputsDir) ? readdirSync(outputsDir).filter((f) => OUTPUT_EXTENSIONS.has(extname(f))).sort() : [];
  if (!files.length) throw new UserError(`collect: no k6 outputs in ${outputsDir} (save each runner pod's log there as <pod>.log; see README.md)`);
  const converter = new K6HistoryConverter(plan);
  for (const file of files) {
    const proc = `loadgen-k6-${basename(file, extname(file))}`;
    const writer = openHistoryWriter(join(historyDir, `${proc}.jsonl`), proc);
    try {
      converter.addFile(join(outputsDir, file), file, (r) => writer.append(r), true);
    } catch (error) {
      throw new UserError(`collect: ${(error as Error).message}`);
    } finally {
      writer.close();
    }
  }
  const startedAtMs = converter.firstStartMs();
  if (startedAtMs === undefined) throw new UserError(`collect: the files in ${outputsDir} hold no operation from the moshpit k6 driver (was k6 run with --log-format raw?)`);
  const dropped: HistoryWriter = openHistoryWriter(join(historyDir, 'loadgen-k6-dropped.jsonl'), 'loadgen-k6');
  const counters = (() => {
    try {
      return converter.finish(startedAtMs, (r: HopRecord) => dropped.append(r));
    } finally {
      dropped.close();
    }
  })();
  return { counters, startedAtMs, endedAtMs: Math.max(startedAtMs, converter.lastMs), files: files.length, foreign: converter.foreignLines };
}

export async function collect(args: CollectArgs): Promise<{ results: string }> {
  if (!isTech(args.tech)) throw new UserError(`--tech: unknown technology "${args.tech}"; known: ${TECHS.join(', ')}`);
  const tech: Tech = args.tech;
  const dir = resolve(args.dir);
  const plan = readJson(join(dir, 'moshpit-plan.json'), 'the load plan') as K6Plan;
  const scenario = validateScenario(readJson(join(dir, 'scenario.json'), 'the scenario'), join(dir, 'scenario.json'));
  const meta = readJson(join(dir, 'export.json'), 'the export settings') as { scenarioFile?: string; target?: string };
  const outDir = resolve(args.out);
  const historyDir = join(outDir, tech, 'history');
  rmSync(join(outDir, tech), { recursive: true, force: true });
  mkdirSync(historyDir, { recursive: true });
  const load = convertOutputs(dir, plan, historyDir);
  // history files the deployed backend wrote (api, workers, subscribers), when copied to <dir>/history
  const extraDir = join(dir, 'history');
  if (existsSync(extraDir)) for (const f of readdirSync(extraDir).filter((f) => f.endsWith('.jsonl'))) copyFileSync(join(extraDir, f), join(historyDir, f));
  if (args.db) writeDbHistory(resolve(args.db), historyDir);
  const subscribers = (args.subscribers ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const checked = await checkHistoryDir(historyDir, { subscribers, startedAtMs: load.startedAtMs });
  const summary = { ...load.counters, elapsedMs: load.endedAtMs - load.startedAtMs, startedAtMs: load.startedAtMs, endedAtMs: load.endedAtMs, setupMs: 0 };
  const run = summarizeRun({ tech, scenario, startedAt: new Date(load.startedAtMs), summary, drained: { durationMs: 0, drained: args.db !== undefined }, checked, engine: 'k6' });
  const resultsPath = join(outDir, 'results.json');
  const onThisMachine = /^https?:\/\/(127\.|localhost[:/]|\[::1\])/.test(meta.target ?? '');
  writeResults(resultsPath, buildResults(scenario, meta.scenarioFile ?? 'scenario.json', [run], pkg.version, onThisMachine ? 'emulated' : 'azure'));
  console.error(`collect: ${load.files} k6 output file(s), ${load.foreign} non-driver line(s) skipped; ${summary.offered} offered, ${summary.acknowledged} acknowledged, ${summary.dropped} dropped → ${resultsPath}`);
  return { results: resultsPath };
}

export const collectCommand: CommandModule<object, CollectArgs> = {
  command: 'collect <dir>',
  describe: 'Turn the outputs of a k6 run exported with `export k6` (and the database export) into history and results.json',
  builder: (yargs) =>
    (yargs as Argv)
      .positional('dir', { type: 'string', describe: 'the directory written by `moshpit export k6`, with the pod logs in outputs/', demandOption: true })
      .option('out', { type: 'string', describe: 'results directory (results.json, <tech>/history/)', demandOption: true })
      .option('tech', { type: 'string', choices: [...TECHS], describe: 'the technology the deployed backend used', demandOption: true })
      .option('db', { type: 'string', describe: "the backend's database export: committed-records JSONL, or its SQLite file" })
      .option('subscribers', { type: 'string', describe: 'comma-separated subscriber names whose histories are in <dir>/history' }) as unknown as Argv<CollectArgs>,
  handler: async (args) => {
    await collect(args);
  },
};
