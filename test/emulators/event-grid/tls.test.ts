import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startEventGrid, type RunningEventGrid } from '../../../fixtures/event-grid/emulator/server.ts';
import { control, startWebhook, webhookSubscription, type TestWebhook } from './helpers.ts';

const run = promisify(execFile);
const PUBLISHER = new URL('./tls-publisher.ts', import.meta.url).pathname;
let eg: RunningEventGrid | undefined;
let hook: TestWebhook | undefined;

afterAll(async () => {
  await eg?.close();
  await hook?.close();
});

describe('--tls', () => {
  it('serves https with a generated CA that works as NODE_EXTRA_CA_CERTS', async () => {
    eg = await startEventGrid({ config: { topics: [{ name: 'secure' }] }, inMemory: true, tls: true, log: () => undefined });
    hook = await startWebhook();
    const { endpoint, key } = eg.topics.secure!;
    expect(endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/topics\/secure\/api\/events$/);
    expect(eg.caPath).toBeDefined();
    await control(eg.controlUrl, 'PUT', '/topics/secure/subscriptions/s', webhookSubscription(hook.url));
    const ok = await run(process.execPath, ['--import', 'tsx', PUBLISHER, endpoint, key], { env: { ...process.env, NODE_EXTRA_CA_CERTS: eg.caPath }, timeout: 30_000 });
    expect(ok.stdout.trim()).toBe('sent');
    await hook.waitFor(() => hook!.deliveries.length === 1);
    // without the CA the certificate is refused: the test can fail
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    const refused = await run(process.execPath, ['--import', 'tsx', PUBLISHER, endpoint, key], { env, timeout: 30_000 }).catch((e: { stdout: string }) => e);
    expect(refused.stdout).toMatch(/failed: .*(certificate|self.signed)/i);
  });
});
