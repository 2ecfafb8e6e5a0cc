/** Shared Key and SAS authentication (account and queue SAS; permissions and expiry enforced). */
import { describe, expect, it } from 'vitest';
import {
  AccountSASPermissions, AccountSASResourceTypes, AccountSASServices, QueueClient, QueueSASPermissions, QueueServiceClient,
  type QueueServiceClient as ServiceClient,
} from '@azure/storage-queue';
import type { RunningQueueService } from '../../../fixtures/storage-queue/emulator/server.ts';
import { errorOf, newQueue, serviceClient, uniqueName, withInMemoryService } from './helpers.ts';

let service: RunningQueueService;
let client: ServiceClient;
const noRetry = { retryOptions: { maxTries: 1 } };
const inOneHour = (): Date => new Date(Date.now() + 3600_000);

withInMemoryService((started, sdk) => {
  service = started;
  client = sdk;
});

describe('Shared Key', () => {
  it('accepts the development key, with metadata headers and query parameters signed', async () => {
    const queue = await newQueue(client);
    await queue.setMetadata({ b_key: '1', a9: '2', Zeta: '3', _under: '4' });
    await queue.sendMessage('signed', { visibilityTimeout: 0, messageTimeToLive: 60 });
    expect((await queue.peekMessages({ numberOfMessages: 2 })).peekedMessageItems).toHaveLength(1);
  });

  it('rejects a wrong key with 403 AuthenticationFailed and no credentials with 401', async () => {
    const wrongKey = Buffer.alloc(64, 7).toString('base64');
    expect(await errorOf(serviceClient(service.queueEndpoint, wrongKey).createQueue(uniqueName()))).toEqual({ status: 403, code: 'AuthenticationFailed' });
    const anonymous = new QueueServiceClient(service.queueEndpoint, undefined, noRetry);
    expect(await errorOf(anonymous.createQueue(uniqueName()))).toEqual({ status: 401, code: 'NoAuthenticationInformation' });
  });
});

describe('account SAS', () => {
  function accountSasClient(permissions: string, resourceTypes: string, expiresOn = inOneHour(), services = 'q'): QueueServiceClient {
    const url = client.generateAccountSasUrl(
      expiresOn, AccountSASPermissions.parse(permissions), AccountSASResourceTypes.parse(resourceTypes).toString(),
      // `services` is honoured by the SDK (spread into the SAS values) but missing from its option type
      { services: AccountSASServices.parse(services).toString() } as unknown as Parameters<ServiceClient['generateAccountSasUrl']>[3],
    );
    return new QueueServiceClient(url, undefined, noRetry);
  }

  it('allows what its permissions and resource types grant', async () => {
    const sas = accountSasClient('rwdlacup', 'sco');
    const name = uniqueName('sas');
    await sas.createQueue(name);
    const names: string[] = [];
    for await (const q of sas.listQueues({ prefix: name })) names.push(q.name);
    expect(names).toEqual([name]);
    const queue = sas.getQueueClient(name);
    await queue.sendMessage('via account sas');
    const [m] = (await queue.receiveMessages()).receivedMessageItems;
    await queue.deleteMessage(m!.messageId, m!.popReceipt);
    await sas.deleteQueue(name);
  });

  it('refuses operations outside its permissions or resource types', async () => {
    const queue = await newQueue(client);
    const readOnly = accountSasClient('rl', 'sco');
    expect(await errorOf(readOnly.getQueueClient(queue.name).sendMessage('x'))).toEqual({ status: 403, code: 'AuthorizationPermissionMismatch' });
    expect(await errorOf(readOnly.createQueue(uniqueName()))).toEqual({ status: 403, code: 'AuthorizationPermissionMismatch' });
    expect((await readOnly.getQueueClient(queue.name).peekMessages()).peekedMessageItems).toEqual([]);
    const objectsOnly = accountSasClient('rwdlacup', 'o');
    expect(await errorOf(objectsOnly.createQueue(uniqueName()))).toEqual({ status: 403, code: 'AuthorizationResourceTypeMismatch' });
    await objectsOnly.getQueueClient(queue.name).sendMessage('objects ok');
    const blobOnly = accountSasClient('rwdlacup', 'sco', inOneHour(), 'b');
    expect(await errorOf(blobOnly.getQueueClient(queue.name).sendMessage('x'))).toEqual({ status: 403, code: 'AuthenticationFailed' });
  });

  it('refuses an expired SAS and a tampered one', async () => {
    const expired = accountSasClient('rwdlacup', 'sco', new Date(Date.now() - 60_000));
    expect(await errorOf(expired.createQueue(uniqueName()))).toEqual({ status: 403, code: 'AuthenticationFailed' });
    const url = client.generateAccountSasUrl(inOneHour(), AccountSASPermissions.parse('r'), 'sco');
    const tampered = new QueueServiceClient(url.replace('sp=r', 'sp=rwdlacup'), undefined, noRetry);
    expect(await errorOf(tampered.createQueue(uniqueName()))).toEqual({ status: 403, code: 'AuthenticationFailed' });
  });
});

describe('queue SAS', () => {
  async function queueSasClient(queue: QueueClient, permissions: string, expiresOn = inOneHour()): Promise<QueueClient> {
    const url = await queue.generateSasUrl({ permissions: QueueSASPermissions.parse(permissions), expiresOn });
    return new QueueClient(url, undefined, noRetry);
  }

  it('allows add/process/update/read as granted and refuses the rest', async () => {
    const queue = await newQueue(client);
    const adder = await queueSasClient(queue, 'a');
    await adder.sendMessage('from a producer');
    expect(await errorOf(adder.receiveMessages())).toEqual({ status: 403, code: 'AuthorizationPermissionMismatch' });
    expect(await errorOf(adder.peekMessages())).toEqual({ status: 403, code: 'AuthorizationPermissionMismatch' });
    const reader = await queueSasClient(queue, 'r');
    expect((await reader.peekMessages()).peekedMessageItems[0]?.messageText).toBe('from a producer');
    expect((await reader.getProperties()).approximateMessagesCount).toBe(1);
    const worker = await queueSasClient(queue, 'pu');
    const [m] = (await worker.receiveMessages()).receivedMessageItems;
    const updated = await worker.updateMessage(m!.messageId, m!.popReceipt, 'touched', 30);
    await worker.deleteMessage(m!.messageId, updated.popReceipt!);
    expect(await errorOf(worker.delete())).toEqual({ status: 403, code: 'AuthorizationPermissionMismatch' });
  });

  it('is bound to its queue and its expiry', async () => {
    const queue = await newQueue(client);
    const other = await newQueue(client);
    const sas = await queueSasClient(queue, 'raup');
    const url = new URL(sas.url);
    url.pathname = url.pathname.replace(queue.name, other.name);
    expect(await errorOf(new QueueClient(url.toString(), undefined, noRetry).sendMessage('x'))).toEqual({ status: 403, code: 'AuthenticationFailed' });
    const expired = await queueSasClient(queue, 'raup', new Date(Date.now() - 60_000));
    expect(await errorOf(expired.sendMessage('x'))).toEqual({ status: 403, code: 'AuthenticationFailed' });
  });
});
