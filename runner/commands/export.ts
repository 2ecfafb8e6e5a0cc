/**
 * `moshpit export results-schema`: prints results.json's JSON Schema (for other tools);
 * `moshpit export comparison-schema` the same for comparison.json.
 * `moshpit export k6 <scenario> --out DIR --parallelism N --target URL`: a k6 script, its plan,
 * a k6-operator TestRun and a README, to run the scenario's load from a cluster against a
 * backend deployed in Azure (then `moshpit collect`).
 */
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../contracts/errors.ts';
import { resultsJsonSchema } from '../results/schema.ts';
import { comparisonJsonSchema } from '../compare/schema.ts';
// export k6 / export azure are imported when used: `--help` stays fast

interface ExportArgs {
  what: string;
  scenario?: string;
  out?: string;
  parallelism: number;
  target?: string;
  tech?: string;
}

async function handle(args: ExportArgs): Promise<void> {
  if (args.what === 'results-schema') {
    process.stdout.write(JSON.stringify(resultsJsonSchema(), null, 2) + '\n');
    return;
  }
  if (args.what === 'comparison-schema') {
    process.stdout.write(JSON.stringify(comparisonJsonSchema(), null, 2) + '\n');
    return;
  }
  if (args.what === 'azure') {
    if (!args.scenario || !args.out) throw new UserError('export azure needs a scenario file and --out DIR: moshpit export azure scenarios/smoke.ts --out azure');
    const { exportAzure } = await import('./export-azure.ts');
    for (const line of await exportAzure({ scenario: args.scenario, out: args.out, tech: args.tech })) console.error(line);
    return;
  }
  const missing = [!args.scenario && 'a scenario file', !args.out && '--out DIR', !args.target && '--target URL'].filter(Boolean);
  if (missing.length) throw new UserError(`export k6 needs ${missing.join(', ')}: moshpit export k6 scenarios/steady.ts --out k6-export --parallelism 4 --target https://your-api.example`);
  const { exportK6 } = await import('./export-k6.ts');
  const { files } = await exportK6({ scenario: args.scenario!, out: args.out!, parallelism: args.parallelism, target: args.target! });
  console.error(`wrote ${files.length} files to ${args.out}:\n${files.map((f) => `  ${f}`).join('\n')}\nsee ${args.out}/README.md for how to run them and feed the outputs back (moshpit collect)`);
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <what> [scenario]',
  describe: 'Export a contract or a runnable artefact: results-schema (JSON Schema of results.json), comparison-schema (of comparison.json), k6 (k6 script + k6-operator TestRun), azure (Bicep template + target file for run --target)',
  builder: (yargs) =>
    (yargs as Argv)
      .positional('what', { choices: ['results-schema', 'comparison-schema', 'k6', 'azure'], describe: 'what to export', demandOption: true })
      .positional('scenario', { type: 'string', describe: 'k6: the scenario file' })
      .option('out', { type: 'string', describe: 'k6, azure: output directory' })
      .option('tech', { type: 'string', describe: "azure: comma-separated technologies (default: the scenario's)" })
      .option('parallelism', { type: 'number', default: 1, describe: 'k6: number of k6 runner pods (execution segments)' })
      .option('target', { type: 'string', describe: 'k6: base URL of the deployed music backend api' })
      .example('$0 export results-schema > results.schema.json', '')
      .example('$0 export azure scenarios/smoke.ts --out azure', 'main.bicep + target.json for a run against real Azure')
      .example('$0 export k6 scenarios/steady.ts --out k6-export --parallelism 4 --target https://api.example', 'for k6-operator') as unknown as Argv<ExportArgs>,
  handler: (args) => handle(args),
};
