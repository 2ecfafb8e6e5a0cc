/**
 * Event Grid calibration: publish, one event at a time, to the target's uploads topic (event
 * type moshpit.calibrate; the topic's subscribers receive them). Push delivery is not measured:
 * it needs an event subscription pointing at a webhook this machine serves, which this version
 * does not create on Azure; the profile keeps the tier's pushDelivery estimate and says so.
 */
import { AzureKeyCredential, EventGridPublisherClient } from '@azure/eventgrid';
import { body, recorder, type MeasureContext, type Samples } from './samples.ts';

export const EVENT_GRID_OPERATIONS = ['publish'] as const;
export const EVENT_GRID_NOT_MEASURED = ['pushDelivery'] as const;

export async function measureEventGrid(ctx: MeasureContext): Promise<Samples> {
  const topic = ctx.target.endpoints.eventGrid!.topics.uploads!;
  const client = new EventGridPublisherClient(topic.endpoint, 'EventGrid', new AzureKeyCredential(topic.key), { allowInsecureConnection: topic.endpoint.startsWith('http:') });
  const rec = recorder(ctx, EVENT_GRID_OPERATIONS);
  for (let i = 0; i < ctx.warmup + ctx.ops; i++) {
    await rec.time('publish', i, () => client.send([{ eventType: 'moshpit.calibrate', subject: `${ctx.prefix}/${i}`, dataVersion: '1', data: { payload: body(ctx.bodyBytes) } }]));
    ctx.tick();
  }
  return rec.samples;
}
