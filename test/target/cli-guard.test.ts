/**
 * `run --target` from the command line, before anything starts (no emulators, a few seconds):
 * a target with a non-loopback endpoint and no --allow-remote exits 2 with one message naming
 * the endpoint and the flag, connects nowhere (every connect and DNS lookup of the process is
 * recorded) and creates no output directory; a bad target file exits 2 naming every problem;
 * --allow-remote --dry-run prints the plan with an estimated cost and still contacts nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'moshpit-guard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HOOK = pathToFileURL(resolve('test/target/fixtures/record-connections.mjs')).href;

function cli(args: string[]) {
  const connectLog = join(dir, `connect-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(connectLog, '');
  const result = spawnSync(process.execPath, ['--import', HOOK, 'bin/moshpit.mjs', ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, MOSHPIT_CONNECT_LOG: connectLog } });
  return { ...result, connections: readFileSync(connectLog, 'utf8').split('\n').filter((l) => l.startsWith('connect ') || l.startsWith('lookup ')) };
}

const remoteTarget = {
  storage: { connectionString: 'DefaultEndpointsProtocol=https;AccountName=moshpitguard;AccountKey=c2VjcmV0LWtleQ==;EndpointSuffix=core.windows.net' },
  serviceBus: { connectionString: 'Endpoint=sb://moshpit-guard.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=c2VjcmV0LXNi', tier: 'standard' },
};

describe('run --target safety guard', () => {
  it('refuses a non-loopback endpoint without --allow-remote: exit 2, one message, no connection, no output directory', () => {
    const target = join(dir, 'remote.json');
    writeFileSync(target, JSON.stringify(remoteTarget));
    const out = join(dir, 'out-refused');
    const result = cli(['run', 'scenarios/smoke.ts', '--tech', 'service-bus', '--target', target, '--out', out]);
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^moshpit: --target .*remote\.json: https:\/\/moshpitguard\.queue\.core\.windows\.net .*not a loopback address/);
    expect(lines[0]).toContain('moshpit-guard.servicebus.windows.net');
    expect(lines[0]).toContain('--allow-remote');
    expect(result.stderr).not.toContain('c2VjcmV0'); // no key in the message
    expect(result.connections).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('with --allow-remote --dry-run prints what it creates, the operations and an estimated cost, contacting nothing', () => {
    const target = join(dir, 'remote-allowed.json');
    writeFileSync(target, JSON.stringify(remoteTarget));
    const result = cli(['run', 'scenarios/smoke.ts', '--tech', 'service-bus', '--target', target, '--allow-remote', '--dry-run']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/service-bus: creates .*queues mp-[0-9a-f]{6}-sb-uploads, mp-[0-9a-f]{6}-sb-comments \(sessions\); topic mp-[0-9a-f]{6}-sb-song-added/);
    expect(result.stderr).toMatch(/sends 100 uploads \+ 200 comments .*about [\d,]+ broker operations/);
    expect(result.stderr).toMatch(/ESTIMATED cost ≈ \$\d+\.\d{4} USD \(list prices of \d{4}-\d{2}-\d{2}/);
    expect(result.stderr).toContain('https://azure.microsoft.com/pricing/details/service-bus/');
    expect(result.stderr).not.toContain('c2VjcmV0');
    expect(result.connections).toEqual([]);
  });

  it('reports every problem of a bad target file at once (exit 2, no stack trace)', () => {
    const target = join(dir, 'bad.json');
    writeFileSync(target, `{
      // comments are fine
      "storage": { "connectionString": "AccountName=x" },
      "serviceBus": { "connectionStringEnv": "MOSHPIT_TEST_UNSET_VAR", "tier": "gold" },
      "eventGrid": { "topics": { "uploads": { "endpoint": "nope" } } }
    }`);
    const result = cli(['run', 'scenarios/smoke.ts', '--target', target, '--tech', 'service-bus,event-grid']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/invalid target file \(\d+ problems\)/);
    for (const field of ['serviceBus.tier', 'eventGrid.topics.uploads.endpoint', 'storage.connectionString', 'MOSHPIT_TEST_UNSET_VAR', 'eventGrid.topics.comments', 'eventGrid.publicBaseUrl']) expect(result.stderr).toContain(field);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.connections).toEqual([]);
  });
});

describe('calibrate --target safety guard', () => {
  it('refuses a non-loopback endpoint without --allow-remote: exit 2, one message, no connection, no profile written', () => {
    const target = join(dir, 'calibrate-remote.json');
    writeFileSync(target, JSON.stringify(remoteTarget));
    const out = join(dir, 'calibrated.json');
    const result = cli(['calibrate', '--target', target, '--out', out]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/not a loopback address.*--allow-remote/);
    expect(result.stderr).not.toContain('c2VjcmV0');
    expect(result.connections).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });

  it('with --allow-remote --dry-run prints the calls, what it uses and an estimated cost, contacting nothing; bad flags exit 2', () => {
    const target = join(dir, 'calibrate-allowed.json');
    writeFileSync(target, JSON.stringify(remoteTarget));
    const result = cli(['calibrate', '--target', target, '--allow-remote', '--dry-run', '--ops', '50']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('storage-queue, service-bus; 50 calls per operation');
    expect(result.stderr).toMatch(/service-bus \(azure, standard\): times send, receive, complete/);
    expect(result.stderr).toMatch(/ESTIMATED cost ≈ \$\d+\.\d{4} USD/);
    expect(result.stderr).not.toContain('c2VjcmV0');
    expect(result.connections).toEqual([]);
    const bad = cli(['calibrate', '--target', target, '--ops', '0', '--tech', 'direct']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--ops 0: expected a whole number');
    expect(bad.stderr).toContain('"direct" cannot be calibrated');
    expect(bad.connections).toEqual([]);
  });
});
