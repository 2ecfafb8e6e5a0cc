/**
 * `moshpit compare [suite]`: the comparison a team decides on. Runs a suite of scenarios on every
 * chosen technology and writes one directory: each run's results, comparison.json (the verdict
 * per flow, the matrix, cost and headroom) and report.html. Registered in runner/cli.ts.
 */
import type { Argv, CommandModule } from 'yargs';
import { ALLOW_REMOTE_OPTION, ENGINE_OPTION, KEEP_OPTION, REPORT_OPTION } from './shared-options.ts';
import { relative } from 'node:path';
import { BUILTIN_PROFILES } from '../../profiles/resolve.ts';
import { BROKERED_TECHS, TECHS } from '../techs.ts';
import { DEFAULT_SUITE, SHIPPED_SUITES } from '../compare/suites.ts';
import type { Comparison } from '../compare/schema.ts';

interface CompareArgs {
  suite: string;
  tech?: string;
  profile?: string;
  repeat: number;
  out?: string;
  prices?: string;
  engine: string;
  report: boolean;
  target?: string;
  allowRemote: boolean;
  keep: boolean;
}

export function verdictLines(comparison: Comparison): string[] {
  const lines = [`verdict per flow (${comparison.target ? '' : 'profile '}${comparison.profile.name}${comparison.profile.latencyRepresentative ? '' : ': latency NOT representative of Azure'}):`];
  for (const s of comparison.skipped ?? []) lines.push(`  (skipped on the target: ${s.scenario} × ${s.tech})`);
  for (const v of comparison.verdicts) lines.push(`  ${v.conclusion}`);
  const ref = comparison.cost.estimates.filter((e) => e.scenario === comparison.cost.referenceScenario);
  if (ref.length) lines.push(`monthly cost at ${comparison.cost.referenceScenario}'s rate (estimate, prices read ${comparison.cost.prices.read}): ${ref.map((e) => `${e.tech} ${e.monthlyUsd.toFixed(2)} ${comparison.cost.prices.currency}`).join(', ')}`);
  const tight = [...comparison.headroom].sort((a, b) => a.factor - b.factor)[0];
  if (tight) lines.push(`tightest headroom: ${tight.text} (scenario ${tight.scenario})`);
  return lines;
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare [suite]',
  describe: 'Run a suite of scenarios on every technology; write comparison.json (verdict per flow, matrix, cost, headroom) and report.html',
  builder: (yargs) =>
    (yargs as Argv)
      .positional('suite', { type: 'string', default: DEFAULT_SUITE, describe: `a shipped suite (${Object.keys(SHIPPED_SUITES).join(', ')}) or a suite JSON file {"name", "entries": [{"scenario", "name"?, "overrides"?}]}` })
      .option('tech', { type: 'string', describe: `comma-separated technologies (default: those with a broker, ${BROKERED_TECHS.join(', ')}; ${TECHS.filter((t) => !BROKERED_TECHS.includes(t)).join(', ')} only when named). Known: ${TECHS.join(', ')}` })
      .option('profile', { type: 'string', default: 'standard', describe: `Azure tiers the emulators play in every run: ${BUILTIN_PROFILES.join(', ')} or a profile file. ideal: latency is loopback timing and never decides` })
      .option('repeat', { type: 'number', default: 1, describe: 'run each scenario N times and merge the samples (narrower latency intervals)' })
      .option('out', { type: 'string', describe: 'output directory (default: runs/compare-<suite>-<timestamp>)' })
      .option('prices', { type: 'string', describe: 'price table JSON (default profiles/prices.json: a dated estimate; copy and edit it)' })
      .option('engine', ENGINE_OPTION)
      .option('report', REPORT_OPTION)
      .option('target', { type: 'string', describe: "target file (JSON) as for `run --target`: every run against those brokers instead of the emulators (--profile then does not apply); scenarios the target cannot run (broker faults) are skipped and listed" })
      .option('allow-remote', ALLOW_REMOTE_OPTION)
      .option('keep', KEEP_OPTION)
      .example('$0 compare', `the quick suite on ${BROKERED_TECHS.join(', ')} (about five minutes)`)
      .example('$0 compare full --repeat 2 --out runs/full', 'the whole scenario library, twice, merged')
      .example(`$0 compare my-suite.json --tech ${BROKERED_TECHS.slice(1, 3).join(',')} --profile premium`, 'your suite on two technologies at Premium') as unknown as Argv<CompareArgs>,
  handler: async (args) => {
    const { runCompare } = await import('../compare/run-suite.ts'); // imported here: `--help` stays fast
    const outcome = await runCompare({ suite: args.suite, tech: args.tech, profile: args.profile, repeat: args.repeat, out: args.out, prices: args.prices, engine: args.engine, report: args.report, target: args.target, allowRemote: args.allowRemote, keep: args.keep });
    console.error('');
    for (const line of verdictLines(outcome.comparison)) console.error(line);
    console.error(`\ncomparison: ${relative(process.cwd(), outcome.comparisonPath)}`);
    if (outcome.reportPath) console.error(`report:     ${relative(process.cwd(), outcome.reportPath)}`);
    if (outcome.comparison.runs.some((r) => r.status === 'failed')) process.exitCode = 1;
  },
};
