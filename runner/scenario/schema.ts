/**
 * Scenario format v1. A scenario file exports `defineScenario({...})`; the loader validates it
 * with this schema and reports every problem at once, each with its path.
 * Later versions may add fields; `version` stays the discriminator.
 */
import { overridesSchema } from '../../profiles/schema.ts';
import { BUILTIN_PROFILES } from '../../profiles/resolve.ts';
import { z } from 'zod';
import { isTech, TECHS } from '../techs.ts';
import { apiSchema, consumerSchema, databaseSchema, duration, positive, positiveInt } from '../contracts/backend-config.ts';
import { faultEntrySchema } from '../faults/spec.ts';
import { faultIssues, techsWithTargets } from '../faults/validate.ts';

export const SCENARIO_VERSION = 1;

const stage = z.strictObject({
  duration: duration('the stage length'),
  target: z.number({ error: 'expected a rate (operations per second) >= 0' }).nonnegative({ error: 'expected a rate (operations per second) >= 0' }),
});

/** Arrival rate: constant (`rate`) or ramping (`stages`, starting at `startRate`). */
const arrival = {
  rate: positive('operations per second').optional(),
  startRate: z.number().nonnegative().default(0),
  stages: z.array(stage).min(1, { error: 'give at least one stage, or use `rate`' }).optional(),
};

function oneArrival(value: { rate?: number; stages?: unknown[] }, ctx: z.RefinementCtx) {
  if ((value.rate === undefined) === (value.stages === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'give exactly one of `rate` (constant arrival rate) or `stages` (ramping)', path: ['rate'] });
  }
}

const sizeBytes = z
  .union([
    positiveInt('bytes'),
    z.strictObject({ min: positiveInt('bytes'), max: positiveInt('bytes') }).refine((s) => s.max >= s.min, {
      error: 'max must be >= min',
      path: ['max'],
    }),
  ])
  .transform((s) => (typeof s === 'number' ? { min: s, max: s } : s));

const uploads = z
  .strictObject({
    ...arrival,
    sizeBytes: sizeBytes.default({ min: 4096, max: 128 * 1024 }),
    maxSongs: positiveInt('songs').optional(),
    /** every Nth upload is a poison message: the worker can never process it (it ends dead-lettered) */
    poisonEvery: positiveInt('uploads between poison messages').optional(),
  })
  .superRefine(oneArrival);

const comments = z
  .strictObject({
    ...arrival,
    songs: positiveInt('number of songs the comments are spread over').default(10),
    perSong: positiveInt('comments per song').optional(),
  })
  .superRefine(oneArrival);

const backend = z.strictObject({
  workers: z
    .strictObject({
      uploads: positiveInt('upload worker processes').default(2),
      comments: positiveInt('comment worker processes').default(1),
    })
    .default({ uploads: 2, comments: 1 }),
  subscribers: positiveInt('song-added subscriber processes').default(2),
  consumer: consumerSchema.default(consumerSchema.parse({})),
  /** absent: unlimited, as before this field existed */
  database: databaseSchema.optional(),
  api: apiSchema.default(apiSchema.parse({})),
});


/** Settings of the embedded emulators; they have no effect against real Azure. */
const emulators = z.strictObject({
  eventGrid: z
    .strictObject({
      /**
       * Emulator only: multiplies Event Grid's retry schedule, event time to live and response
       * timeout (0.05: the 10 s first retry takes 0.5 s, a 1 min TTL 3 s). Default 1 (Azure's timing).
       */
      deliveryTimeScale: z
        .number({ error: 'expected a positive number (the Event Grid emulator\'s delivery time scale, e.g. 0.05; 1 = Azure\'s timing)' })
        .positive({ error: 'expected a positive number (the Event Grid emulator\'s delivery time scale, e.g. 0.05; 1 = Azure\'s timing)' })
        .max(100, { error: 'at most 100 (the Event Grid emulator\'s delivery time scale; 1 = Azure\'s timing)' })
        .default(1),
    })
    .default({ deliveryTimeScale: 1 }),
});

/**
 * Which Azure tiers the emulators play (profiles/): a shipped profile name or a profile JSON
 * file, and per-technology overrides (tier, units, limits, quotas, features, latency). `run
 * --profile` wins over `profile`; absent both: standard.
 */
const azure = z.strictObject({
  profile: z.string({ error: `expected a profile name (${BUILTIN_PROFILES.join(', ')}) or the path of a profile JSON file` }).min(1).optional(),
  overrides: overridesSchema.default({}),
});
/** The load generator's patience: a request unanswered after this many ms failed at the client (status 0). */
const clientTimeoutMs = positiveInt('milliseconds the load generator waits for an answer, e.g. 10000').default(10_000);

const thresholds = z.record(z.string(), z.array(z.string()));

export const scenarioSchema = z.strictObject({
  version: z.literal(SCENARIO_VERSION, { error: `expected version ${SCENARIO_VERSION}` }).default(SCENARIO_VERSION),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected a lowercase name of letters, digits and dashes' }),
  description: z.string().min(1, { error: 'describe what the scenario demonstrates' }),
  seed: z.number().int().nonnegative().default(1),
  techs: z
    .array(z.enum(TECHS, { error: `expected one of ${TECHS.join(', ')}` }))
    .min(1)
    .optional(),
  duration: duration('the load duration'),
  drainLimit: duration('the drain limit').default(30_000),
  load: z.strictObject({ uploads: uploads.optional(), comments: comments.optional(), clientTimeoutMs }).refine((l) => l.uploads || l.comments, {
    error: 'give load for at least one flow (uploads or comments)',
  }),
  backend: backend.default(backend.parse({})),
  faults: z.array(faultEntrySchema).default([]),
  emulators: emulators.default({ eventGrid: { deliveryTimeScale: 1 } }),
  azure: azure.default({ overrides: {} }),
  expect: z.strictObject({ thresholds: thresholds.default({}) }).default({ thresholds: {} }),
}).superRefine(
  (scenario, ctx) => {
    // fault targets and times against the stack, reported with every other problem (also when
    // other fields failed: the checks read only what parsed)
    const techs = Array.isArray(scenario.techs) ? scenario.techs.filter((t) => typeof t === 'string' && isTech(t)) : techsWithTargets(scenario, TECHS);
    for (const issue of faultIssues(scenario, techs)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  },
  { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
);

/** What a scenario file writes (durations as text, defaults omitted). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A validated scenario: durations in milliseconds, defaults filled in. */
export type Scenario = z.output<typeof scenarioSchema>;
export type ArrivalSpec = { rate?: number; startRate: number; stages?: { duration: number; target: number }[] };
