/**
 * `moshpit proxy --api 127.0.0.1:PORT [--config populate.json]`: runs the TCP fault proxy with its
 * Toxiproxy-compatible API as its own process. Prints one JSON line {"apiUrl", "proxies"} on
 * stdout when ready; SIGINT/SIGTERM close every socket and exit 0.
 */
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../contracts/errors.ts';
import { startFaultProxy, ApiError, type ProxySpec } from '../faults/network/index.ts';
import { exitWhenParentDies } from '../contracts/watchdog.ts';

interface ProxyArgs {
  api: string;
  config?: string;
}

export function parseApiAddress(value: string): { host: string; port: number } {
  const match = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || !match[1] || port > 65535) throw new UserError(`--api must be HOST:PORT like 127.0.0.1:8474 (port 0 = a free port); got "${value}"`);
  return { host: match[1], port };
}

function readPopulateFile(path: string): ProxySpec[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`--config ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text) as ProxySpec[];
  } catch (error) {
    throw new UserError(`--config ${path}: not valid JSON (${(error as Error).message}); expected Toxiproxy's populate format [{"name", "listen", "upstream"}]`);
  }
}

async function runProxy(args: ProxyArgs): Promise<void> {
  exitWhenParentDies();
  const { host, port } = parseApiAddress(args.api);
  const specs = args.config ? readPopulateFile(args.config) : [];
  let faults;
  try {
    faults = await startFaultProxy({ host, apiPort: port });
  } catch (error) {
    throw new UserError(`--api ${args.api}: cannot listen (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    const proxies = await faults.populate(specs).catch((error: unknown) => {
      if (error instanceof ApiError) throw new UserError(`--config ${args.config}: ${error.message}`);
      throw error;
    });
    process.stdout.write(JSON.stringify({ apiUrl: faults.apiUrl, proxies }) + '\n');
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
  } finally {
    await faults.close();
  }
}

export const proxyCommand: CommandModule<object, ProxyArgs> = {
  command: 'proxy',
  describe: 'Run the TCP fault proxy with a Toxiproxy-compatible HTTP API until SIGINT/SIGTERM',
  builder: (yargs) =>
    (yargs as Argv)
      .option('api', { type: 'string', default: '127.0.0.1:8474', describe: 'HOST:PORT for the HTTP API (port 0 = a free port)' })
      .option('config', { type: 'string', describe: "proxies to create at start, in Toxiproxy's populate format (JSON array)" })
      .example('$0 proxy --api 127.0.0.1:0', 'start on a free port; prints {"apiUrl": ...}')
      .example('$0 proxy --config proxies.json', 'create the proxies listed in proxies.json') as unknown as Argv<ProxyArgs>,
  handler: (args) => runProxy(args),
};
