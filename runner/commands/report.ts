/**
 * `moshpit report <results..> [-o report.html]`: one self-contained HTML comparison report from
 * one or more results.json files. Registered by runner/cli.ts with `.command(reportCommand)`.
 */
import { dirname, join, relative } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { writeReport } from '../report/bundle.ts';
import { isComparisonFile } from '../gate/comparison.ts';
import { rerenderComparisonReport } from '../compare/report.ts';
import { serveReport } from '../report/serve.ts';

export interface ReportArgs {
  results: string[];
  out?: string;
  serve?: boolean;
  port?: number;
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
        describe: 'results.json files written by `moshpit run` (one section per file), or one comparison.json written by `moshpit compare`',
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
      .option('serve', {
        describe: 'serve the report on 127.0.0.1 and re-render it when a results file changes (Ctrl-C stops)',
        type: 'boolean',
      })
      .option('port', {
        describe: 'port for --serve (default: a free port, printed)',
        type: 'number',
        requiresArg: true,
      })
      .check((argv) => {
        const port = argv.port as number | undefined;
        if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
          throw new Error(`--port must be an integer from 0 to 65535, got ${String(port)}`);
        }
        if (port !== undefined && !argv.serve) throw new Error('--port only applies with --serve');
        return true;
      })
      .example('$0 report runs/smoke/results.json --serve', 'serve it live while the run writes results.json')
      .example('$0 report runs/smoke/results.json', 'writes runs/smoke/report.html')
      .example('$0 report runs/a/results.json runs/b/results.json -o compare.html', 'both runs in one report') as Argv<ReportArgs>,
  handler: async (args) => {
    const files = args.results.map(String);
    if (args.serve) {
      const server = await serveReport(files, {
        ...(args.port === undefined ? {} : { port: args.port }),
        log: (line) => process.stdout.write(`${line}\n`),
      });
      process.stdout.write(`serving the report at ${server.url} (re-rendered when the results change; Ctrl-C stops)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void server.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      return;
    }
    const out = args.out ?? defaultReportPath(files[0] ?? '.');
    if (files.length === 1 && isComparisonFile(files[0]!)) await rerenderComparisonReport(files[0]!, out);
    else await writeReport(files, out);
    const shown = relative(process.cwd(), out) || out;
    process.stdout.write(`report written to ${shown.startsWith('..') ? out : shown}\n`);
  },
};
