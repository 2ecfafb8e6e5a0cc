import { EventHubProducerClient, EventHubConsumerClient, EventHubBufferedProducerClient, earliestEventPosition } from '@azure/event-hubs';
import { startEventHubs } from '../../../fixtures/emulators/event-hubs/server.ts';
const eh = await startEventHubs({ inMemory: true });
try {
  const p = new EventHubProducerClient(eh.connectionString, 'comments');
  await p.sendBatch([{ body: 1 }, { body: 2 }, { body: 3 }], { partitionId: '0' });
  const c = new EventHubConsumerClient('$Default', eh.connectionString, 'comments');
  const sub = c.subscribe('0', { processEvents: async (evs, ctx) => { console.log(evs.length, evs.map(e=>[e.sequenceNumber, e.offset]), JSON.stringify(ctx.lastEnqueuedEventProperties)); }, processError: async (e) => console.log('ERR', e.message) }, { startPosition: earliestEventPosition, trackLastEnqueuedEventProperties: true, maxWaitTimeInSeconds: 1 });
  await new Promise((r) => setTimeout(r, 2500));
  await sub.close(); await c.close();
  const b = new EventHubBufferedProducerClient(eh.connectionString, 'uploads', { maxWaitTimeInMs: 60000, onSendEventsErrorHandler: (ctx) => console.log('buffered error', ctx.error) });
  for (let i = 0; i < 5; i++) await b.enqueueEvent({ body: i }, { partitionKey: `k${i % 3}` });
  console.log('enqueued');
  const t = Date.now();
  await b.flush();
  console.log('flushed', Date.now() - t);
  await b.close();
  await p.close();
} finally { await eh.close(); }
