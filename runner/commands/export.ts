/** `moshpit export results-schema`: prints results.json's JSON Schema (for other tools). */
import type { Argv, CommandModule } from 'yargs';
import { resultsJsonSchema } from '../results/schema.ts';

interface ExportArgs {
  what: string;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <what>',
  describe: 'Export a contract: results-schema (JSON Schema of results.json)',
  builder: (yargs) =>
    (yargs as Argv).positional('what', { choices: ['results-schema'], describe: 'what to export', demandOption: true }) as unknown as Argv<ExportArgs>,
  handler: () => {
    process.stdout.write(JSON.stringify(resultsJsonSchema(), null, 2) + '\n');
  },
};
