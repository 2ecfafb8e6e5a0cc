import { EventHubConsumerClient, type EventHubClientOptions, type EventPosition, type ReceivedEventData, type SubscribeOptions } from '@azure/event-hubs';

export const FAST_RETRY = { maxRetries: 1, retryDelayInMs: 100, maxRetryDelayInMs: 200, timeoutInMs: 5000 };

export function config(entities: Array<Record<string, unknown>>): unknown {
  return { UserConfig: { NamespaceConfig: [{ Type: 'EventHub', Name: 'ns', Entities: entities }] } };
}

export interface Received {
  partitionId: string;
  event: ReceivedEventData;
}

/** Subscribes to one partition (or all) and collects until `count` events arrived or `timeoutMs` passed. */
export async function collect(
  connectionString: string,
  hub: string,
  options: { group?: string; partitionId?: string; count: number; timeoutMs?: number; startPosition?: EventPosition; subscribe?: SubscribeOptions; client?: EventHubClientOptions },
): Promise<Received[]> {
  const client = new EventHubConsumerClient(options.group ?? '$Default', connectionString, hub, options.client ?? { retryOptions: FAST_RETRY });
  const got: Received[] = [];
  const errors: unknown[] = [];
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const timer = setTimeout(done, options.timeoutMs ?? 8000);
  const handlers = {
    processEvents: async (events: ReceivedEventData[], context: { partitionId: string }) => {
      for (const event of events) got.push({ partitionId: context.partitionId, event });
      if (got.length >= options.count) done();
    },
    processError: async (error: Error) => {
      errors.push(error);
    },
  };
  const subscribeOptions: SubscribeOptions = { maxWaitTimeInSeconds: 1, startPosition: options.startPosition, ...options.subscribe };
  const subscription = options.partitionId === undefined
    ? client.subscribe(handlers, subscribeOptions)
    : client.subscribe(options.partitionId, handlers, subscribeOptions);
  try {
    await finished;
  } finally {
    clearTimeout(timer);
    await subscription.close();
    await client.close();
  }
  return got;
}

export const bodies = (received: Received[]) => received.map((r) => r.event.body);
