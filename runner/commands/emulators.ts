/**
 * `moshpit emulators start`: runs the embedded emulators until SIGINT/SIGTERM. With --json it
 * prints exactly one JSON line on stdout when everything is ready (the contract other tools
 * read): the endpoints plus `controlKey`, the key every control API of this start requires
 * (MOSHPIT_CONTROL_KEY when given, else a fresh one). Logs go to stderr. One emulator runs in
 * this process; several run as one child process each (emulator-children.ts).
 */
import { BUILTIN_PROFILES, resolveProfile } from '../../profiles/resolve.ts';
import { describeProfile } from '../../profiles/describe.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../contracts/errors.ts';
import { assignConfigFiles, launchEmulators, type LaunchedEmulators } from '../../fixtures/emulators/launch.ts';
import { CONTROL_KEY_ENV, CONTROL_KEY_HEADER, newControlKey } from '../../fixtures/emulators/common/control-key.ts';
import { startEmulatorChildren, type EmulatorChildren } from './emulator-children.ts';
import { emulatorNames, isEmulatorName, type EmulatorName } from '../../fixtures/emulators/registry.ts';
import type { EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';
import { exitWhenParentDies } from '../contracts/watchdog.ts';
import { emulatorFacts } from '../../fixtures/technologies.ts';

interface StartArgs {
  only?: string;
  config: string[];
  'data-dir'?: string;
  'in-memory': boolean;
  json: boolean;
  host: string;
  port: string[];
  tls: boolean;
  profile: string;
}

export function parseOnly(only: string | undefined): EmulatorName[] {
  if (only === undefined) return emulatorNames();
  const names = only.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !isEmulatorName(n));
  if (unknown.length) throw new UserError(`--only: unknown emulator ${unknown.map((n) => `"${n}"`).join(', ')}; known: ${emulatorNames().join(', ')}`);
  if (!names.length) throw new UserError(`--only: give a comma-separated list of ${emulatorNames().join(', ')}`);
  return [...new Set(names)] as EmulatorName[];
}

/** every emulator's `--port` keys, from the technology profiles (fixtures/<tech>/profile.ts) */
const PORT_KEYS = emulatorFacts().flatMap((e) => [...e.portKeys]);

export function parsePorts(values: string[]): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const value of values) {
    const match = /^([a-z-]+)=(\d+)$/.exec(value);
    const key = match?.[1] ?? '';
    const known = PORT_KEYS.includes(key);
    const port = Number(match?.[2]);
    if (!match || !known || port > 65535) {
      throw new UserError(`--port ${value}: expected NAME=PORT with NAME one of ${PORT_KEYS.join(', ')} and PORT 0-65535`);
    }
    ports[key] = port;
  }
  return ports;
}

export function describeEndpoints(endpoints: EmulatorEndpoints): string[] {
  return emulatorFacts().flatMap((e) => e.describe(endpoints));
}

async function start(args: StartArgs): Promise<void> {
  exitWhenParentDies();
  const only = parseOnly(args.only);
  const ports = parsePorts(args.port);
  const tempDir = args['data-dir'] === undefined;
  const dataDir = args['data-dir'] ? resolve(args['data-dir']) : mkdtempSync(resolve(tmpdir(), 'moshpit-emulators-'));
  const external = process.env.MOSHPIT_EXTERNAL_ENDPOINTS ? (JSON.parse(process.env.MOSHPIT_EXTERNAL_ENDPOINTS) as EmulatorEndpoints) : undefined;
  const controlKey = process.env[CONTROL_KEY_ENV] || newControlKey();
  process.env[CONTROL_KEY_ENV] = controlKey; // read by the control APIs started in this process
  const configFiles = args.config.map((f) => resolve(f));
  const profile = resolveProfile(args.profile);
  const common = { dataDir, inMemory: args['in-memory'], host: args.host, ports, external, tls: args.tls, profile };
  const starting: Promise<LaunchedEmulators | EmulatorChildren> = only.length > 1
    ? assignConfigFiles(only, configFiles).then((owned) => startEmulatorChildren({ ...common, only, configFiles: owned, controlKey }))
    : launchEmulators({ ...common, only, configFiles });
  const launched = await starting.catch((error: unknown) => {
    if (tempDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  if (args.json) process.stdout.write(JSON.stringify({ ...launched.endpoints, controlKey }) + '\n');
  else {
    console.log(`moshpit emulators ready (${only.join(', ')}); data in ${args['in-memory'] ? 'memory' : dataDir}. Ctrl-C to stop.`);
    console.log(`profile ${describeProfile(profile)}`);
    for (const line of describeEndpoints(launched.endpoints)) console.log(line);
    console.log(`control key ${controlKey} (send it as the ${CONTROL_KEY_HEADER} header to the control APIs; set ${CONTROL_KEY_ENV} to choose it)`);
  }
  const allGone = 'allExited' in launched ? launched.allExited.then(() => true) : new Promise<boolean>(() => undefined);
  const signalled = new Promise<boolean>((done) => {
    const stop = () => done(false);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  if (await Promise.race([signalled, allGone])) {
    process.stderr.write('moshpit emulators: every emulator has exited; stopping\n');
    process.exitCode = 1;
  }
  await launched.close();
  if (tempDir) rmSync(dataDir, { recursive: true, force: true });
  if (!args.json) console.error('moshpit emulators stopped');
}

export const emulatorsCommand: CommandModule<object, StartArgs> = {
  command: 'emulators <action>',
  describe: `Run the embedded Azure emulators: ${emulatorFacts().map((e) => e.summary).join(', ')}`,
  builder: (yargs) =>
    (yargs as Argv)
      .positional('action', { choices: ['start'], describe: 'start: run until SIGINT/SIGTERM' })
      .option('only', { type: 'string', describe: `comma-separated subset of ${emulatorNames().join(', ')} (default: all of them)` })
      .option('config', { type: 'string', array: true, default: [], describe: 'entity definitions; repeatable. Microsoft Service Bus / Event Hubs emulator Config.json, or a moshpit Event Grid topics file; recognised by shape' })
      .option('data-dir', { type: 'string', describe: 'keep data on disk here (default: a temp dir, removed on exit)' })
      .option('in-memory', { type: 'boolean', default: false, describe: 'keep nothing on disk' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON line with endpoints and connection strings when ready' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to bind' })
      .option('profile', { type: 'string', default: 'ideal', describe: `Azure tiers to emulate: ${BUILTIN_PROFILES.join(', ')}, or a profile JSON file (quotas, size limits, features, latency; see profiles/). ideal: no quotas, no added latency` })
      .option('tls', { type: 'boolean', default: false, describe: `${emulatorFacts().filter((e) => e.tls).map((e) => e.name).join(', ')}: serve https with a generated certificate; the JSON line gives its CA path (use as NODE_EXTRA_CA_CERTS)` })
      .option('port', { type: 'string', array: true, default: [], describe: `fixed port, NAME=PORT (${PORT_KEYS.join(', ')}); default free ports` })
      .example('$0 emulators start --json', 'start everything, print the endpoints as JSON')
      .example('$0 emulators start --only storage --data-dir .emulators', 'Azurite blob + queues, kept on disk') as unknown as Argv<StartArgs>,
  handler: (args) => start(args),
};
