/** Shared setup for the Service Bus emulator tests: a small config with short locks. */
import { ServiceBusClient } from '@azure/service-bus';
import { startServiceBus, type ServiceBusEmulator, type ServiceBusOptions } from '../../../fixtures/service-bus/emulator/server.ts';

const q = (Name: string, Properties: Record<string, unknown> = {}) => ({ Name, Properties: { LockDuration: 'PT5S', MaxDeliveryCount: 3, ...Properties } });

export const TEST_CONFIG = {
  UserConfig: {
    Namespaces: [
      {
        Name: 'sbemulatorns',
        Queues: [
          q('q'),
          q('rad'),
          q('short', { LockDuration: 'PT1S' }),
          q('dlq-source'),
          q('dup', { RequiresDuplicateDetection: true, DuplicateDetectionHistoryTimeWindow: 'PT10S' }),
          q('ttl', { DefaultMessageTimeToLive: 'PT0.3S', DeadLetteringOnMessageExpiration: true }),
          q('small', { MaxMessageSizeInKilobytes: 4 }),
          q('sched'),
          q('fwd', { ForwardTo: 'fwd-target', ForwardDeadLetteredMessagesTo: 'fwd-dead' }),
          q('fwd-target'),
          q('fwd-dead'),
          q('sess', { RequiresSession: true, LockDuration: 'PT2S' }),
        ],
        Topics: [
          {
            Name: 't',
            Properties: {},
            Subscriptions: [
              { Name: 'all', Properties: { LockDuration: 'PT5S' } },
              { Name: 'corr', Properties: {}, Rules: [{ Name: 'red', Properties: { FilterType: 'Correlation', CorrelationFilter: { Label: 'red', Properties: { shade: 'dark' } } } }] },
              {
                Name: 'sql',
                Properties: {},
                Rules: [{ Name: 'big-blue', Properties: { FilterType: 'Sql', SqlFilter: { SqlExpression: "color = 'blue' AND size > 3 AND NOT (sys.Label LIKE 'x%') AND region IN ('eu','us') AND EXISTS(size) AND missing IS NULL" }, Action: { SqlExpression: "SET sys.Label = 'big'; SET tagged = 'yes'" } } }],
              },
            ],
          },
        ],
      },
    ],
  },
};

export async function withEmulator<T>(fn: (emu: ServiceBusEmulator, client: ServiceBusClient) => Promise<T>, options: ServiceBusOptions = {}): Promise<T> {
  const emu = await startServiceBus({ config: TEST_CONFIG, inMemory: true, ...options });
  const client = new ServiceBusClient(emu.connectionString, { retryOptions: { maxRetries: 1, retryDelayInMs: 100, timeoutInMs: 10_000 } });
  try {
    return await fn(emu, client);
  } finally {
    await client.close().catch(() => undefined);
    await emu.close();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
