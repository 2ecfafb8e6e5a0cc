/**
 * The price table (profiles/prices.json, or the user's --prices file): a dated, sourced ESTIMATE
 * per technology and tier. Validated with zod; every problem reported at once (exit 2).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { UserError } from '../contracts/errors.ts';
import { formatIssues } from '../scenario/loader.ts';

const tierPrice = z.strictObject({
  url: z.string().url(),
  billed: z.enum(['operations', 'ingressEvents', 'none']),
  hourlyPerUnitUsd: z.number().nonnegative(),
  includedMillions: z.number().nonnegative(),
  perMillionUsd: z.array(z.strictObject({ uptoMillions: z.number().positive().nullable(), usd: z.number().nonnegative() })),
  note: z.string().optional(),
});
export type TierPrice = z.infer<typeof tierPrice>;

export const priceTableSchema = z.strictObject({
  version: z.literal(1),
  currency: z.string(),
  read: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'the date the prices were read, YYYY-MM-DD' }),
  estimate: z.boolean(),
  basis: z.string(),
  hoursPerMonth: z.number().positive(),
  techs: z.record(z.string(), z.record(z.string(), tierPrice)),
});
export type PriceTable = z.infer<typeof priceTableSchema>;

export const DEFAULT_PRICES_FILE = fileURLToPath(new URL('../../profiles/prices.json', import.meta.url));

export function loadPrices(path = DEFAULT_PRICES_FILE, shown = path): PriceTable {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UserError(`--prices ${shown}: cannot read a JSON price table (${(error as Error).message}); start from profiles/prices.json`);
  }
  const parsed = priceTableSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(`--prices ${shown}: invalid price table (${parsed.error.issues.length} problem${parsed.error.issues.length === 1 ? '' : 's'}):\n${formatIssues(parsed.error.issues)}`);
  return parsed.data;
}
