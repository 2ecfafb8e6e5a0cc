/**
 * Target files (pure, no connection): the line `moshpit emulators start --json` prints is a
 * valid target; Azure and Microsoft-emulator shapes resolve; a bad file reports every problem
 * at once; the loopback guard; faults a target cannot have; secrets collected for redaction.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTarget } from '../../runner/target/resolve.ts';
import { checkRemote, remoteUrls, targetIssues } from '../../runner/target/preflight.ts';
import { isLoopbackHost, storageAccount } from '../../runner/target/connection.ts';
import { runEndpoints, techPrefix } from '../../runner/target/provision.ts';
import { validateScenario } from '../../runner/scenario/loader.ts';
import { UserError } from '../../runner/contracts/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'moshpit-target-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (value: unknown) => {
  const path = join(dir, `t${n++}.json`);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};
const ALL = ['storage-queue', 'service-bus', 'event-hubs', 'event-grid'] as const;
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** The shape `moshpit emulators start --json` prints (ports and keys vary). */
const emulatorLine = {
  storage: { connectionString: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${DEV_KEY};BlobEndpoint=http://127.0.0.1:33969/devstoreaccount1;QueueEndpoint=http://127.0.0.1:44351/devstoreaccount1;`, queueEndpoint: 'http://127.0.0.1:44351/devstoreaccount1', blobEndpoint: 'http://127.0.0.1:33969/devstoreaccount1', controlUrl: 'http://127.0.0.1:34391' },
  serviceBus: { connectionString: 'Endpoint=sb://127.0.0.1:45947;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;', controlUrl: 'http://127.0.0.1:42213', managementUrl: 'http://127.0.0.1:37149', caPath: '/tmp/x/cert.pem', websocketUrl: 'ws://127.0.0.1:37857/$servicebus/websocket' },
  eventHubs: { connectionString: 'Endpoint=sb://127.0.0.1:40409;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;', controlUrl: 'http://127.0.0.1:35235' },
  eventGrid: { topics: { uploads: { endpoint: 'http://127.0.0.1:42883/topics/uploads/api/events', key: 'k-up' }, comments: { endpoint: 'http://127.0.0.1:42883/topics/comments/api/events', key: 'k-co' }, 'song-added': { endpoint: 'http://127.0.0.1:42883/topics/song-added/api/events', key: 'k-sa' } }, controlUrl: 'http://127.0.0.1:39999' },
  controlKey: 'ck-123',
  someFutureKey: { anything: true },
};

function problemsOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected a UserError');
}

const scenario = (faults: unknown[] = []) => validateScenario({ name: 't', description: 'd', duration: '10s', load: { uploads: { rate: 5, sizeBytes: { min: 1024, max: 131072 } }, comments: { rate: 10, songs: 3 } }, faults }, 't');

describe('target files', () => {
  it('accepts the emulators ready line as it is: moshpit-emulator kinds, loopback, secrets collected', () => {
    const target = loadTarget(file(emulatorLine), ALL);
    expect(target.kinds).toEqual({ storage: 'moshpit-emulator', serviceBus: 'moshpit-emulator', eventHubs: 'moshpit-emulator', eventGrid: 'moshpit-emulator' });
    expect(remoteUrls(target, ALL)).toEqual([]);
    expect(target.secrets).toEqual(expect.arrayContaining([DEV_KEY, 'SAS_KEY_VALUE', 'k-up', 'k-sa', 'ck-123']));
    const sb = runEndpoints({ tech: 'service-bus', target, prefix: techPrefix('mp-abc123', 'service-bus') });
    expect(sb.serviceBus?.entities).toEqual({ uploads: 'mp-abc123-sb-uploads', comments: 'mp-abc123-sb-comments', songAdded: 'mp-abc123-sb-song-added' });
    expect(sb.storage?.songsContainer).toBe('mp-abc123-sb-songs');
    expect(sb.eventHubs).toBeUndefined();
  });

  it("resolves Azure and Microsoft's emulator shapes, connection strings from environment variables, comments allowed", () => {
    const text = `{
      // a real namespace and Microsoft's Azurite / Service Bus emulator
      "storage": { "connectionString": "UseDevelopmentStorage=true" },
      "serviceBus": { "connectionStringEnv": "MY_SB", "tier": "premium" },
      "eventHubs": { "connectionString": "Endpoint=sb://myns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=s3cr3t", "hubs": { "uploads": "up" } },
    }`;
    const target = loadTarget(file(text), ['service-bus', 'event-hubs'], { MY_SB: 'Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;' });
    expect(target.kinds).toEqual({ storage: 'microsoft-emulator', serviceBus: 'microsoft-emulator', eventHubs: 'azure' });
    expect(target.tiers.serviceBus).toBe('premium');
    expect(target.names.eventHubs).toEqual({ uploads: 'up', comments: 'comments', songAdded: 'song-added' });
    expect(target.endpoints.storage?.queueEndpoint).toBe('http://127.0.0.1:10001/devstoreaccount1');
    expect(remoteUrls(target, ['service-bus'])).toEqual([]);
    expect(remoteUrls(target, ['event-hubs']).map((u) => u.url)).toEqual(['sb://myns.servicebus.windows.net/']);
    expect(target.secrets).toContain('s3cr3t');
  });

  it('reports every problem of a bad file at once, each with its field', () => {
    const message = problemsOf(() => loadTarget(file({
      storage: { connectionString: 'AccountName=x' },
      serviceBus: { connectionStringEnv: 'NOT_SET_ANYWHERE', tier: 'gold' },
      eventHubs: { connectionString: 'Endpoint=http://x' },
      eventGrid: { topics: { uploads: { endpoint: 'not a url' } } },
    }), ALL, {}));
    expect(message).toMatch(/^--target .*invalid target file \(\d+ problems?\)/);
    expect(message).toContain('serviceBus.tier');
    expect(message).toContain('eventGrid.topics.uploads.endpoint');
    // the schema's problems and the semantic ones together
    expect(message).toContain('storage.connectionString has no AccountKey');
    expect(message).toContain('NOT_SET_ANYWHERE is not set');
    expect(message).toContain('eventGrid.topics.comments: missing');
    const second = problemsOf(() => loadTarget(file({ storage: { connectionString: 'AccountName=x' }, serviceBus: { connectionStringEnv: 'NOT_SET_ANYWHERE' }, eventHubs: { connectionString: 'Endpoint=http://x' }, eventGrid: { topics: {} } }), ALL, {}));
    expect(second).toContain('storage.connectionString has no AccountKey');
    expect(second).toContain('NOT_SET_ANYWHERE is not set');
    expect(second).toContain('eventHubs.connectionString Endpoint');
    expect(second).toContain('eventGrid.topics.comments: missing');
    expect(second).toContain('eventGrid.publicBaseUrl: missing');
    expect(second.split('\n').filter((l) => l.startsWith('  - ')).length).toBeGreaterThanOrEqual(6);
  });

  it('names the sections the chosen technologies need', () => {
    const message = problemsOf(() => loadTarget(file({ serviceBus: emulatorLine.serviceBus }), ['service-bus', 'event-hubs']));
    expect(message).toContain('storage: missing; service-bus, event-hubs need it');
    expect(message).toContain('eventHubs: missing; event-hubs needs it');
    expect(problemsOf(() => loadTarget(join(dir, 'nope.json'), ALL))).toContain('is not a file');
    expect(problemsOf(() => loadTarget(file('{ nope'), ALL))).toContain('not valid JSON');
  });
});

describe('the safety guard and what a target cannot do', () => {
  it('refuses a non-loopback endpoint without --allow-remote: one message naming the endpoint and the flag', () => {
    const target = loadTarget(file({ ...emulatorLine, serviceBus: { connectionString: 'Endpoint=sb://prod.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=x' } }), ALL);
    const message = problemsOf(() => checkRemote(target, ALL, false));
    expect(message).toContain('sb://prod.servicebus.windows.net/');
    expect(message).toContain('--allow-remote');
    expect(message.split('\n')).toHaveLength(1);
    expect(() => checkRemote(target, ALL, true)).not.toThrow();
    expect(() => checkRemote(target, ['storage-queue'], false)).not.toThrow(); // that section is not used
  });

  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '[::1]', '::1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['10.0.0.1', 'myns.servicebus.windows.net', '0.0.0.0', '192.168.1.1', 'localhost.evil.com']) expect(isLoopbackHost(host), host).toBe(false);
    expect(storageAccount('AccountName=acct;AccountKey=k')).toMatchObject({ queueEndpoint: 'https://acct.queue.core.windows.net', blobEndpoint: 'https://acct.blob.core.windows.net' });
  });

  it('refuses broker faults (naming Azure Chaos Studio) and basic Service Bus', () => {
    const target = loadTarget(file({ ...emulatorLine, serviceBus: { ...emulatorLine.serviceBus, tier: 'basic' } }), ALL);
    const issues = targetIssues(target, scenario([
      { at: '1s', for: '2s', target: 'broker', fault: { type: 'kill' } },
      { at: '1s', target: 'broker', fault: { type: 'throttle', ratio: 0.5 } },
      { at: '1s', for: '2s', target: 'worker-uploads-1', fault: { type: 'kill' } },
      { at: '1s', for: '2s', target: 'broker', fault: { type: 'latency', latencyMs: 100 } },
    ]), ALL);
    expect(issues.filter((i) => i.includes('Azure Chaos Studio')).map((i) => i.split(':')[0])).toEqual(['faults.0', 'faults.1']);
    expect(issues.some((i) => i.startsWith('serviceBus.tier'))).toBe(true);
    expect(issues).toHaveLength(3); // the worker kill and the loopback network fault are fine
  });
});
