/**
 * Test entry: `node --import tsx test/gate/gate-cli.ts gate ...` runs gateCommand the way
 * runner/cli.ts does (UserError → exit 2, anything else → exit 1), before cli.ts registers it.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { isUserError } from '../../runner/contracts/errors.ts';
import { gateCommand } from '../../runner/commands/gate.ts';

function fail(error: unknown): never {
  if (isUserError(error)) {
    process.stderr.write(`moshpit: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`moshpit: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

await yargs(hideBin(process.argv))
  .scriptName('moshpit')
  .command(gateCommand)
  .demandCommand(1)
  .strict()
  .fail((message, error) => {
    if (error) fail(error);
    process.stderr.write(`moshpit: ${message}\n`);
    process.exit(2);
  })
  .parseAsync()
  .catch(fail);
