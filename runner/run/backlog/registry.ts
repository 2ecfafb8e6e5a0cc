/** Which backlog probe answers for each technology (explicit registry; one module per technology). */
import type { Tech } from '../../techs.ts';
import { directBacklog } from './direct.ts';
import { eventGridBacklog } from './event-grid.ts';
import { eventHubsBacklog } from './event-hubs.ts';
import { serviceBusBacklog } from './service-bus.ts';
import { storageQueueBacklog } from './storage-queue.ts';
import type { BacklogProbe } from './types.ts';

export const BACKLOG_PROBES: Record<Tech, BacklogProbe> = {
  'storage-queue': storageQueueBacklog,
  'service-bus': serviceBusBacklog,
  'event-hubs': eventHubsBacklog,
  'event-grid': eventGridBacklog,
  direct: directBacklog,
};

export function backlogProbeFor(tech: Tech): BacklogProbe {
  return BACKLOG_PROBES[tech];
}
