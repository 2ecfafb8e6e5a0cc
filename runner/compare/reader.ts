/** Reads a comparison.json v1 (the gate, `report`); light on imports so the gate starts fast. */
import { readFileSync } from 'node:fs';
import { UserError } from '../contracts/errors.ts';
import { comparisonSchema, type Comparison } from './schema.ts';

/** Reads a comparison.json (for the gate and `report`); bad input → UserError. */
export function readComparisonFile(path: string): Comparison {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UserError(`cannot read ${path} as JSON: ${(error as Error).message}`);
  }
  const parsed = comparisonSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(`${path}: not a comparison.json v1 (${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  return parsed.data;
}
