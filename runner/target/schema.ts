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
 * Loose objects on purpose; the semantic checks (one of connectionString / -Env, env vars set,
 * connection strings readable) are in resolve.ts, reported together with these.
 */
import { z } from 'zod';

export const SERVICE_BUS_TIERS = ['basic', 'standard', 'premium'] as const;
export const EVENT_HUBS_TIERS = ['basic', 'standard', 'premium', 'dedicated'] as const;
export const STORAGE_TIERS = ['standard'] as const;
export const EVENT_GRID_TIERS = ['basic'] as const;

const name = (what: string) => z.string({ error: `expected a string (${what})` }).min(1, { error: `must not be empty (${what})` });
const url = (what: string) => z.url({ error: `expected an absolute URL (${what}), e.g. https://host:port` });
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name (letters, digits, _), e.g. SB_CONNECTION' });
const tier = <T extends readonly [string, ...string[]]>(tiers: T) => z.enum(tiers, { error: `expected one of ${tiers.join(', ')}` }).optional();

/** A connection string given inline or through an environment variable (exactly one: checked in resolve.ts). */
const connection = {
  connectionString: name('connection string').optional(),
  connectionStringEnv: envName.optional(),
};

/** Names of the three flows' entities; defaults are the emulators' (uploads, comments, song-added). */
const flowNames = (what: string) =>
  z.strictObject({ uploads: name(`${what} of uploads`).optional(), comments: name(`${what} of comments`).optional(), songAdded: name(`${what} of song-added`).optional() }, { error: 'expected { uploads, comments, songAdded } names' }).optional();

const storage = z.looseObject({
  ...connection,
  queueEndpoint: url('queue endpoint').optional(),
  blobEndpoint: url('blob endpoint').optional(),
  /** moshpit's emulator only */
  controlUrl: url('control API').optional(),
  tier: tier(STORAGE_TIERS),
});

const serviceBus = z.looseObject({
  ...connection,
  tier: tier(SERVICE_BUS_TIERS),
  /** base names; the run creates `<run prefix>-<name>` through the management API and deletes them after */
  entities: flowNames('base name'),
  controlUrl: url('control API').optional(),
  managementUrl: url('management API').optional(),
  /** a CA certificate to trust for the management API's https (moshpit's emulator prints it) */
  caPath: name('CA certificate path').optional(),
});

const eventHubs = z.looseObject({
  ...connection,
  tier: tier(EVENT_HUBS_TIERS),
  /** existing event hubs (cannot be created through the data plane): checked before the run */
  hubs: flowNames('event hub'),
  controlUrl: url('control API').optional(),
});

const topic = z.looseObject({ endpoint: url('topic endpoint'), key: name('access key').optional(), keyEnv: envName.optional() });

const eventGrid = z.looseObject({
  tier: tier(EVENT_GRID_TIERS),
  /** the three topics by flow: uploads, comments, song-added */
  topics: z.record(z.string(), topic, { error: 'expected { "uploads": {endpoint, key}, "comments": {...}, "song-added": {...} }' }),
  /** where Event Grid's webhook deliveries reach this machine (a tunnel or a public host); real Azure only */
  publicBaseUrl: url('public base URL of the webhooks').optional(),
  /** moshpit's emulator only: event subscriptions are managed there */
  controlUrl: url('control API').optional(),
  caPath: name('CA certificate path').optional(),
});

export const targetFileSchema = z.looseObject(
  {
    storage: storage.optional(),
    serviceBus: serviceBus.optional(),
    eventHubs: eventHubs.optional(),
    eventGrid: eventGrid.optional(),
    /** moshpit's emulators: the key their control APIs require (a secret) */
    controlKey: name('control key').optional(),
    controlKeyEnv: envName.optional(),
  },
  { error: 'expected a JSON object with storage, serviceBus, eventHubs and/or eventGrid sections' },
);

export type TargetFile = z.infer<typeof targetFileSchema>;
