/**
 * The messaging technologies moshpit knows about. Which of them are implemented is decided by
 * the music backend's transport registry (fixtures/music-backend/transports/registry.ts); the
 * scenario schema accepts only known names and the runner refuses unimplemented ones.
 */
import type { EmulatorName } from '../fixtures/emulators/registry.ts';

export const TECHS = ['storage-queue', 'service-bus', 'event-hubs', 'event-grid', 'direct'] as const;
export type Tech = (typeof TECHS)[number];

/**
 * Whether a broker carries uploads and comments to worker processes. `direct` has none: the
 * api stores them itself inside the request (the system before any messaging), so its stack
 * starts no workers and has no "broker" to aim a fault at.
 */
export const TECH_HAS_BROKER: Record<Tech, boolean> = {
  'storage-queue': true,
  'service-bus': true,
  'event-hubs': true,
  'event-grid': true,
  direct: false,
};

/**
 * The emulators each technology's stack starts, in order (storage always: claim-check blobs).
 * A light copy of the profiles' (fixtures/<tech>/profile.ts `emulators`, test/registry checks
 * they are equal): the scenario validator and every backend process read it, and the registry
 * loads every SDK (a second of start-up in each of them).
 */
export const TECH_EMULATORS: Record<Tech, EmulatorName[]> = {
  'storage-queue': ['storage'],
  'service-bus': ['storage', 'service-bus'],
  'event-hubs': ['storage', 'event-hubs'],
  'event-grid': ['storage', 'event-grid'],
  direct: [], // no broker; uploads travel inside the request, so no claim-check blobs either
};

export function isTech(name: string): name is Tech {
  return (TECHS as readonly string[]).includes(name);
}

/** The flows of the music backend and their kind (message vs event). */
export const FLOWS = ['uploads', 'comments', 'song-added'] as const;
export type Flow = (typeof FLOWS)[number];
export const FLOW_KIND: Record<Flow, 'message' | 'event'> = {
  uploads: 'message',
  comments: 'message',
  'song-added': 'event',
};
