/**
 * The emulators' one control-API kit: the runner's broker faults, as runner/faults/broker.ts
 * posts them, parse with each emulator's schema (the same zod schemas, no renaming), and the
 * kit's server answers key, JSON, schema, size, route and handler problems with the status and
 * one message naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ControlError, ControlReply, startControlApi, type RunningControlApi } from '../../fixtures/emulators/common/control-api.ts';
import { controlKey } from '../../fixtures/emulators/common/control-key.ts';
import { faultBodySchema, throttleFaultSchema, disableFaultSchema } from '../../runner/contracts/control-api.ts';
import { eventGridFaultSchema } from '../../fixtures/event-grid/emulator/faults.ts';
import { eventHubsFaultSchema } from '../../fixtures/event-hubs/emulator/control.ts';
import { serviceBusFaultSchema } from '../../fixtures/service-bus/emulator/control.ts';
import { queueFaultSchema } from '../../fixtures/storage-queue/emulator/control.ts';
import { controlBodies } from '../../runner/faults/broker.ts';
import { faultEntrySchema } from '../../runner/faults/spec.ts';
import { controlFetch } from '../../runner/stack/control-client.ts';

const runnerFault = (fault: Record<string, unknown>) => faultEntrySchema.parse({ at: '1s', target: 'broker', fault }).fault;

const FAULTS: Record<string, Record<string, unknown>> = {
  throttle: { type: 'throttle', ratio: 0.5 },
  'throttle-entity': { type: 'throttle', entity: 'uploads', ratio: 1 },
  disable: { type: 'disable', entity: 'comments' },
  'disable-send': { type: 'disable', entity: 'comments', state: 'SendDisabled' },
  'drop-connections': { type: 'drop-connections' },
  'partition-offline': { type: 'partition-offline', entity: 'comments', partition: '1' },
  'pause-delivery': { type: 'pause-delivery', subscription: 'subscriber-1' },
};

const EMULATORS: Array<{ member: string; schema: z.ZodType; supports: string[] }> = [
  { member: 'emulator-storage', schema: queueFaultSchema, supports: ['throttle', 'throttle-entity'] },
  { member: 'emulator-service-bus', schema: serviceBusFaultSchema, supports: ['throttle', 'throttle-entity', 'disable', 'disable-send', 'drop-connections'] },
  { member: 'emulator-event-hubs', schema: eventHubsFaultSchema, supports: ['throttle', 'throttle-entity', 'disable', 'disable-send', 'drop-connections', 'partition-offline'] },
  { member: 'emulator-event-grid', schema: eventGridFaultSchema, supports: ['throttle', 'throttle-entity', 'disable', 'pause-delivery'] },
];

describe('broker fault bodies: one vocabulary', () => {
  for (const { member, schema, supports } of EMULATORS) {
    it(`${member} parses every body the runner posts for the faults it supports`, () => {
      for (const name of supports) {
        for (const body of controlBodies(runnerFault(FAULTS[name]!), member)) {
          const parsed = schema.safeParse(JSON.parse(JSON.stringify(body)));
          expect(parsed.error?.issues, `${member} ${name} ${JSON.stringify(body)}`).toBeUndefined();
          expect(parsed.data).toMatchObject(body);
        }
      }
    });
  }
});

describe('the control-API server', () => {
  const schema = faultBodySchema([throttleFaultSchema, disableFaultSchema], ['throttle', 'disable']);
  let api: RunningControlApi;
  beforeAll(async () => {
    api = await startControlApi({
      maxBodyBytes: 1024,
      fieldStyle: 'quoted',
      routes: [
        { method: 'GET', path: '/health', handle: () => ({ status: 'ok' }) },
        { method: 'POST', path: '/faults', body: schema, example: '{"type":"throttle","ratio":0.5}', status: 201, handle: ({ body }) => body },
        { method: 'GET', path: /^\/things\/([^/]+)$/, label: '/things/{name}', handle: ({ params: [name] }) => (name === 'new' ? new ControlReply(202, { name }) : { name }) },
        { method: 'DELETE', path: '/refused', handle: () => { throw new ControlError(409, 'Conflict', '"thing": busy'); } },
        { method: 'DELETE', path: '/broken', handle: () => { throw new Error('boom'); } },
      ],
    }, '127.0.0.1', 0);
  });
  afterAll(() => api?.close());

  const call = async (method: string, path: string, body?: string, key: string | null = controlKey()) => {
    const response = await controlFetch(`${api.url}${path}`, { method, body, key: key ?? undefined });
    return { status: response.status, json: (await response.json()) as { error?: string } & Record<string, unknown> };
  };

  it('needs the control key on every route but GET /health', async () => {
    expect(await call('GET', '/health', undefined, null)).toEqual({ status: 200, json: { status: 'ok' } });
    expect((await call('POST', '/faults', '{"type":"throttle","ratio":1}', null)).status).toBe(401);
    expect((await call('GET', '/things/a', undefined, 'wrong')).json.error).toContain('x-moshpit-control-key');
  });

  it('parses bodies with the schema and names the field of the first problem', async () => {
    expect(await call('POST', '/faults', '{"type":"disable","entity":"q"}')).toEqual({ status: 201, json: { type: 'disable', entity: 'q', state: 'Disabled' } });
    expect(await call('POST', '/faults', 'not json')).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^body: not valid JSON.*send for example \{"type":"throttle"/) } });
    expect(await call('POST', '/faults', '"text"')).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^body: expected a JSON object such as/) } });
    expect(await call('POST', '/faults', '{"type":"melt"}')).toMatchObject({ status: 400, json: { error: '"type": unknown fault type "melt"; known types: throttle, disable' } });
    expect(await call('POST', '/faults', '{"type":"throttle","ratio":2}')).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^"ratio": expected a number from 0 to 1/) } });
    expect(await call('POST', '/faults', '{"type":"throttle","ratio":1,"extra":1}')).toMatchObject({ status: 400, json: { error: '"extra": unknown field; allowed: type, entity, ratio' } });
    expect(await call('POST', '/faults', JSON.stringify({ type: 'throttle', ratio: 1, entity: 'x'.repeat(2000) }))).toMatchObject({ status: 413, json: { error: expect.stringMatching(/^body: \d+ bytes is larger than .* 1024 bytes/) } });
  });

  it('matches pattern routes, answers handler errors with their status, 500 for the unexpected, 404 listing the routes', async () => {
    expect(await call('GET', '/things/a%20b')).toEqual({ status: 200, json: { name: 'a b' } });
    expect(await call('GET', '/things/new')).toEqual({ status: 202, json: { name: 'new' } });
    expect(await call('DELETE', '/refused')).toEqual({ status: 409, json: { error: '"thing": busy' } });
    expect(await call('DELETE', '/broken')).toEqual({ status: 500, json: { error: 'boom' } });
    const missing = await call('PUT', '/faults');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toBe('no control route PUT /faults; known: GET /health, POST /faults, GET /things/{name}, DELETE /refused, DELETE /broken');
  });
});
