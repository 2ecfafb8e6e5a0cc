/**
 * The small integers the per-operation index (index.ts) stores per operation: its flags, how the
 * client saw a failure, its message flow; and the index's own metadata types. Apart from the
 * index so that readers of the codes (checkers, report shaping) need not load the index.
 */
/** Flags per operation (bit set). */
export const F = {
  INTENDED: 1,
  SENT: 2,
  ACKED: 4,
  /** `failed` with a definite 4xx: the api refused it, it never reached the broker */
  FAILED_DEFINITE: 8,
  /** `failed` with status 0 (no answer), 5xx or none: it may have been published */
  FAILED_INDETERMINATE: 16,
  DROPPED: 32,
  BROKER_ACK: 64,
  COMMITTED: 128,
  DEAD_LETTERED: 256,
  /** `drainPending`: still in doubt when the drain hit its limit (pending, not lost) */
  PENDING: 512,
} as const;

/**
 * What the client saw when an operation failed (its last `failed` record), as a small integer:
 * how a user would have experienced it. 0 = no failure seen.
 */
export const FAIL = { NONE: 0, TIMEOUT: 1, SERVER_ERROR: 2, REFUSED: 3, OTHER: 4 } as const;

/** timeout: no answer in time (client timeout, 504, 408); refused: no connection; 5xx; anything else (reset, 4xx). */
export function failKindOf(status: number | undefined, error: string | undefined): number {
  if (status === 504 || status === 408 || ((status === 0 || status === undefined) && error !== undefined && /timeout|timed out/i.test(error))) return FAIL.TIMEOUT;
  if (status !== undefined && status >= 500 && status < 600) return FAIL.SERVER_ERROR;
  if (error !== undefined && /ECONNREFUSED/.test(error)) return FAIL.REFUSED;
  return FAIL.OTHER;
}

/** Message flows as small integers (0 = not yet known, e.g. only fan-out records seen). */
export const FLOW_NONE = 0;
export const FLOW_UPLOADS = 1;
export const FLOW_COMMENTS = 2;
export type MessageFlowCode = typeof FLOW_UPLOADS | typeof FLOW_COMMENTS;

export interface FaultRecordWindow {
  id: string;
  target: string;
  type: string;
  startMs: number;
  endMs: number | null;
}

export interface IndexMeta {
  subscribers: string[];
  startedAtMs: number;
}
