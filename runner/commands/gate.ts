/**
 * `moshpit gate <results> [--baseline base.json] [--thresholds file.json] [--junit out.xml]
 * [--markdown out.md]`: CI regression gate. Exit 0 pass, 99 thresholds failed (as k6), 2 bad
 * input, 1 internal error. Registered by runner/cli.ts with `.command(gateCommand)`.
 */
import type { Argv, CommandModule } from 'yargs';
import { GATE_EXIT_FAILED, runGate } from '../gate/gate.ts';

export interface GateArgs {
  results: string;
  baseline?: string;
  thresholds: string[];
  junit?: string;
  markdown?: string;
}

export const gateCommand: CommandModule<object, GateArgs> = {
  command: 'gate <results>',
  describe: 'Check results.json against thresholds (and a baseline); exit 0 pass, 99 failed, 2 bad input',
  builder: (yargs: Argv<object>) =>
    yargs
      .positional('results', { describe: 'results.json written by `moshpit run`, or comparison.json written by `moshpit compare` (every scenario checked)', type: 'string', demandOption: true })
      .option('baseline', { describe: 'results.json to compare with for "regression" thresholds', type: 'string', requiresArg: true })
      .option('thresholds', {
        describe: 'JSON file {"thresholds": {"lost": ["count == 0"], "e2e_latency{flow:comments}": ["p(99) < 500"]}}; repeatable; the scenario\'s expect.thresholds always apply too',
        type: 'string',
        array: true,
        default: [],
        requiresArg: true,
      })
      .option('junit', { describe: 'write JUnit XML here (one test case per threshold check)', type: 'string', requiresArg: true })
      .option('markdown', { describe: 'write a markdown summary here (also appended to $GITHUB_STEP_SUMMARY when set)', type: 'string', requiresArg: true })
      .example('$0 gate runs/ci/results.json --thresholds test/data/thresholds.json', 'fail the build on loss or a slow p99')
      .example(
        '$0 gate runs/ci/results.json --thresholds test/data/thresholds.json --thresholds test/data/gate/regressions.json --baseline test/data/baseline.json --junit gate.xml --markdown gate.md',
        'also compare with a baseline; write CI reports',
      )
      .epilogue('Exit codes: 0 all thresholds passed, 99 some failed, 2 bad input, 1 internal error.') as Argv<GateArgs>,
  handler: async (args) => {
    const gate = runGate({
      resultsPath: String(args.results),
      baselinePath: args.baseline,
      thresholdsPaths: args.thresholds.map(String),
      junitPath: args.junit,
      markdownPath: args.markdown,
    });
    process.stdout.write(gate.table);
    if (!gate.outcome.passed) process.exitCode = GATE_EXIT_FAILED;
  },
};
