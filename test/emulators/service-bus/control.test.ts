import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceBusClient, isServiceBusError } from '@azure/service-bus';
import { isServiceBusConfig, parseServiceBusConfig } from '../../../fixtures/service-bus/emulator/config.ts';
import { withEmulator } from './helpers.ts';
import { controlKey } from '../../../fixtures/emulators/common/control-key.ts';
import { controlFetch } from '../../../runner/stack/control-client.ts';

/** the SDK wraps retried failures in an AggregateError */
const codeOf = (e: unknown): unknown => (e instanceof AggregateError ? codeOf(e.errors.at(-1)) : isServiceBusError(e) ? e.code : e);
const post = (url: string, body: unknown) => controlFetch(`${url}/faults`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), key: controlKey() });

describe('service-bus emulator: control API and faults', { timeout: 30_000 }, () => {
  it('reports health and entity counts, throttles, disables and clears', async () => {
    await withEmulator(async (emu, client) => {
      expect(await (await controlFetch(`${emu.controlUrl}/health`)).json()).toEqual({ status: 'ok' });
      const sender = client.createSender('q');
      await sender.sendMessages([{ body: 1 }, { body: 2 }]);
      const { entities } = (await (await controlFetch(`${emu.controlUrl}/entities`, { key: controlKey() })).json()) as { entities: { name: string; active: number }[] };
      expect(entities.find((e) => e.name === 'q')?.active).toBe(2);

      expect((await post(emu.controlUrl, { type: 'throttle', entity: 'q', ratio: 1 })).status).toBe(200);
      const busy = await sender.sendMessages({ body: 3 }).then(() => undefined, (e: unknown) => e);
      expect(codeOf(busy)).toBe('ServiceBusy');

      expect((await post(emu.controlUrl, { type: 'disable', entity: 'q', state: 'SendDisabled' })).status).toBe(200);
      await controlFetch(`${emu.controlUrl}/faults`, { method: 'DELETE', key: controlKey() });
      await post(emu.controlUrl, { type: 'disable', entity: 'q', state: 'SendDisabled' });
      const disabled = await sender.sendMessages({ body: 4 }).then(() => undefined, (e: unknown) => e);
      expect(codeOf(disabled)).toBe('MessagingEntityDisabled');
      await controlFetch(`${emu.controlUrl}/faults`, { method: 'DELETE', key: controlKey() });
      await sender.sendMessages({ body: 5 });

      const bad = await post(emu.controlUrl, { type: 'throttle', entity: 'q', ratio: 3 });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/ratio/);
      expect((await post(emu.controlUrl, 'not json')).status).toBe(400);
      expect((await post(emu.controlUrl, { type: 'disable', entity: 'nope', state: 'Disabled' })).status).toBe(400);

      expect((await post(emu.controlUrl, { type: 'drop-connections' })).status).toBe(200);
      await sender.sendMessages({ body: 6 }); // the SDK reconnects
    }, { });
  });

  it('serves at least 200 concurrent connections', async () => {
    await withEmulator(async (emu) => {
      const clients = Array.from({ length: 200 }, () => new ServiceBusClient(emu.connectionString));
      try {
        await Promise.all(clients.map((c, i) => c.createSender('rad').sendMessages({ body: i })));
        const { entities } = (await (await controlFetch(`${emu.controlUrl}/entities`, { key: controlKey() })).json()) as { entities: { name: string; active: number }[] };
        expect(entities.find((e) => e.name === 'rad')?.active).toBe(200);
      } finally {
        await Promise.all(clients.map((c) => c.close()));
      }
    });
  });
});

describe('service-bus config (Microsoft Config.json format)', () => {
  it('parses the shipped config and names entity and property on errors', () => {
    const shipped = JSON.parse(readFileSync(join(import.meta.dirname, '../../../fixtures/service-bus/config.json'), 'utf8'));
    expect(isServiceBusConfig(shipped)).toBe(true);
    expect(isServiceBusConfig({ UserConfig: { EventHubs: [] } })).toBe(false);
    const parsed = parseServiceBusConfig(shipped);
    expect(parsed.queues.map((q) => [q.name, q.requiresSession])).toEqual([['uploads', false], ['comments', true]]);
    expect(parsed.topics[0].subscriptions.map((s) => s.name)).toEqual(['subscriber-1', 'subscriber-2', 'subscriber-3', 'subscriber-4']);
    const bad = (props: Record<string, unknown>) => () => parseServiceBusConfig({ UserConfig: { Namespaces: [{ Name: 'ns', Queues: [{ Name: 'orders', Properties: props }] }] } });
    expect(bad({ LockDuration: '1 minute' })).toThrow(/queue "orders".*LockDuration/);
    expect(bad({ MaxDeliveryCount: 0 })).toThrow(/queue "orders".*MaxDeliveryCount/);
    expect(bad({ ForwardTo: 'missing' })).toThrow(/"orders".*ForwardTo/);
    expect(() => parseServiceBusConfig({ UserConfig: { Namespaces: [{ Name: 'ns', Topics: [{ Name: 't', Subscriptions: [{ Name: 's', Rules: [{ Name: 'r', Properties: { FilterType: 'Sql', SqlFilter: {} } }] }] }] }] } }))
      .toThrow(/topic "t" subscription "s" rule "r".*SqlFilter/);
    expect(() => parseServiceBusConfig({ UserConfig: { Namespaces: [{ Name: 'ns', Topics: [{ Name: 't', Subscriptions: [{ Name: 's', Rules: [{ Name: 'r', Properties: { FilterType: 'Sql', SqlFilter: { SqlExpression: "color = 'red' AND (" } } }] }] }] }] } }))
      .toThrow(/rule "r".*SqlFilter.SqlExpression.*does not parse/);
  });
});
