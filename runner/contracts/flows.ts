/**
 * The flows of the music backend and their kind (a message, which its sender expects processed,
 * vs an event, a notification that fans out): one list the runner, the backend, the checkers and
 * the technologies' profiles share.
 */
export const FLOWS = ['uploads', 'comments', 'song-added'] as const;
export type Flow = (typeof FLOWS)[number];
export const FLOW_KIND: Record<Flow, 'message' | 'event'> = {
  uploads: 'message',
  comments: 'message',
  'song-added': 'event',
};
