/**
 * What one section of a target file is, and the pieces the sections are built from. Each
 * technology's profile brings the section of its broker (fixtures/<tech>/target-section.ts,
 * `target.section`): its key in the file (the same key as in the endpoints the emulators print,
 * so `moshpit emulators start --json` is a valid target file), its zod schema, its default tier
 * and how it resolves into endpoints, kinds, URLs (for the loopback guard) and secrets (kept out
 * of every output). schema.ts and resolve.ts put the sections together and name none.
 */
import { z } from 'zod';
import type { EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';
import { brokerEndpoint, connectionSecrets, isDevelopmentEmulator } from './connection.ts';

/** azure: a real namespace / account; microsoft-emulator: Microsoft's Docker emulators or Azurite; moshpit-emulator: `moshpit emulators start` */
export type TargetKind = 'azure' | 'microsoft-emulator' | 'moshpit-emulator';

/** A section's key in the target file and in the endpoints ("storage", "serviceBus", ...). */
export type TargetSection = string;

export interface FlowNames { uploads: string; comments: string; songAdded: string }

/** The entity names of the three flows when the file names none (the emulators' defaults). */
export const DEFAULT_NAMES: FlowNames = { uploads: 'uploads', comments: 'comments', songAdded: 'song-added' };

/** What the sections resolve into, written by each section's `resolve`. */
export interface ResolvedSections {
  endpoints: EmulatorEndpoints;
  kinds: Partial<Record<TargetSection, TargetKind>>;
  tiers: Partial<Record<TargetSection, string>>;
  /** entity names by section (Service Bus base names created as `<prefix>-<name>`, existing event hubs) */
  names: Partial<Record<TargetSection, FlowNames>>;
  /** where webhook deliveries reach this machine (a tunnel or a public host), when a section asks for it */
  publicBaseUrl?: string;
  /** every endpoint of the file, with the field it came from */
  urls: Array<{ field: string; url: string }>;
  /** values that must never be written anywhere (keys, signatures, whole connection strings) */
  secrets: string[];
}

export interface SectionContext {
  env: NodeJS.ProcessEnv;
  /** one line per problem, naming the field and the fix */
  problems: string[];
  out: ResolvedSections;
}

export interface TargetSectionSpec<S = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  key: TargetSection;
  /** a loose object: keys a later version adds never break a target file */
  schema: z.ZodType<S>;
  /** the tier when the section names none */
  defaultTier: string;
  /** a minimal section, for the error when a technology of the run needs it and the file lacks it */
  example: string;
  resolve(section: S, ctx: SectionContext): void;
}

// ---- schema pieces -------------------------------------------------------------------------

export const nameField = (what: string) => z.string({ error: `expected a string (${what})` }).min(1, { error: `must not be empty (${what})` });
export const urlField = (what: string) => z.url({ error: `expected an absolute URL (${what}), e.g. https://host:port` });
export const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name (letters, digits, _), e.g. SB_CONNECTION' });
export const tierField = <T extends readonly [string, ...string[]]>(tiers: T) => z.enum(tiers, { error: `expected one of ${tiers.join(', ')}` }).optional();

/** A connection string given inline or through an environment variable (exactly one: `connectionOf`). */
export const connectionFields = {
  connectionString: nameField('connection string').optional(),
  connectionStringEnv: envName.optional(),
};

/** Names of the three flows' entities; defaults are the emulators' (uploads, comments, song-added). */
export const flowNamesField = (what: string) =>
  z.strictObject({ uploads: nameField(`${what} of uploads`).optional(), comments: nameField(`${what} of comments`).optional(), songAdded: nameField(`${what} of song-added`).optional() }, { error: 'expected { uploads, comments, songAdded } names' }).optional();

// ---- resolution pieces ---------------------------------------------------------------------

/** The connection string of a section: inline or from its environment variable. */
export function connectionOf(section: { connectionString?: string; connectionStringEnv?: string }, field: string, env: NodeJS.ProcessEnv, problems: string[]): string | undefined {
  if (section.connectionString && section.connectionStringEnv) problems.push(`${field}: give connectionString or connectionStringEnv, not both`);
  if (section.connectionString) return section.connectionString;
  if (section.connectionStringEnv) {
    const value = env[section.connectionStringEnv];
    if (value) return value;
    problems.push(`${field}.connectionStringEnv: the environment variable ${section.connectionStringEnv} is not set; export it (e.g. export ${section.connectionStringEnv}="Endpoint=...") or give connectionString`);
    return undefined;
  }
  problems.push(`${field}: missing connectionString (or connectionStringEnv naming an environment variable that holds it)`);
  return undefined;
}

/** A secret given inline (`field`) or through an environment variable (`fieldEnv`). */
export function secretOf(value: string | undefined, envVar: string | undefined, field: string, env: NodeJS.ProcessEnv, problems: string[]): string | undefined {
  if (value) return value;
  const short = field.split('.').pop();
  if (envVar) {
    if (env[envVar]) return env[envVar];
    problems.push(`${field}Env: the environment variable ${envVar} is not set; export it or give ${short} inline`);
    return undefined;
  }
  problems.push(`${field}: missing (give ${short} or ${short}Env)`);
  return undefined;
}

/** The entity names a section gave (the defaults when it gave none). */
export const namesOf = (target: Pick<ResolvedSections, 'names'>, key: TargetSection): FlowNames => target.names[key] ?? DEFAULT_NAMES;

/**
 * An AMQP broker's section (a namespace connection string, inline or by variable, and moshpit's
 * control API when it is one of moshpit's emulators): its endpoints, its kind, its URLs and its
 * secrets. Answers the broker's endpoints, or undefined when the section has a problem.
 */
export function resolveAmqpBroker(given: { connectionString?: string; connectionStringEnv?: string; controlUrl?: string }, key: TargetSection, { env, problems, out }: SectionContext): { connectionString: string; controlUrl: string } | undefined {
  const cs = connectionOf(given, key, env, problems);
  const parsed = cs ? brokerEndpoint(cs) : undefined;
  if (parsed && 'problem' in parsed) problems.push(`${key}.connectionString ${parsed.problem}; copy it from the portal (Shared access policies) or from \`moshpit emulators start --json\``);
  if (!parsed || 'problem' in parsed || !cs) return undefined;
  out.kinds[key] = given.controlUrl ? 'moshpit-emulator' : isDevelopmentEmulator(cs) ? 'microsoft-emulator' : 'azure';
  out.urls.push({ field: `${key}.connectionString (Endpoint)`, url: parsed.endpoint });
  if (given.controlUrl) out.urls.push({ field: `${key}.controlUrl`, url: given.controlUrl });
  out.secrets.push(cs, ...connectionSecrets(cs));
  return { connectionString: cs, controlUrl: given.controlUrl ?? '' };
}
