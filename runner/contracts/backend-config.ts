/**
 * What the music backend is configured with that the scenario states: how it consumes
 * (`backend.consumer`), its database's capacity (`backend.database`) and its api's limits
 * (`backend.api`). The scenario schema (runner/scenario/schema.ts) embeds these schemas; the
 * backend (fixtures/music-backend/config.ts) takes the parsed values, so both sides read one
 * definition and the backend needs nothing else from the scenario.
 */
import { z } from 'zod';
import { parseDurationMs } from './duration.ts';

/** A duration ("250ms", "20s", "2m" or milliseconds), parsed to milliseconds; the message names `what`. */
export const duration = (what: string) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const ms = parseDurationMs(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration for ${what} such as "250ms", "20s" or "2m" (got ${JSON.stringify(value)})`,
      });
      return z.NEVER;
    }
    return ms;
  });

export const positive = (what: string) =>
  z.number({ error: `expected a positive number (${what})` }).positive({ error: `expected a positive number (${what})` });
export const positiveInt = (what: string) =>
  z.number({ error: `expected a positive integer (${what})` }).int({ error: `expected a positive integer (${what})` }).positive({ error: `expected a positive integer (${what})` });

/** How workers and subscribers consume (scenario `backend.consumer`). */
export const consumerSchema = z.strictObject({
  mode: z.enum(['peek-lock', 'receive-and-delete']).default('peek-lock'),
  processing: z.enum(['idempotent', 'naive']).default('idempotent'),
  batchSize: z.number().int().min(1).max(32, { error: 'at most 32 (the Storage Queue receive limit)' }).default(16),
  prefetch: z.number().int().nonnegative().default(0),
  maxConcurrentCalls: positiveInt('handlers in flight per worker').default(8),
  visibilityTimeout: duration('the visibility timeout / lock duration').default(30_000),
  maxDeliveryCount: positiveInt('deliveries before a message is poison').default(5),
  checkpointInterval: duration('the checkpoint interval').default(1000),
  processingTime: duration('simulated work per message').default(0),
  pollInterval: duration('the idle poll interval').default(50),
  /**
   * Event Grid only: how long the broker keeps retrying an event before it dead-letters it
   * (`retryPolicy.eventTimeToLiveInMinutes`). Azure takes whole minutes 1..1440, so the value is
   * rounded up to a minute and clamped to 1440 (24 h). Absent: 1440 minutes, Azure's default.
   */
  eventTimeToLive: duration('the Event Grid event time to live')
    .refine((ms) => ms > 0, { error: 'expected a duration > 0 for the Event Grid event time to live, e.g. "1m" (Azure takes whole minutes 1..1440)' })
    .optional(),
});
export type ConsumerOptions = z.output<typeof consumerSchema>;

/**
 * The backend's database capacity (the brief's Azure SQL Database): at most `maxConcurrent`
 * writes at once, each taking `writeMsPerOp` + `writeMsPerKiB` per KiB, at most
 * `maxWritesPerSecond` started per second; a write that would wait longer than
 * `queueTimeoutMs` for its turn fails. Every field absent: unlimited (writes never wait).
 */
export const databaseSchema = z.strictObject({
  maxConcurrent: positiveInt('writes the database runs at once; leave it out for no limit, e.g. 4').optional(),
  writeMsPerOp: z.number({ error: 'expected milliseconds >= 0 per write, e.g. 20 (0 = no fixed cost)' }).nonnegative({ error: 'expected milliseconds >= 0 per write, e.g. 20 (0 = no fixed cost)' }).default(0),
  writeMsPerKiB: z.number({ error: 'expected milliseconds >= 0 per KiB written, e.g. 0.2 (0 = size costs nothing)' }).nonnegative({ error: 'expected milliseconds >= 0 per KiB written, e.g. 0.2 (0 = size costs nothing)' }).default(0),
  maxWritesPerSecond: positive('writes started per second; leave it out for no limit, e.g. 100').optional(),
  queueTimeoutMs: positiveInt('milliseconds a write may wait for its turn before it fails, e.g. 2000').default(5000),
});
export type DatabaseLimits = z.output<typeof databaseSchema>;

/** The web API's own limits: a request timeout and a bound on requests in flight (beyond it: 503 at once). */
export const apiSchema = z.strictObject({
  requestTimeoutMs: positiveInt('milliseconds before the api gives up on a request and answers 503, e.g. 5000').default(30_000),
  maxConcurrentRequests: positiveInt('requests the api serves at once (beyond: 503 at once), e.g. 256').default(1024),
});
export type ApiLimits = z.output<typeof apiSchema>;
