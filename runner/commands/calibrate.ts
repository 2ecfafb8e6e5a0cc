/** `moshpit calibrate --target FILE`: measure a target's latency, write a profile the emulators can play. */
import type { Argv, CommandModule } from 'yargs';
import { ALLOW_REMOTE_OPTION } from './shared-options.ts';
import { PROFILED_TECHS } from '../../profiles/model.ts';
import { MAX_OPS } from '../calibrate/limits.ts'; // the measuring code is imported by the handler: `--help` stays fast

interface CalibrateArgs { target: string; tech?: string; ops: number; out?: string; name?: string; allowRemote: boolean; dryRun: boolean; bodyBytes: number }

const today = () => new Date().toISOString().slice(0, 10);

export const calibrateCommand: CommandModule<object, CalibrateArgs> = {
  command: 'calibrate',
  describe: 'Measure each operation\'s latency on a target (Azure, Microsoft\'s or moshpit\'s emulators) and write a profile that `run --profile FILE` plays',
  builder: (yargs) =>
    (yargs as Argv)
      .option('target', { type: 'string', demandOption: true, describe: 'target file (JSON), as for `run --target`' })
      .option('tech', { type: 'string', describe: `comma-separated technologies (default: every one the target file has a section for). Known: ${PROFILED_TECHS.join(', ')}` })
      .option('ops', { type: 'number', default: 100, describe: `timed calls per operation, one at a time, after 5 warm-up calls (5..${MAX_OPS})` })
      .option('body-bytes', { type: 'number', default: 1024, describe: 'payload of each message, event and blob' })
      .option('out', { type: 'string', describe: 'profile file to write (default: calibrated-<date>.json)' })
      .option('name', { type: 'string', describe: 'the profile\'s name (default: calibrated-<date>)' })
      .option('allow-remote', ALLOW_REMOTE_OPTION)
      .option('dry-run', { type: 'boolean', default: false, describe: 'validate the target and print the plan; create and send nothing' })
      .example('$0 calibrate --target target.json --allow-remote', 'time your namespaces and write calibrated-<date>.json')
      .example('$0 run scenarios/steady.ts --profile calibrated-2026-12-03.json', 'then replay that latency on the emulators') as unknown as Argv<CalibrateArgs>,
  handler: async (args) => {
    const { calibrate } = await import('../calibrate/run.ts');
    const out = args.out ?? `calibrated-${today()}.json`;
    const { file, measured } = await calibrate({
      target: args.target, tech: args.tech, ops: args.ops, out, name: args.name ?? `calibrated-${today()}`,
      allowRemote: args.allowRemote, dryRun: args.dryRun, bodyBytes: args.bodyBytes, log: (line) => console.error(line),
    });
    if (!args.dryRun) console.error(`\nprofile: ${file} (${measured.map((m) => m.tech).join(', ')}); replay it with: moshpit run <scenario> --profile ${file}`);
  },
};
