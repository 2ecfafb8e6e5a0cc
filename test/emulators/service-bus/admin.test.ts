/**
 * The Service Bus emulator's ATOM management API, driven by the official
 * ServiceBusAdministrationClient (@azure/service-bus) unmodified: the same connection string
 * for data and admin (the SDK sends admin requests to the connection string's host:port),
 * the management port of its own (as Microsoft's emulator serves one on 5300), Azure's errors,
 * and entities created through it kept across a restart. Config.json with comments, as
 * Microsoft ships its emulator's, is accepted.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RestError } from '@azure/core-rest-pipeline';
import { ServiceBusAdministrationClient, ServiceBusClient } from '@azure/service-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceBus, type ServiceBusEmulator } from '../../../fixtures/service-bus/emulator/server.ts';
import { readJsonc } from '../../../fixtures/emulators/common/jsonc.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'moshpit-sb-admin-'));
let emu: ServiceBusEmulator;
let admin: ServiceBusAdministrationClient;

function adminFor(connectionString: string, caPath: string): ServiceBusAdministrationClient {
  // the SDK's admin client speaks https; trust the emulator's certificate (NODE_EXTRA_CA_CERTS does the same for a process)
  return new ServiceBusAdministrationClient(connectionString, { tlsOptions: { ca: readFileSync(caPath, 'utf8') } } as never);
}

beforeAll(async () => {
  emu = await startServiceBus({ dataDir });
  admin = adminFor(emu.connectionString, emu.caPath);
});
afterAll(async () => {
  await emu?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function errorOf(p: Promise<unknown>): Promise<RestError> {
  try {
    await p;
  } catch (error) {
    return error as RestError;
  }
  throw new Error('expected the call to fail');
}

describe('Service Bus management API (ServiceBusAdministrationClient)', () => {
  it('creates, reads, counts and deletes a queue; data and admin share one connection string', async () => {
    const made = await admin.createQueue('made', { maxDeliveryCount: 4, lockDuration: 'PT7S' });
    expect([made.name, made.maxDeliveryCount, made.lockDuration]).toEqual(['made', 4, 'PT7S']);
    const client = new ServiceBusClient(emu.connectionString);
    try {
      await client.createSender('made').sendMessages({ body: 'hi' });
      const runtime = await admin.getQueueRuntimeProperties('made');
      expect(runtime.activeMessageCount).toBe(1);
      const [received] = await client.createReceiver('made').receiveMessages(1, { maxWaitTimeInMs: 5000 });
      expect(received?.body).toBe('hi');
    } finally {
      await client.close();
    }
    const names: string[] = [];
    for await (const q of admin.listQueues()) names.push(q.name);
    expect(names).toEqual(expect.arrayContaining(['made', 'uploads', 'comments']));
    expect((await admin.getQueue('made')).lockDuration).toBe('PT7S');
    await admin.deleteQueue('made');
    expect(await admin.queueExists('made')).toBe(false);
  });

  it('answers with Azure status codes and error codes', async () => {
    await admin.createQueue('twice');
    const conflict = await errorOf(admin.createQueue('twice'));
    expect([conflict.statusCode, conflict.code]).toEqual([409, 'MessageEntityAlreadyExistsError']);
    const missing = await errorOf(admin.getQueue('nope'));
    expect([missing.statusCode, missing.code]).toEqual([404, 'MessageEntityNotFoundError']);
    const wrongKey = adminFor(emu.connectionString.replace(/SharedAccessKey=[^;]+/, 'SharedAccessKey=wrong'), emu.caPath);
    expect((await errorOf(wrongKey.getQueue('twice'))).statusCode).toBe(401);
  });

  it('manages topics, subscriptions and SQL and correlation rules that filter real messages', async () => {
    await admin.createTopic('admin-t');
    await admin.createSubscription('admin-t', 'blue', { defaultRuleOptions: { name: 'only-blue', filter: { sqlExpression: "color = 'blue'" } } });
    await admin.createSubscription('admin-t', 'corr');
    await admin.deleteRule('admin-t', 'corr', '$Default');
    await admin.createRule('admin-t', 'corr', 'by-id', { correlationId: 'c-1', applicationProperties: { shade: 'dark' } });
    const rule = await admin.getRule('admin-t', 'corr', 'by-id');
    expect(rule.filter).toMatchObject({ correlationId: 'c-1', applicationProperties: { shade: 'dark' } });
    const rules: string[] = [];
    for await (const r of admin.listRules('admin-t', 'blue')) rules.push(r.name);
    expect(rules).toEqual(['only-blue']);
    const client = new ServiceBusClient(emu.connectionString);
    try {
      await client.createSender('admin-t').sendMessages([
        { body: 'b', applicationProperties: { color: 'blue' } },
        { body: 'r', applicationProperties: { color: 'red' } },
        { body: 'c', correlationId: 'c-1', applicationProperties: { shade: 'dark' } },
      ]);
      const blue = await client.createReceiver('admin-t', 'blue').receiveMessages(5, { maxWaitTimeInMs: 1500 });
      const corr = await client.createReceiver('admin-t', 'corr').receiveMessages(5, { maxWaitTimeInMs: 1500 });
      expect(blue.map((m) => m.body)).toEqual(['b']);
      expect(corr.map((m) => m.body)).toEqual(['c']);
    } finally {
      await client.close();
    }
  });

  it('serves the same API on its own management port, with /health', async () => {
    const health = await fetch(`${emu.managementUrl}/health`);
    expect(health.status).toBe(200);
    const port = new URL(emu.managementUrl).port;
    const viaPort = adminFor(emu.connectionString.replace(/sb:\/\/[^;]+/, `sb://127.0.0.1:${port}`), emu.caPath);
    await viaPort.createQueue('via-management-port');
    expect(await admin.queueExists('via-management-port')).toBe(true);
  });

  it('keeps entities created through it across a restart of a durable emulator', async () => {
    await admin.createQueue('kept', { maxDeliveryCount: 6 });
    await emu.close();
    emu = await startServiceBus({ dataDir });
    admin = adminFor(emu.connectionString, emu.caPath);
    expect((await admin.getQueue('kept')).maxDeliveryCount).toBe(6);
    expect(await admin.queueExists('made')).toBe(false);
  });
});

describe('Config.json with comments (as Microsoft ships it)', () => {
  const commented = `{
  // Microsoft's emulator Config.json carries comments like these
  "UserConfig": {
    "Namespaces": [
      {
        "Name": "sbemulatorns",
        /* one queue */
        "Queues": [ { "Name": "from-jsonc", "Properties": { "MaxDeliveryCount": 7, }, }, ],
        "Topics": []
      }
    ],
    "Logging": { "Type": "File" }
  }
}`;

  it('is read and its entities exist', async () => {
    const jsonc = await startServiceBus({ inMemory: true, config: readJsonc(commented, 'Config.json') });
    try {
      const client = adminFor(jsonc.connectionString, jsonc.caPath);
      expect((await client.getQueue('from-jsonc')).maxDeliveryCount).toBe(7);
    } finally {
      await jsonc.close();
    }
  });

  it('a mistake is reported with the file, line and column', () => {
    const file = join(dataDir, 'bad.json');
    writeFileSync(file, commented.replace('"Topics": []', '"Topics": [] "Oops": 1'));
    expect(() => readJsonc(readFileSync(file, 'utf8'), file)).toThrow(/bad\.json: line 9, column \d+: .*JSON/);
  });
});
