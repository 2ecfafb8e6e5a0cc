/**
 * `moshpit run --toxiproxy URL`: network faults through an existing Toxiproxy server instead of
 * moshpit's own proxy. Uses the real `toxiproxy-server` when one is found ($TOXIPROXY_SERVER, PATH,
 * or `$(go env GOPATH)/bin/toxiproxy-server` as scripts/install-toxiproxy.sh builds it; .ci/run
 * builds it); otherwise a standalone `moshpit proxy` process stands in as the external server.
 * Toxiproxy has no `down`/`partition` toxics: they map to a disabled proxy and `timeout` 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../runner/run/run-scenario.ts';
import { FaultProxyClient } from '../../runner/faults/network/index.ts';
import { findToxiproxyServer } from '../../runner/faults/network/toxiproxy-binary.ts';

const out = mkdtempSync(join(tmpdir(), 'moshpit-toxiproxy-'));
let server: ChildProcess | undefined;
let apiUrl = '';
let kind = '';

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function startExternalProxy(): Promise<void> {
  const binary = findToxiproxyServer();
  const port = await freePort();
  kind = binary ? 'toxiproxy-server' : 'moshpit proxy (no toxiproxy-server found)';
  server = binary
    ? spawn(binary, ['-host', '127.0.0.1', '-port', String(port)], { stdio: 'ignore' })
    : spawn(process.execPath, ['bin/moshpit.mjs', 'proxy', '--api', `127.0.0.1:${port}`], { stdio: 'ignore' });
  apiUrl = `http://127.0.0.1:${port}`;
  const client = new FaultProxyClient(apiUrl);
  for (let i = 0; i < 100; i++) {
    if (await client.version().then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${kind} did not answer at ${apiUrl}`);
}

beforeAll(startExternalProxy, 30_000);
afterAll(() => {
  server?.kill('SIGKILL');
  rmSync(out, { recursive: true, force: true });
});

describe('run --toxiproxy URL', () => {
  it('latency, a partition and a down window through the external server: nothing lost, all windows recorded, its proxies deleted after', async () => {
    console.error(`external fault proxy: ${kind}`);
    const scenario = JSON.parse(readFileSync('test/data/scenarios/network-faults.json', 'utf8'));
    scenario.duration = '10s';
    scenario.faults.push({ at: '8s', for: '1s', target: 'broker', fault: { type: 'down' } });
    const file = join(out, 'scenario.json');
    writeFileSync(file, JSON.stringify(scenario));
    const outcome = await runScenario({ scenarioPath: file, tech: 'storage-queue', out: join(out, 'run'), engine: 'builtin', report: false, toxiproxy: apiUrl });
    const run = outcome.runs[0]!;
    expect(run.status, run.error).toBe('completed');
    expect(run.errors.filter((e) => e.includes('fault'))).toEqual([]);
    expect(run.faults.map((f) => f.type)).toEqual(['latency', 'partition', 'down']);
    const uploads = run.flows.uploads!.checks['total-queue']!.counts;
    expect(uploads.lost).toBe(0);
    expect(uploads.committed).toBe(uploads.acknowledged + (uploads.recovered ?? 0));
    // the external server really carried the broker traffic: its 300 ms latency shows in the api
    expect(run.flows.uploads!.checks.latency!.latency!.request!.maxMs).toBeGreaterThanOrEqual(300);
    const left = Object.keys(await new FaultProxyClient(apiUrl).listProxies()).filter((name) => name.startsWith('moshpit-'));
    expect(left).toEqual([]);
  }, 180_000);

  it('bad --toxiproxy values fail before anything starts, naming the flag', async () => {
    const run = (toxiproxy: string) => runScenario({ scenarioPath: 'test/data/scenarios/network-faults.json', tech: 'storage-queue', out: join(out, 'bad'), engine: 'builtin', report: false, toxiproxy });
    await expect(run('localhost:8474')).rejects.toThrow(/--toxiproxy must be an http URL/);
    await expect(run('http://127.0.0.1:1')).rejects.toThrow(/--toxiproxy: cannot reach .*127\.0\.0\.1:1.*leave --toxiproxy out/);
    expect(existsSync(join(out, 'bad'))).toBe(false);
  }, 30_000);
});
