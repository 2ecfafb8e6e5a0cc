/**
 * `moshpit report <results..> [-o report.html]`: one self-contained HTML comparison report from
 * one or more results.json files. Registered by runner/cli.ts with `.command(reportCommand)`.
 */
import { dirname, join, relative } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { writeReport } from '../report/bundle.ts';

export interface ReportArgs {
  results: string[];
  out?: string;
}

/** Where the report goes when -o is not given: report.html next to the first results file. */
export function defaultReportPath(firstResultsFile: string): string {
  return join(dirname(firstResultsFile), 'report.html');
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <results..>',
  describe: 'Write one self-contained HTML report (data inlined, opens offline) from results.json files',
  builder: (yargs: Argv<object>) =>
    yargs
      .positional('results', {
        describe: 'results.json files written by `moshpit run` (one section per file)',
        type: 'string',
        array: true,
        default: undefined,
      })
      .option('out', {
        alias: 'o',
        describe: 'HTML file to write (default: report.html next to the first results file)',
        type: 'string',
        requiresArg: true,
      })
      .example('$0 report runs/smoke/results.json', 'writes runs/smoke/report.html')
      .example('$0 report runs/a/results.json runs/b/results.json -o compare.html', 'both runs in one report') as Argv<ReportArgs>,
  handler: async (args) => {
    const files = args.results.map(String);
    const out = args.out ?? defaultReportPath(files[0] ?? '.');
    await writeReport(files, out);
    const shown = relative(process.cwd(), out) || out;
    process.stdout.write(`report written to ${shown.startsWith('..') ? out : shown}\n`);
  },
};
