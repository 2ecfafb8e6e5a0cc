/**
 * The emulators each technology's stack starts, in a module of its own: the scenario validator
 * and every backend process read it, and importing stack.ts for it loaded the whole stack (the
 * target provisioning and every Azure SDK) into each of them, about a second of start-up each.
 */
import type { Tech } from '../techs.ts';
import type { EmulatorName } from '../../fixtures/emulators/registry.ts';

/** The emulators each technology's backend needs (storage always: claim-check blobs). */
export const TECH_EMULATORS: Record<Tech, EmulatorName[]> = {
  'storage-queue': ['storage'],
  'service-bus': ['storage', 'service-bus'],
  'event-hubs': ['storage', 'event-hubs'],
  'event-grid': ['storage', 'event-grid'],
  direct: [], // no broker; uploads travel inside the request, so no claim-check blobs either
};
