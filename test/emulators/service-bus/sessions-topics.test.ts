import { describe, expect, it } from 'vitest';
import { isServiceBusError } from '@azure/service-bus';
import { withEmulator } from './helpers.ts';

describe('service-bus emulator: sessions', { timeout: 20_000 }, () => {
  it('accepts named and next sessions, keeps FIFO per session, session state, never two holders', async () => {
    await withEmulator(async (_emu, client) => {
      const sender = client.createSender('sess');
      await sender.sendMessages([
        { body: 'a1', sessionId: 'A' }, { body: 'b1', sessionId: 'B' }, { body: 'a2', sessionId: 'A' }, { body: 'b2', sessionId: 'B' }, { body: 'a3', sessionId: 'A' },
      ]);
      const a = await client.acceptSession('sess', 'A');
      expect(a.sessionLockedUntilUtc!.getTime()).toBeGreaterThan(Date.now());
      const err = await client.acceptSession('sess', 'A').then(() => undefined, (e: unknown) => e);
      expect(isServiceBusError(err) && err.code).toBe('SessionCannotBeLocked');
      const next = await client.acceptNextSession('sess');
      expect(next.sessionId).toBe('B');
      const fromA = await a.receiveMessages(5, { maxWaitTimeInMs: 2000 });
      expect(fromA.map((m) => m.body)).toEqual(['a1', 'a2', 'a3']);
      for (const m of fromA) await a.completeMessage(m);
      await a.setSessionState({ step: 3 });
      expect(await a.getSessionState()).toEqual({ step: 3 });
      const renewed = await a.renewSessionLock();
      expect(renewed.getTime()).toBeGreaterThan(Date.now());
      const fromB = await next.receiveMessages(5, { maxWaitTimeInMs: 2000 });
      expect(fromB.map((m) => m.body)).toEqual(['b1', 'b2']);
      await next.abandonMessage(fromB[0]);
      await next.close();
      const again = await client.acceptSession('sess', 'B');
      const redelivered = await again.receiveMessages(5, { maxWaitTimeInMs: 2000 });
      expect(redelivered.map((m) => m.body)).toEqual(['b1', 'b2']);
      expect(redelivered[0].deliveryCount).toBeGreaterThan(0);
      await a.close();
    });
  });
});

describe('service-bus emulator: topics and subscriptions', { timeout: 20_000 }, () => {
  it('fans out to every matching subscription with correlation and SQL filters and actions', async () => {
    await withEmulator(async (_emu, client) => {
      const sender = client.createSender('t');
      await sender.sendMessages([
        { body: 'plain' },
        { body: 'red-dark', subject: 'red', applicationProperties: { shade: 'dark' } },
        { body: 'red-light', subject: 'red', applicationProperties: { shade: 'light' } },
        { body: 'big-blue', applicationProperties: { color: 'blue', size: 5, region: 'eu' } },
        { body: 'small-blue', applicationProperties: { color: 'blue', size: 2, region: 'eu' } },
        { body: 'x-blue', subject: 'xray', applicationProperties: { color: 'blue', size: 5, region: 'us' } },
      ]);
      const read = async (sub: string) => (await client.createReceiver('t', sub, { receiveMode: 'receiveAndDelete' }).receiveMessages(10, { maxWaitTimeInMs: 1500 }));
      expect((await read('all')).map((m) => m.body)).toHaveLength(6);
      expect((await read('corr')).map((m) => m.body)).toEqual(['red-dark']);
      const sql = await read('sql');
      expect(sql.map((m) => m.body)).toEqual(['big-blue']);
      expect(sql[0].subject).toBe('big');
      expect(sql[0].applicationProperties?.tagged).toBe('yes');
    });
  });

  it('lists, adds and removes rules with the rule manager', async () => {
    await withEmulator(async (_emu, client) => {
      const rules = client.createRuleManager('t', 'sql');
      const list = async () => {
        const names: string[] = [];
        for await (const r of rules.listRules()) names.push(r.name);
        return names.sort();
      };
      expect(await list()).toEqual(['big-blue']);
      await rules.createRule('vip', { sqlExpression: "tier = 'gold' OR tier = 'platinum'" });
      await rules.createRule('by-corr', { correlationId: 'c-1', applicationProperties: { k: 'v' } });
      await rules.deleteRule('big-blue');
      expect(await list()).toEqual(['by-corr', 'vip']);
      const sender = client.createSender('t');
      await sender.sendMessages([{ body: 1, applicationProperties: { tier: 'gold' } }, { body: 2, correlationId: 'c-1', applicationProperties: { k: 'v' } }, { body: 3 }]);
      const got = await client.createReceiver('t', 'sql', { receiveMode: 'receiveAndDelete' }).receiveMessages(10, { maxWaitTimeInMs: 1500 });
      expect(got.map((m) => m.body)).toEqual([1, 2]);
    });
  });
});
