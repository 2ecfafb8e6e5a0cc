/**
 * The messaging technologies moshpit knows about. `implemented` says whether the music
 * backend has a transport for it yet; the scenario schema accepts only known names and the
 * runner refuses unimplemented ones with a message that says so.
 */
export const TECHS = ['storage-queue', 'service-bus', 'event-hubs', 'event-grid'] as const;
export type Tech = (typeof TECHS)[number];

export const IMPLEMENTED_TECHS: readonly Tech[] = ['storage-queue'];

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
