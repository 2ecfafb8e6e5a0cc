/**
 * moshpit's command line. Each command lives in runner/commands/ and is registered here,
 * explicitly. Errors a user can fix exit 2 with one readable message; anything else exits 1
 * (stack trace only with MOSHPIT_DEBUG=1).
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isUserError } from './contracts/errors.ts';
import { installHostsFromEnv } from '../fixtures/emulators/common/hosts.ts';
// runner/techs.ts, not the technology registry: the registry loads every SDK, and `--help` must stay fast
import { BROKERED_TECHS as BROKERED, titleOf } from './techs.ts';
import { calibrateCommand } from './commands/calibrate.ts';
import { collectCommand } from './commands/collect.ts';
import { compareCommand } from './commands/compare.ts';
import { emulatorsCommand } from './commands/emulators.ts';
import { exportCommand } from './commands/export.ts';
import { gateCommand } from './commands/gate.ts';
import { proxyCommand } from './commands/proxy.ts';
import { reportCommand } from './commands/report.ts';
import { runCommand } from './commands/run.ts';

function fail(error: unknown): never {
  if (isUserError(error)) {
    process.stderr.write(`moshpit: ${error.message}\n`);
    process.exit(2);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`moshpit: internal error: ${message}\n`);
  if (process.env.MOSHPIT_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write('(set MOSHPIT_DEBUG=1 for the stack trace)\n');
  process.exit(1);
}


async function main(): Promise<void> {
  installHostsFromEnv(); // MOSHPIT_HOSTS (fixtures/emulators/common/hosts.ts)
  await yargs(hideBin(process.argv))
    .scriptName('moshpit')
    .usage(
      'moshpit: chaos and load tests that compare Azure messaging technologies\n\n' +
        `Runs a scenario against a reference music-sharing backend once per technology (${BROKERED[0]},\n${BROKERED.slice(1).join(', ')}), on local emulators by default, and measures loss,\n` +
        'duplicates, ordering and latency into results.json and a self-contained report.html.\n\n' +
        'Usage: $0 <command> [options]',
    )
    .command(runCommand)
    .command(compareCommand)
    .command(calibrateCommand)
    .command(emulatorsCommand)
    .command(reportCommand)
    .command(gateCommand)
    .command(proxyCommand)
    .command(exportCommand)
    .command(collectCommand)
    .demandCommand(1, 'give a command: run, compare, calibrate, emulators, report, gate, proxy, export or collect (see --help)')
    .strict()
    .recommendCommands()
    .example('$0 compare', `the quick suite on ${BROKERED.join(', ')}: which one fits each flow, and why`)
    .example(`$0 run scenarios/smoke.ts --tech ${BROKERED[0]} --out runs/smoke`, `a 20-second smoke test on ${titleOf(BROKERED[0]!)} (emulated)`)
    .example('$0 emulators start --json', 'run the embedded emulators and print their endpoints')
    .example('$0 report runs/smoke/results.json -o report.html', 'render a results file as one HTML file')
    .example('$0 gate runs/smoke/results.json --thresholds test/data/thresholds.json --junit gate.xml', 'fail a CI build when guarantees or latency regress (exit 99)')
    .epilogue('Exit codes: 0 success, 1 internal error, 2 bad input, 99 gate thresholds failed. Docs: README.md')
    .fail((message, error, y) => {
      if (error) fail(error);
      process.stderr.write(`moshpit: ${message}\n(run \`moshpit ${process.argv[2] && !process.argv[2].startsWith('-') ? process.argv[2] + ' ' : ''}--help\` for usage)\n`);
      void y;
      process.exit(2);
    })
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .parseAsync();
}

main().catch(fail);
