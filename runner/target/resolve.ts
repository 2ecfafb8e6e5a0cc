/**
 * Loads a target file (schema.ts) and resolves it into what a run needs: the endpoints handed
 * to the music backend (the same shape moshpit's emulators print), the entity names, which kind
 * of broker each section is, every endpoint (for the loopback guard) and every secret (to keep
 * out of results, reports, logs and history). Nothing here connects anywhere.
 *
 * Every problem of the file, and of the file against the technologies of the run, is reported
 * at once as one UserError (exit 2), each naming its field and the fix.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { z } from 'zod';
import { UserError } from '../contracts/errors.ts';
import type { Tech } from '../techs.ts';
import { readJsonc } from '../../fixtures/emulators/common/jsonc.ts';
import type { EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';
import { formatIssues } from '../scenario/loader.ts';
import { targetFileSchema, type TargetFile } from './schema.ts';
import { profileOf } from '../../fixtures/technologies.ts';
import { brokerEndpoint, connectionSecrets, isDevelopmentEmulator, storageAccount } from './connection.ts';

export type TargetSection = 'storage' | 'serviceBus' | 'eventHubs' | 'eventGrid';
/** azure: a real namespace / account; microsoft-emulator: Microsoft's Docker emulators or Azurite; moshpit-emulator: `moshpit emulators start` */
export type TargetKind = 'azure' | 'microsoft-emulator' | 'moshpit-emulator';

export interface FlowNames { uploads: string; comments: string; songAdded: string }

export interface Target {
  /** the file as the user named it */
  file: string;
  endpoints: EmulatorEndpoints;
  kinds: Partial<Record<TargetSection, TargetKind>>;
  tiers: Partial<Record<TargetSection, string>>;
  /** Service Bus base names (created as `<prefix>-<name>`) */
  serviceBusEntities: FlowNames;
  /** existing event hubs */
  eventHubs: FlowNames;
  publicBaseUrl?: string;
  /** every endpoint of the file, with the field it came from */
  urls: Array<{ field: string; url: string }>;
  /** values that must never be written anywhere (keys, signatures, whole connection strings) */
  secrets: string[];
}

/** The sections a technology's run needs (storage always: claim-check blobs, checkpoints, dead-letters); the last is the broker's. */
export const sectionsOf = (tech: Tech): readonly TargetSection[] => profileOf(tech).target.sections;

/** The section of a technology's broker (the last of its sections). */
export const brokerSectionOf = (tech: Tech): TargetSection => sectionsOf(tech).at(-1)!;

/** The target's tier of a technology's broker (standard when the file names none). */
export const brokerTierOf = (target: Target, tech: Tech): string => target.tiers[brokerSectionOf(tech)] ?? 'standard';

const DEFAULT_NAMES: FlowNames = { uploads: 'uploads', comments: 'comments', songAdded: 'song-added' };
const EVENT_GRID_TOPICS = ['uploads', 'comments', 'song-added'] as const;

type Problems = string[];

/** The connection string of a section: inline or from its environment variable. */
function connectionOf(section: { connectionString?: string; connectionStringEnv?: string }, field: string, env: NodeJS.ProcessEnv, problems: Problems): string | undefined {
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

function secretOf(value: string | undefined, envName: string | undefined, field: string, env: NodeJS.ProcessEnv, problems: Problems): string | undefined {
  if (value) return value;
  if (envName) {
    if (env[envName]) return env[envName];
    problems.push(`${field}Env: the environment variable ${envName} is not set; export it or give ${field.split('.').pop()} inline`);
    return undefined;
  }
  problems.push(`${field}: missing (give ${field.split('.').pop()} or ${field.split('.').pop()}Env)`);
  return undefined;
}

function resolveSections(file: TargetFile, env: NodeJS.ProcessEnv, problems: Problems): Omit<Target, 'file'> {
  const endpoints: EmulatorEndpoints = {};
  const kinds: Target['kinds'] = {};
  const tiers: Target['tiers'] = {};
  const urls: Target['urls'] = [];
  const secrets: string[] = [];
  const controlKey = file.controlKey ?? (file.controlKeyEnv ? env[file.controlKeyEnv] : undefined);
  if (file.controlKeyEnv && !controlKey) problems.push(`controlKeyEnv: the environment variable ${file.controlKeyEnv} is not set`);
  if (controlKey) endpoints.controlKey = controlKey, secrets.push(controlKey);
  if (file.storage) {
    const cs = connectionOf(file.storage, 'storage', env, problems);
    const account = cs ? storageAccount(cs) : undefined;
    if (account && 'problem' in account) problems.push(`storage.connectionString ${account.problem}; copy it from the portal (Storage account > Access keys) or use UseDevelopmentStorage=true`);
    else if (account && cs) {
      const queueEndpoint = file.storage.queueEndpoint ?? account.queueEndpoint;
      const blobEndpoint = file.storage.blobEndpoint ?? account.blobEndpoint;
      endpoints.storage = { connectionString: account.connectionString, queueEndpoint, blobEndpoint, ...(file.storage.controlUrl ? { controlUrl: file.storage.controlUrl } : {}) };
      kinds.storage = file.storage.controlUrl ? 'moshpit-emulator' : account.development ? 'microsoft-emulator' : 'azure';
      urls.push({ field: 'storage (queue endpoint)', url: queueEndpoint }, { field: 'storage (blob endpoint)', url: blobEndpoint });
      if (file.storage.controlUrl) urls.push({ field: 'storage.controlUrl', url: file.storage.controlUrl });
      secrets.push(cs, account.connectionString, ...connectionSecrets(cs));
    }
    tiers.storage = file.storage.tier ?? 'standard';
  }
  for (const section of ['serviceBus', 'eventHubs'] as const) {
    const given = file[section];
    if (!given) continue;
    const cs = connectionOf(given, section, env, problems);
    const parsed = cs ? brokerEndpoint(cs) : undefined;
    if (parsed && 'problem' in parsed) problems.push(`${section}.connectionString ${parsed.problem}; copy it from the portal (Shared access policies) or from \`moshpit emulators start --json\``);
    else if (parsed && cs) {
      const broker = { connectionString: cs, controlUrl: given.controlUrl ?? '' };
      if (section === 'serviceBus') endpoints.serviceBus = { ...broker, ...(file.serviceBus?.managementUrl ? { managementUrl: file.serviceBus.managementUrl } : {}), ...(file.serviceBus?.caPath ? { caPath: file.serviceBus.caPath } : {}) };
      else endpoints.eventHubs = broker;
      kinds[section] = given.controlUrl ? 'moshpit-emulator' : isDevelopmentEmulator(cs) ? 'microsoft-emulator' : 'azure';
      urls.push({ field: `${section}.connectionString (Endpoint)`, url: parsed.endpoint });
      if (given.controlUrl) urls.push({ field: `${section}.controlUrl`, url: given.controlUrl });
      if (section === 'serviceBus' && file.serviceBus?.managementUrl) urls.push({ field: 'serviceBus.managementUrl', url: file.serviceBus.managementUrl });
      secrets.push(cs, ...connectionSecrets(cs));
    }
    tiers[section] = given.tier ?? 'standard';
  }
  if (file.eventGrid) resolveEventGrid(file.eventGrid, env, problems, { endpoints, kinds, urls, secrets });
  if (file.eventGrid) tiers.eventGrid = file.eventGrid.tier ?? 'basic';
  return {
    endpoints, kinds, tiers, urls, secrets: [...new Set(secrets)],
    serviceBusEntities: { ...DEFAULT_NAMES, ...file.serviceBus?.entities },
    eventHubs: { ...DEFAULT_NAMES, ...file.eventHubs?.hubs },
    publicBaseUrl: file.eventGrid?.publicBaseUrl,
  };
}

function resolveEventGrid(eg: NonNullable<TargetFile['eventGrid']>, env: NodeJS.ProcessEnv, problems: Problems, out: Pick<Target, 'endpoints' | 'kinds' | 'urls' | 'secrets'>): void {
  const topics: Record<string, { endpoint: string; key: string }> = {};
  for (const flow of EVENT_GRID_TOPICS) {
    const topic = eg.topics[flow];
    if (!topic) {
      problems.push(`eventGrid.topics.${flow}: missing; every flow needs its topic ({ "endpoint": "https://<topic>.<region>-1.eventgrid.azure.net/api/events", "key": "..." }); create it with \`az eventgrid topic create --name ${flow} --resource-group <group> --location <region>\``);
      continue;
    }
    const key = secretOf(topic.key, topic.keyEnv, `eventGrid.topics.${flow}.key`, env, problems);
    if (key) topics[flow] = { endpoint: topic.endpoint, key }, out.secrets.push(key);
    out.urls.push({ field: `eventGrid.topics.${flow}.endpoint`, url: topic.endpoint });
  }
  if (!eg.controlUrl && !eg.publicBaseUrl) problems.push('eventGrid.publicBaseUrl: missing; a real Event Grid topic pushes to webhooks, so give the public https base URL that reaches this machine (e.g. a dev tunnel)');
  if (eg.controlUrl) out.urls.push({ field: 'eventGrid.controlUrl', url: eg.controlUrl });
  out.endpoints.eventGrid = { topics, controlUrl: eg.controlUrl ?? '', ...(eg.caPath ? { caPath: eg.caPath } : {}) };
  out.kinds.eventGrid = eg.controlUrl ? 'moshpit-emulator' : 'azure';
}

const SECTION_EXAMPLE: Record<TargetSection, string> = {
  storage: '"storage": { "connectionStringEnv": "STORAGE_CONNECTION" }',
  serviceBus: '"serviceBus": { "connectionStringEnv": "SB_CONNECTION" }',
  eventHubs: '"eventHubs": { "connectionStringEnv": "EH_CONNECTION" }',
  eventGrid: '"eventGrid": { "topics": { "uploads": {...}, "comments": {...}, "song-added": {...} }, "publicBaseUrl": "https://..." }',
};

function zodProblems(error: z.ZodError): Problems {
  return formatIssues(error.issues).split('\n').map((line) => line.replace(/^ {2}- /, ''));
}

/**
 * The file with every field the schema refused removed (a few rounds: removing a required field
 * can fail its parent), so the semantic checks still run on the rest and all problems are told
 * at once. Returns the parsed rest and the removed paths.
 */
function salvage(raw: unknown, issues: z.core.$ZodIssue[]): { data?: TargetFile; removed: string[] } {
  const value = structuredClone(raw) as Record<string, unknown>;
  const removed: string[] = [];
  let pending = issues;
  for (let round = 0; round < 4 && value && typeof value === 'object'; round++) {
    for (const issue of pending) {
      // a field removed already and still required: remove the object holding it
      let path = issue.path;
      while (path.length && removed.includes(path.join('.'))) path = path.slice(0, -1);
      if (!path.length) return { removed };
      let node = value as Record<PropertyKey, unknown>;
      for (const key of path.slice(0, -1)) node = (node?.[key as PropertyKey] ?? undefined) as Record<PropertyKey, unknown>;
      if (node && typeof node === 'object') delete node[path.at(-1) as PropertyKey];
      removed.push(path.join('.'));
    }
    const again = targetFileSchema.safeParse(value);
    if (again.success) return { data: again.data, removed };
    pending = again.error.issues;
  }
  return { removed };
}

/** Reads, validates and resolves a target file for these technologies; throws one UserError naming every problem. */
export function loadTarget(path: string, techs: readonly Tech[], env: NodeJS.ProcessEnv = process.env): Target {
  if (!existsSync(path) || statSync(path).isDirectory()) throw new UserError(`--target: ${path} is not a file; give a target file (JSON), e.g. the line \`moshpit emulators start --json\` prints, saved to target.json`);
  let raw: unknown;
  try {
    raw = readJsonc(readFileSync(path, 'utf8'), path);
  } catch (error) {
    throw new UserError(`--target: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = targetFileSchema.safeParse(raw);
  const problems: Problems = parsed.success ? [] : zodProblems(parsed.error);
  const rest = parsed.success ? { data: parsed.data, removed: [] } : salvage(raw, parsed.error.issues);
  let target: Target | undefined;
  if (rest.data) {
    const data = rest.data;
    const semantic: Problems = [];
    target = { file: path, ...resolveSections(data, env, semantic) };
    // a field the schema refused is told once, by the schema
    problems.push(...semantic.filter((p) => !rest.removed.some((r) => p.startsWith(r))));
    const needed = [...new Set(techs.flatMap((t) => sectionsOf(t)))];
    for (const section of needed.filter((s) => !data[s] && !rest.removed.includes(s))) {
      const who = techs.filter((t) => sectionsOf(t).includes(section)).join(', ');
      problems.push(`${section}: missing; ${who} need${who.includes(',') ? '' : 's'} it (add ${SECTION_EXAMPLE[section]}, or leave ${who} out with --tech)`);
    }
  }
  if (problems.length || !target || !parsed.success) {
    throw new UserError(`--target ${path}: invalid target file (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return target;
}
