/**
 * The toxics, listed explicitly: adding one is one file in this folder plus one line here. The
 * scenario schema, the fault starter, the API body parser and the proxy's pipes ask this list.
 */
import type { ToxicDefinition } from './toxic.ts';
import { latency } from './latency.ts';
import { bandwidth } from './bandwidth.ts';
import { slowClose } from './slow-close.ts';
import { timeout } from './timeout.ts';
import { resetPeer } from './reset-peer.ts';
import { slicer } from './slicer.ts';
import { limitData } from './limit-data.ts';
import { down } from './down.ts';
import { partition } from './partition.ts';

export const TOXICS = [latency, bandwidth, slowClose, timeout, resetPeer, slicer, limitData, down, partition] as const;

export type ToxicType = (typeof TOXICS)[number]['type'];
export const TOXIC_TYPES: ToxicType[] = TOXICS.map((t) => t.type);

/** Attribute names and defaults per toxic type (Toxiproxy's units: ms, KB/s, bytes, µs). */
export const TOXIC_ATTRIBUTES = Object.fromEntries(TOXICS.map((t) => [t.type, t.attributes])) as Record<ToxicType, Record<string, number>>;

/** The tuple of the toxics' scenario schemas (spec.ts builds them, with zod, for its discriminated union). */
export type ToxicScenarioSchemas<T extends readonly unknown[] = typeof TOXICS> = { [K in keyof T]: T[K] extends { scenario(zod: never): infer S } ? S : never };

const BY_TYPE = new Map<string, ToxicDefinition>(TOXICS.map((t) => [t.type, t as unknown as ToxicDefinition]));

export function isToxicType(value: unknown): value is ToxicType {
  return typeof value === 'string' && BY_TYPE.has(value);
}

/** The toxic of that type; throws for an unknown one (callers validate names first). */
export function toxicDefinition(type: string): ToxicDefinition {
  const found = BY_TYPE.get(type);
  if (!found) throw new Error(`unknown toxic type "${type}"; known: ${TOXIC_TYPES.join(', ')}`);
  return found;
}

/** Whether a toxic acts on the given direction (partition acts on both). */
export function actsOn(toxic: { type: string; stream: string }, stream: string): boolean {
  return toxicDefinition(toxic.type).bothStreams === true || toxic.stream === stream;
}
