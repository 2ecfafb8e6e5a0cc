/**
 * What a toxic is, as the interfaces every toxic file implements and the proxy's pipes call.
 * This file imports no toxic, no registry and no proxy code, so the toxic files, the registry,
 * the connection and its directions can all depend on it without an import circle.
 */
import type { z } from 'zod';

export type ToxicStream = 'upstream' | 'downstream';

/** A toxic on a proxy, in Toxiproxy's JSON shape (attribute names and units as Toxiproxy's). */
export interface Toxic {
  name: string;
  type: string;
  stream: ToxicStream;
  toxicity: number;
  attributes: Record<string, number>;
}

/** What a toxic's pipe may do to the connection it sits on (one direction of it). */
export interface PipeContext {
  /** true while the toxic applies to this connection (not removed, connection open) */
  isActive(toxic: Toxic): boolean;
  /** waits until `deadlineMs` (performance.now() clock), the toxic's removal or the connection's close */
  hold(toxic: Toxic, deadlineMs?: number): Promise<void>;
  /** graceful close after pending writes: both peers see EOF */
  end(): void;
  /** abortive close: TCP RST to both peers when `reset`, otherwise a plain destroy */
  destroy(reset: boolean): void;
  /** this direction's own numbers for the toxic (bandwidth's next slot, limit_data's sent bytes), empty at first */
  state(toxic: Toxic): Record<string, number>;
}

/** Passes data on to the next toxic of the chain (or to the socket after the last). */
export type Next = (data: Buffer) => Promise<void>;

/** How a toxic that Toxiproxy lacks runs on an existing Toxiproxy server. */
export type ToxiproxyFallback =
  /** disable the proxies (Toxiproxy closes the listener and every connection) */
  | { disableProxies: true }
  /** add this Toxiproxy toxic on each of `streams` instead */
  | { substitute: { type: string; attributes: Record<string, number> }; streams: ToxicStream[] };

/**
 * One toxic: its Toxiproxy attributes, its scenario fault and how it maps onto the attributes,
 * and its pipe (what it does to the bytes and the connection). Optional parts are absent when
 * the toxic does not need them.
 */
export interface ToxicDefinition<Type extends string = string, Scenario extends z.ZodObject = z.ZodObject> {
  type: Type;
  /** Toxiproxy attribute names with their defaults (units in the toxic's file) */
  attributes: Record<string, number>;
  /**
   * the scenario's `fault: { type, ... }` for this toxic, field names with units. Built with the
   * zod it is given, so that the fault proxy, which never parses scenarios, does not load zod
   * (about 200 ms of CPU at every proxy start).
   */
  scenario(zod: typeof z): Scenario;
  /** scenario fault → Toxiproxy attributes */
  toAttributes(fault: z.output<Scenario>): Record<string, number>;
  /**
   * "stream": on the scenario's stream(s) with its toxicity; "whole": one toxic for the whole
   * connection on every connection (the scenario fault has no stream or toxicity)
   */
  scope: 'stream' | 'whole';
  /** cross-field checks of an API body's attributes (after each is checked to be a number >= 0) */
  check?(attributes: Record<string, number>, errors: string[]): void;
  /** a chunk through this toxic; absent: data passes unchanged */
  pipe?(ctx: PipeContext, toxic: Toxic, data: Buffer, arrivalMs: number, next: Next): Promise<void>;
  /** runs before the end of the stream is passed on (slow_close) */
  beforeEnd?(ctx: PipeContext, toxic: Toxic): Promise<void>;
  /** runs when it starts applying to a connection; a returned timer is cleared when it is removed */
  onApply?(toxic: Toxic, close: (reset: boolean) => void): NodeJS.Timeout | undefined;
  /** acts on both directions whatever its stream */
  bothStreams?: boolean;
  /** the proxy stops listening (and drops every connection) while it is present */
  closesListener?: boolean;
  /** how it runs on an existing Toxiproxy server, which lacks it */
  onToxiproxy?: ToxiproxyFallback;
}

/** Keeps each toxic file's literal type and scenario schema while checking it against the interface. */
export function defineToxic<const Type extends string, Scenario extends z.ZodObject>(definition: ToxicDefinition<Type, Scenario>): ToxicDefinition<Type, Scenario> {
  return definition;
}
