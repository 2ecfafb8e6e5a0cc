/**
 * Toxic definitions with Toxiproxy 2.x names, attribute names and units, plus moshpit's `down`
 * and `partition`. `parseToxic` validates an API body and returns every problem in one message.
 */

export type ToxicStream = 'upstream' | 'downstream';

/** Attribute names, units and defaults per toxic type (Toxiproxy's units: ms, KB/s, bytes, µs). */
export const TOXIC_ATTRIBUTES = {
  latency: { latency: 0, jitter: 0 }, // ms, ms
  bandwidth: { rate: 0 }, // KB/s (1 KB = 1000 bytes, as Toxiproxy); 0 holds all data
  slow_close: { delay: 0 }, // ms
  timeout: { timeout: 0 }, // ms; 0 = hold data forever, never close
  reset_peer: { timeout: 0 }, // ms after the first data
  slicer: { average_size: 0, size_variation: 0, delay: 0 }, // bytes, bytes, µs
  limit_data: { bytes: 0 }, // bytes
  down: {}, // moshpit: refuse new connections and drop existing ones (whole proxy)
  partition: {}, // moshpit: hold data both ways, sockets stay open, resumes on removal
} as const satisfies Record<string, Record<string, number>>;

export type ToxicType = keyof typeof TOXIC_ATTRIBUTES;
export const TOXIC_TYPES = Object.keys(TOXIC_ATTRIBUTES) as ToxicType[];

export interface Toxic {
  name: string;
  type: ToxicType;
  stream: ToxicStream;
  toxicity: number;
  attributes: Record<string, number>;
}

/** A client error with the HTTP status Toxiproxy would give. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isToxicType(value: unknown): value is ToxicType {
  return typeof value === 'string' && Object.hasOwn(TOXIC_ATTRIBUTES, value);
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

function checkCrossField(type: ToxicType, attributes: Record<string, number>, errors: string[]): void {
  if (type === 'slicer' && attributes.average_size! < 1) errors.push('attributes.average_size must be >= 1 byte for slicer');
  if (type === 'slicer' && attributes.size_variation! >= attributes.average_size! && attributes.average_size! > 0) {
    errors.push('attributes.size_variation must be smaller than average_size');
  }
}

/**
 * Validates a toxic body. With `existing`, it is an update (Toxiproxy: POST /toxics/{t}): type and
 * name are kept, given fields replace the old ones.
 */
export function parseToxic(body: unknown, existing?: Toxic): Toxic {
  if (!isRecord(body)) throw new ApiError(400, 'toxic body must be a JSON object like {"type": "latency", "attributes": {"latency": 100}}');
  const errors: string[] = [];
  const type = existing ? existing.type : body.type;
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
  if (errors.length === 0) checkCrossField(type, attributes, errors);
  if (errors.length > 0) throw new ApiError(400, `bad ${type} toxic: ${errors.join('; ')}`);
  return { name: name as string, type, stream: stream as ToxicStream, toxicity: toxicity as number, attributes };
}

/** Whether a toxic acts on the given direction (partition acts on both). */
export function actsOn(toxic: Toxic, stream: ToxicStream): boolean {
  return toxic.type === 'partition' || toxic.stream === stream;
}
