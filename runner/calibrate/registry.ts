/**
 * The technologies `moshpit calibrate` measures, explicitly: per technology, the operations it
 * times (the latency keys of its tier files in profiles/tiers), those it cannot time, how it
 * measures, what it creates and how it cleans up, and the load it sends (for the estimate).
 */
import type { ProfiledTech } from '../../profiles/model.ts';
import type { PlannedLoad } from '../pricing/estimate.ts';
import type { Target } from '../target/resolve.ts';
import type { MeasureContext, Samples } from './samples.ts';
import { cleanServiceBus, measureServiceBus, SERVICE_BUS_OPERATIONS } from './service-bus.ts';
import { cleanStorage, measureStorage, STORAGE_OPERATIONS } from './storage-queue.ts';
import { cleanEventHubs, EVENT_HUBS_OPERATIONS, measureEventHubs } from './event-hubs.ts';
import { EVENT_GRID_NOT_MEASURED, EVENT_GRID_OPERATIONS, measureEventGrid } from './event-grid.ts';

export interface Calibrator {
  operations: readonly string[];
  /** latency keys of the tier this version cannot measure (the tier's estimate stays) */
  notMeasured: readonly string[];
  /** the endpoint field of the target whose host names the calibration */
  endpointField: string;
  creates(target: Target, prefix: string): string[];
  /** the broker load of `calls` iterations, in the estimate's terms (no namespace is created: no hourly charge) */
  load(calls: number): PlannedLoad;
  measure(ctx: MeasureContext, created: (what: string) => void): Promise<Samples>;
  clean(ctx: Pick<MeasureContext, 'target' | 'prefix'>): Promise<void>;
}

const none = async () => {};
const load = (calls: number, blobs = 0): PlannedLoad => ({ uploads: 0, comments: calls, subscribers: 0, blobUploads: blobs, hours: 0 });

export const CALIBRATORS: Record<ProfiledTech, Calibrator> = {
  'storage-queue': {
    operations: STORAGE_OPERATIONS, notMeasured: [], endpointField: 'storage (queue endpoint)',
    creates: (_t, prefix) => [`storage queue ${prefix}-calibrate`, `blob container ${prefix}-calibrate`],
    load: (calls) => load(calls, calls), measure: measureStorage, clean: cleanStorage,
  },
  'service-bus': {
    operations: SERVICE_BUS_OPERATIONS, notMeasured: [], endpointField: 'serviceBus.connectionString (Endpoint)',
    creates: (_t, prefix) => [`service-bus queue ${prefix}-calibrate`],
    load: (calls) => load(calls), measure: measureServiceBus, clean: cleanServiceBus,
  },
  'event-hubs': {
    operations: EVENT_HUBS_OPERATIONS, notMeasured: [], endpointField: 'eventHubs.connectionString (Endpoint)',
    creates: (t, prefix) => [`blob container ${prefix}-calibrate (checkpoints)`, `events on the existing event hub ${t.eventHubs.uploads}, partition 0 (property moshpitCalibrate; its consumers see them)`],
    load: (calls) => load(calls, calls), measure: measureEventHubs, clean: cleanEventHubs,
  },
  'event-grid': {
    operations: EVENT_GRID_OPERATIONS, notMeasured: EVENT_GRID_NOT_MEASURED, endpointField: 'eventGrid.topics.uploads.endpoint',
    creates: () => ['events of type moshpit.calibrate on the existing uploads topic (its subscribers receive them)'],
    load: (calls) => load(calls), measure: (ctx) => measureEventGrid(ctx), clean: none,
  },
};
