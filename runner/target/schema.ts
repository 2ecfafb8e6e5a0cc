/**
 * The target file of `run --target FILE`: where each technology's broker is when moshpit does
 * not start its own emulators. One JSON (comments allowed) object, one section per technology
 * (and storage, which every technology needs for claim-check blobs):
 *
 *   { "storage":    { "connectionString": "...", "tier": "standard" },
 *     "serviceBus": { "connectionStringEnv": "SB_CONNECTION", "tier": "standard",
 *                     "entities": { "uploads": "uploads", "comments": "comments", "songAdded": "song-added" } },
 *     "eventHubs":  { "connectionString": "...", "hubs": { "uploads": "uploads", ... } },
 *     "eventGrid":  { "topics": { "uploads": { "endpoint": "https://...", "keyEnv": "EG_KEY" }, ... },
 *                     "publicBaseUrl": "https://my-tunnel.example.com" } }
 *
 * Three shapes are accepted: real Azure namespaces and accounts, Microsoft's emulators
 * (`UseDevelopmentEmulator=true`, `UseDevelopmentStorage=true`), and moshpit's own emulators
 * started separately: the JSON line `moshpit emulators start --json` prints is a valid target
 * file as it is (its controlUrl / managementUrl / caPath / controlKey keys are understood,
 * other keys ignored, so what later versions add to that line never breaks a target).
 * Each section is its technology's (fixtures/<tech>/target-section.ts, the profile's
 * `target.section`): this file puts them together. Loose objects on purpose; the semantic
 * checks (one of connectionString / -Env, env vars set, connection strings readable) are in the
 * sections' `resolve`, reported together with these by resolve.ts.
 */
import { z } from 'zod';
import { allProfiles } from '../../fixtures/technologies.ts';
import { envName, nameField, type TargetSectionSpec } from './sections.ts';

/** The sections the technologies bring, in registry order (storage first). */
export const targetSections = (): TargetSectionSpec[] => allProfiles().flatMap((p) => (p.target.section ? [p.target.section] : []));

let schema: z.ZodType<TargetFile> | undefined;

/** The target file's schema (built on first use: the profiles it reads import this kit). */
export function targetFileSchema(): z.ZodType<TargetFile> {
  if (schema) return schema;
  const sections = targetSections();
  const keys = sections.map((s) => s.key);
  schema = z.looseObject(
    {
      ...Object.fromEntries(sections.map((s) => [s.key, s.schema.optional()])),
      /** moshpit's emulators: the key their control APIs require (a secret) */
      controlKey: nameField('control key').optional(),
      controlKeyEnv: envName.optional(),
    },
    { error: `expected a JSON object with ${keys.slice(0, -1).join(', ')} and/or ${keys.at(-1)} sections` },
  ) as unknown as z.ZodType<TargetFile>;
  return schema;
}

/** A parsed target file: its sections by key (each its section's shape), and the control key. */
export interface TargetFile {
  [section: string]: unknown;
  controlKey?: string;
  controlKeyEnv?: string;
}
