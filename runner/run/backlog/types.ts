/**
 * Broker backlog probing for the drain: one narrow interface, one small module per technology
 * (see registry.ts). A probe reads its emulator's control API (and, for Event Hubs, where the
 * consumers got to, from their histories) and answers what is still waiting in the run's
 * entities. The drain is quiescent only when every backlog is empty.
 */
import type { EmulatorEndpoints } from '../../../fixtures/emulators/endpoints.ts';
import type { Flow } from '../../contracts/flows.ts';

/** Something still waiting in one entity of the run. */
export interface Backlog {
  /** the broker's entity name (queue, subscription, hub/consumer, topic/subscription) */
  entity: string;
  /** the flow it carries: uploads and comments go to workers, song-added to subscribers */
  flow: Flow;
  /** messages / events still waiting (ready, locked, scheduled, in retry, not yet delivered) */
  count: number;
  /** the breakdown, e.g. "active 2, locked 1" */
  detail: string;
}

/**
 * Highest partition sequence number each consumer received or checkpointed, from the workers'
 * and subscribers' histories: consumer = the flow for workers ("uploads", "comments"), the
 * subscriber's name for subscribers; then partition id -> sequence number.
 */
export type ReceivedPositions = ReadonlyMap<string, ReadonlyMap<string, number>>;

export interface BacklogContext {
  endpoints: EmulatorEndpoints;
  received: ReceivedPositions;
  subscribers: readonly string[];
}

export interface BacklogProbe {
  /** names the emulator, for "could not read the backlog of ..." */
  readonly emulator: string;
  /** non-empty backlogs only; throws when the control API does not answer */
  read(context: BacklogContext): Promise<Backlog[]>;
}

/** The flow an entity name carries (names hold "uploads", "comments" or "song-added"); undefined for other entities. */
export function flowOfEntity(name: string): Flow | undefined {
  const n = name.toLowerCase();
  if (n.includes('song-added')) return 'song-added';
  if (n.includes('comments')) return 'comments';
  if (n.includes('uploads')) return 'uploads';
  return undefined;
}

/** "active 2, locked 1" from the non-zero parts. */
export function detailOf(parts: Record<string, number>): string {
  return Object.entries(parts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
}

export function requireUrl(url: string | undefined, emulator: string): string {
  if (!url) throw new Error(`${emulator}: no control API URL in the stack's endpoints`);
  return url;
}
