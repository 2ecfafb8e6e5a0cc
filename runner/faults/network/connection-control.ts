/**
 * What a direction needs from its connection. Its own file so that connection.ts (which makes
 * the two directions) and direction.ts (which calls back into the connection) do not import
 * each other.
 */
import type { Toxic } from './toxics/toxic.ts';

export interface ConnectionControl {
  readonly closed: boolean;
  /** true while the toxic applies to this connection (rolled in, not removed, connection open) */
  isActive(toxic: Toxic): boolean;
  /** waits until `deadlineMs` (performance.now() clock), the toxic is removed, or the connection closes */
  hold(toxic: Toxic, deadlineMs?: number): Promise<void>;
  /** graceful close after pending writes: both peers see EOF */
  end(): void;
  /** abortive close: TCP RST to both peers when `reset`, otherwise a plain destroy */
  destroy(reset: boolean): void;
}
