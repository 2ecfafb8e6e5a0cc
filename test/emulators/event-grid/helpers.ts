/** Test webhook: answers the validation handshakes and records every delivery. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { controlKey } from '../../../fixtures/emulators/common/control-key.ts';
import { controlFetch } from '../../../runner/stack/control-client.ts';

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  events: Array<Record<string, unknown>>;
  receivedMs: number;
}

export interface TestWebhook {
  url: string;
  deliveries: Delivery[];
  validations: number;
  validationBodies: string[];
  /** delay before answering notifications (to provoke the response timeout) */
  delayMs: number | ((index: number) => number);
  /** status to answer notifications with (default 200); a function sees the delivery index */
  status: number | ((index: number, delivery: Delivery) => number);
  /** answer the handshake wrongly */
  refuseValidation: boolean;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhook(): Promise<TestWebhook> {
  const hook: TestWebhook = {
    url: '',
    deliveries: [],
    validations: 0,
    validationBodies: [],
    delayMs: 0,
    status: 200,
    refuseValidation: false,
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms (deliveries: ${hook.deliveries.length})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      hook.validations++;
      res.writeHead(200, hook.refuseValidation ? {} : { 'webhook-allowed-origin': String(req.headers['webhook-request-origin']) });
      return void res.end();
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const parsed = JSON.parse(body) as unknown;
      const events = (Array.isArray(parsed) ? parsed : [parsed]) as Array<Record<string, unknown>>;
      if (req.headers['aeg-event-type'] === 'SubscriptionValidation') {
        hook.validations++;
        hook.validationBodies.push(body);
        const code = (events[0]!.data as { validationCode: string }).validationCode;
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ validationResponse: hook.refuseValidation ? 'nope' : code }));
      }
      const delivery = { headers: req.headers, body, events, receivedMs: Date.now() };
      const index = hook.deliveries.push(delivery) - 1;
      const answer = (): void => {
        if (res.destroyed) return;
        res.writeHead(typeof hook.status === 'function' ? hook.status(index, delivery) : hook.status);
        res.end();
      };
      const delayMs = typeof hook.delayMs === 'function' ? hook.delayMs(index) : hook.delayMs;
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  hook.close = () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
  return hook;
}

export async function control(controlUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await controlFetch(`${controlUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000), key: controlKey() });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

export function webhookSubscription(url: string, extra: Record<string, unknown> = {}, properties: Record<string, unknown> = {}): Record<string, unknown> {
  return { destination: { endpointType: 'WebHook', properties: { endpointUrl: url, ...properties } }, ...extra };
}
