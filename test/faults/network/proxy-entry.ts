/** Tiny CLI entry for the command test: registers only proxyCommand with yargs. */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { proxyCommand } from '../../../runner/commands/proxy.ts';
import { isUserError } from '../../../runner/contracts/errors.ts';

yargs(hideBin(process.argv))
  .command(proxyCommand)
  .demandCommand(1)
  .strict()
  .fail((message, error) => {
    process.stderr.write(`moshpit: ${error ? error.message : message}\n`);
    process.exit(error && !isUserError(error) ? 1 : 2);
  })
  .parseAsync()
  .catch((error: Error) => {
    process.stderr.write(`moshpit: ${error.message}\n`);
    process.exit(isUserError(error) ? 2 : 1);
  });
