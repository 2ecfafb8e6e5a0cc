/** Raw HTTP bad input (signed with an account SAS): one readable Azure error each, never a crash. */
import { describe, expect, it } from 'vitest';
import { AccountSASPermissions } from '@azure/storage-queue';
import type { RunningQueueService } from '../../../fixtures/storage-queue/emulator/server.ts';
import { newQueue, serviceClient, withInMemoryService } from './helpers.ts';

let service: RunningQueueService;
let sas: string;
let queueName: string;

withInMemoryService(async (started, client) => {
  service = started;
  sas = new URL(client.generateAccountSasUrl(new Date(Date.now() + 3600_000), AccountSASPermissions.parse('rwdlacup'), 'sco')).search.slice(1);
  queueName = (await newQueue(client, 'raw')).name;
});

async function call(method: string, path: string, query = '', body?: string, headers: Record<string, string> = {}): Promise<{ status: number; code: string | null; text: string }> {
  const url = `${service.queueEndpoint.replace(/\/devstoreaccount1$/, '')}${path}?${query ? `${query}&` : ''}${sas}`;
  const response = await fetch(url, { method, body, headers });
  return { status: response.status, code: response.headers.get('x-ms-error-code'), text: await response.text() };
}

describe('bad input on the data plane', () => {
  it('answers malformed message XML with 400 InvalidXmlDocument', async () => {
    const result = await call('POST', `/devstoreaccount1/${queueName}/messages`, '', '<QueueMessage><Nope/></QueueMessage>');
    expect(result).toMatchObject({ status: 400, code: 'InvalidXmlDocument' });
    expect(result.text).toMatch(/<Error><Code>InvalidXmlDocument<\/Code><Message>XML specified is not syntactically valid\./);
  });

  it('names the bad query parameter', async () => {
    const result = await call('GET', `/devstoreaccount1/${queueName}/messages`, 'numofmessages=lots');
    expect(result).toMatchObject({ status: 400, code: 'InvalidQueryParameterValue' });
    expect(result.text).toContain('<QueryParameterName>numofmessages</QueryParameterName>');
    expect(await call('PUT', `/devstoreaccount1/${queueName}/messages/some-id`, 'visibilitytimeout=0')).toMatchObject({ status: 400, code: 'MissingRequiredQueryParameter' });
    expect(await call('PUT', `/devstoreaccount1/${queueName}/messages/some-id`, 'popreceipt=x')).toMatchObject({ status: 400, code: 'MissingRequiredQueryParameter' });
  });

  it('rejects unknown paths, accounts, verbs and metadata names', async () => {
    expect(await call('GET', `/devstoreaccount1/${queueName}/elsewhere`)).toMatchObject({ status: 400, code: 'InvalidUri' });
    expect(await call('GET', '/otheraccount/queue1/messages')).toMatchObject({ status: 400, code: 'InvalidUri' });
    expect(await call('POST', `/devstoreaccount1/${queueName}`)).toMatchObject({ status: 405, code: 'UnsupportedHttpVerb' });
    expect(await call('PUT', `/devstoreaccount1/${queueName}`, 'comp=metadata', undefined, { 'x-ms-meta-bad-name': 'x' })).toMatchObject({ status: 400, code: 'InvalidMetadata' });
    expect(await call('GET', '/devstoreaccount1', 'comp=bogus')).toMatchObject({ status: 400, code: 'InvalidQueryParameterValue' });
  });

  it('refuses a request body over 1 MiB with 413 and keeps serving', async () => {
    const result = await call('POST', `/devstoreaccount1/${queueName}/messages`, '', 'x'.repeat(1024 * 1024 + 1));
    expect(result).toMatchObject({ status: 413, code: 'RequestBodyTooLarge' });
    expect((await call('GET', `/devstoreaccount1/${queueName}/messages`, 'peekonly=true')).status).toBe(200);
  });

  it('serves the default service properties the SDK asks for', async () => {
    const props = await serviceClient(service.queueEndpoint).getProperties();
    expect(props.minuteMetrics?.enabled).toBe(false);
  });
});
