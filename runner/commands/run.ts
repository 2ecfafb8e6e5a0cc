/** `moshpit run <scenario>`: the main job. */
import { BUILTIN_PROFILES } from '../../profiles/resolve.ts';
import { describeProfile } from '../../profiles/describe.ts';
import type { Argv, CommandModule } from 'yargs';
import { ALLOW_REMOTE_OPTION, ENGINE_OPTION, KEEP_OPTION, REPORT_OPTION } from './shared-options.ts';
import { relative } from 'node:path';
import type { RunResult } from '../results/schema.ts';
import { BROKERED_TECHS, TECHS, titleOf } from '../techs.ts';
import type { RunOptions } from '../run/run-scenario.ts';
// the run itself (stack, SDKs) is imported by the handler: `--help` and flag errors stay fast

interface RunArgs {
  scenario: string;
  tech?: string;
  out?: string;
  engine: string;
  segments: number;
  report: boolean;
  toxiproxy?: string;
  profile?: string;
  dryRun: boolean;
  target?: string;
  allowRemote: boolean;
  keep: boolean;
}

/** Relative to the working directory when inside it, else absolute (a scenario may live anywhere). */
const shownPath = (path: string) => (relative(process.cwd(), path).startsWith('..') ? path : relative(process.cwd(), path));

const verdict = (v: RunResult['valid']) => (v === true ? 'valid' : v === false ? 'INVALID' : 'unknown');

export function summaryLines(run: RunResult): string[] {
  if (run.status === 'failed') return [`${run.tech}: FAILED: ${run.error ?? 'unknown error'}`];
  const lines = [`${run.tech}: ${verdict(run.valid)}; ${run.load.acknowledged}/${run.load.attempted} acknowledged, drained: ${run.drain.drained ? 'yes' : `NO${run.drain.pending ? ` (${run.drain.pending.operations} operation(s), ${run.drain.pending.events} event(s) pending)` : ''}`}`];
  const seenFailing = (flow: string) => run.flows[flow]?.checks['client-visible']?.counts.failed ?? 0;
  lines.push(`  a user would have seen ${seenFailing('uploads')} upload(s) and ${seenFailing('comments')} comment(s) fail`);
  for (const [flow, result] of Object.entries(run.flows)) {
    const parts: string[] = [];
    for (const check of Object.values(result.checks)) {
      const c = check.counts;
      if (check.checker === 'total-queue') parts.push(`lost ${c.lost}${c.pending ? `, pending ${c.pending}` : ''}, duplicated ${c.duplicatedDelivery} delivered/${c.duplicatedProcessing} processed, unexpected ${c.unexpected}`);
      if (check.checker === 'ordering') parts.push(`inversions ${c.inversions}`);
      if (check.checker === 'fan-out') parts.push(`missing ${c.missing}${c.pending ? `, pending ${c.pending}` : ''} of ${c.expected ?? c.expectedDeliveries}`);
      if (check.checker === 'integrity') parts.push(`integrity mismatches ${c.mismatched}`);
      const e2e = check.latency?.e2e;
      if (e2e && e2e.count > 0) parts.push(`e2e p50 ${e2e.p50Ms.toFixed(1)} ms, p99 ${e2e.p99Ms.toFixed(1)} ms`);
    }
    lines.push(`  ${flow.padEnd(10)} ${verdict(result.valid).padEnd(7)} ${parts.join('; ')}`);
  }
  for (const error of run.errors) lines.push(`  note: ${error}`);
  return lines;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe: 'Run a scenario once per technology and write results.json and report.html',
  builder: (yargs) =>
    (yargs as Argv)
      .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file (.ts exporting defineScenario, or .json)' })
      .option('tech', { type: 'string', describe: `comma-separated technologies to run (default: the scenario's techs). Known: ${TECHS.join(', ')}` })
      .option('out', { type: 'string', describe: 'output directory (default: runs/<scenario>-<timestamp>)' })
      .option('engine', ENGINE_OPTION)
      .option('segments', { type: 'number', default: 1, describe: 'k6 engine: split the load across N k6 processes (--execution-segment), merged into one history' })
      .option('report', REPORT_OPTION)
      .option('dry-run', { type: 'boolean', default: false, describe: 'load and validate the scenario and the flags, print the plan, start nothing (exit 0 when valid, 2 when not)' })
      .option('profile', { type: 'string', describe: `Azure tiers the emulators play: ${BUILTIN_PROFILES.join(', ')}, or a profile JSON file (default: the scenario's azure.profile, else standard). ideal: no quotas, no added latency (loopback timing)` })
      .option('toxiproxy', {
        type: 'string',
        describe: "network faults through an existing Toxiproxy server (its API URL, e.g. http://127.0.0.1:8474) instead of moshpit's own proxy; it must reach the emulators on 127.0.0.1. Its proxies are named moshpit-<run>-… and deleted after the run",
      })
      .option('target', { type: 'string', describe: "target file (JSON): the brokers to use instead of embedded emulators — Azure, Microsoft's emulators, or the line `moshpit emulators start --json` prints. Entities are created under a per-run prefix and deleted after" })
      .option('allow-remote', ALLOW_REMOTE_OPTION)
      .option('keep', KEEP_OPTION)
      .example(`$0 run scenarios/smoke.ts --tech ${BROKERED_TECHS[0]} --out runs/smoke`, `smoke test on ${titleOf(BROKERED_TECHS[0]!)}`)
      .example('$0 run scenarios/smoke.ts --target target.json', 'the same against brokers started separately (target.json: the line of `moshpit emulators start --json`)')
      .example(`$0 run scenarios/steady.ts --tech ${BROKERED_TECHS.at(-2)} --profile premium`, `the same load on ${titleOf(BROKERED_TECHS.at(-2)!)} at its premium tier instead of standard`)
      .example('$0 run scenarios/steady.ts --engine k6 --segments 2', 'the same load driven by two k6 processes')
      .example('$0 run ~/my-tests/mine.ts --dry-run', 'check a scenario file kept anywhere, start nothing')
      .example('$0 run scenarios/latency-spike.ts --toxiproxy http://127.0.0.1:8474', 'network faults through your Toxiproxy server') as unknown as Argv<RunArgs>,
  handler: async (args) => {
    const { describeScenario, prepareRun, runScenario } = await import('../run/run-scenario.ts');
    const { targetPlanLines } = await import('../target/run.ts');
    const options: RunOptions = { scenarioPath: args.scenario, tech: args.tech, out: args.out, engine: args.engine, segments: args.segments, report: args.report, toxiproxy: args.toxiproxy, target: args.target, allowRemote: args.allowRemote, keep: args.keep, profile: args.profile };
    if (args.dryRun) {
      const plan = await prepareRun(options);
      for (const line of describeScenario(plan.scenario, plan.techs)) console.error(line);
      if (!plan.target) console.error(`  azure profile: ${describeProfile(plan.profile, plan.techs)}`);
      if (plan.target) for (const line of targetPlanLines(plan.target, plan.scenario, plan.techs)) console.error(line);
      console.error(`\ndry run: ${shownPath(plan.file)} is valid; results would go to ${shownPath(plan.outDir)}; nothing was started`);
      return;
    }
    const outcome = await runScenario(options);
    console.error('');
    for (const run of outcome.runs) for (const line of summaryLines(run)) console.error(line);
    console.error(`\nresults: ${shownPath(outcome.results)}`);
    if (outcome.report) console.error(`report:  ${shownPath(outcome.report)}`);
    if (outcome.runs.some((r) => r.status === 'failed')) process.exitCode = 1;
  },
};
