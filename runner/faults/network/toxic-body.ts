/**
 * A toxic body of the fault proxy API (Toxiproxy 2.x names, attribute names and units, plus
 * moshpit's `down` and `partition`; see toxics/). `parseToxic` validates one and returns every
 * problem in one message.
 */
import { ApiError } from './api-error.ts';
import { isToxicType, TOXIC_ATTRIBUTES, TOXIC_TYPES, toxicDefinition, type ToxicType } from './toxics/index.ts';
import type { Toxic, ToxicStream } from './toxics/toxic.ts';

/** A toxic as the proxy holds it: a known type. */
export type KnownToxic = Toxic & { type: ToxicType };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseAttributes(type: ToxicType, raw: unknown, base: Record<string, number>, errors: string[]): Record<string, number> {
  const attributes: Record<string, number> = { ...base };
  if (raw === undefined || raw === null) return attributes;
  if (!isRecord(raw)) {
    errors.push('attributes must be an object');
    return attributes;
  }
  const known = Object.keys(TOXIC_ATTRIBUTES[type]);
  for (const [key, value] of Object.entries(raw)) {
    if (!known.includes(key)) {
      errors.push(`attributes.${key} is not an attribute of ${type} (known: ${known.join(', ') || 'none'})`);
    } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      errors.push(`attributes.${key} must be a number >= 0 (got ${JSON.stringify(value)})`);
    } else {
      attributes[key] = value;
    }
  }
  return attributes;
}

/**
 * Validates a toxic body. With `existing`, it is an update (Toxiproxy: POST /toxics/{t}): type and
 * name are kept, given fields replace the old ones.
 */
export function parseToxic(body: unknown, existing?: Toxic): KnownToxic {
  if (!isRecord(body)) throw new ApiError(400, 'toxic body must be a JSON object like {"type": "latency", "attributes": {"latency": 100}}');
  const errors: string[] = [];
  const type: unknown = existing ? existing.type : body.type;
  if (!isToxicType(type)) {
    throw new ApiError(400, `invalid toxic type ${JSON.stringify(type ?? null)}: use one of ${TOXIC_TYPES.join(', ')}`);
  }
  const stream = body.stream ?? existing?.stream ?? 'downstream';
  if (stream !== 'upstream' && stream !== 'downstream') errors.push(`stream must be "upstream" or "downstream" (got ${JSON.stringify(stream)})`);
  const toxicity = body.toxicity ?? existing?.toxicity ?? 1;
  if (typeof toxicity !== 'number' || !(toxicity >= 0 && toxicity <= 1)) errors.push(`toxicity must be a number from 0 to 1 (got ${JSON.stringify(toxicity)})`);
  const name = existing ? existing.name : (body.name ?? `${type}_${String(stream)}`);
  if (typeof name !== 'string' || name === '' || name.includes('/')) errors.push('name must be a non-empty string without "/"');
  const base = existing ? existing.attributes : { ...TOXIC_ATTRIBUTES[type] };
  const attributes = parseAttributes(type, body.attributes, base, errors);
  if (errors.length === 0) toxicDefinition(type).check?.(attributes, errors);
  if (errors.length > 0) throw new ApiError(400, `bad ${type} toxic: ${errors.join('; ')}`);
  return { name: name as string, type, stream: stream as ToxicStream, toxicity: toxicity as number, attributes };
}
