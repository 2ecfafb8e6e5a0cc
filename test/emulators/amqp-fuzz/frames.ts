/**
 * Hostile AMQP input for the fuzz suite, built by hand so every byte is known: protocol headers,
 * SASL ANONYMOUS, minimal performatives, values of each type (for wrong-type fields), values
 * that declare far more than they hold, and seeded mutations of a recorded SDK session.
 */

export const SASL_HEADER = Buffer.from('AMQP\x03\x01\x00\x00', 'latin1');
export const AMQP_HEADER = Buffer.from('AMQP\x00\x01\x00\x00', 'latin1');

const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

/** A frame: size, doff 2, type (0 AMQP, 1 SASL), channel, body. */
export function frame(body: number[] | Buffer, options: { type?: number; channel?: number } = {}): Buffer {
  const bytes = Buffer.from(body);
  const channel = options.channel ?? 0;
  return Buffer.concat([Buffer.from([...u32(8 + bytes.length), 2, options.type ?? 0, channel >> 8, channel & 0xff]), bytes]);
}

/** A described list performative with the given encoded fields (list32, so any size fits). */
export function performative(code: number, fields: number[][]): number[] {
  const items = fields.flat();
  return [0x00, 0x53, code, 0xd0, ...u32(4 + items.length), ...u32(fields.length), ...items];
}

export const str = (s: string): number[] => [0xa1, s.length, ...Buffer.from(s, 'latin1')];
export const sym = (s: string): number[] => [0xa3, s.length, ...Buffer.from(s, 'latin1')];
export const uint = (n: number): number[] => [0x70, ...u32(n)];
export const NULL = [0x40];

/** SASL header + sasl-init ANONYMOUS + AMQP header: what comes before `open`. */
export function saslAnonymous(): Buffer {
  return Buffer.concat([SASL_HEADER, frame(performative(0x41, [sym('ANONYMOUS')]), { type: 1 }), AMQP_HEADER]);
}

export const openFrame = (): Buffer => frame(performative(0x10, [str('fuzz')]));
export const beginFrame = (): Buffer => frame(performative(0x11, [NULL, uint(0), uint(100), uint(100)]));

/** An array32 that declares 0x7fffffff null elements in 6 bytes. */
export const HUGE_ARRAY = [0xf0, ...u32(5), ...u32(0x7fffffff), 0x40];

/**
 * The packet: AMQP header, a minimal open, then a begin holding an array32 of
 * 0x7fffffff elements (46 bytes). Without SASL first; `withSasl` puts SASL ANONYMOUS in front.
 */
export function array32Packet(withSasl: boolean): Buffer {
  const open = frame([0x00, 0x53, 0x10, 0xc0, 0x01, 0x00]);
  const begin = frame([0x00, 0x53, 0x11, 0xc0, 0x0b, 0x01, ...HUGE_ARRAY]);
  const packet = Buffer.concat([AMQP_HEADER, open, begin]);
  return withSasl ? Buffer.concat([saslAnonymous(), packet.subarray(8)]) : packet;
}

/** Values that claim far more than they hold, each where a performative field goes. */
export const HUGE_VALUES: Record<string, number[]> = {
  array32: HUGE_ARRAY,
  list32: [0xd0, ...u32(8), ...u32(0xffffffff), 0x40, 0x40, 0x40, 0x40],
  map32: [0xd1, ...u32(8), ...u32(0x7ffffffe), 0x40, 0x40, 0x40, 0x40],
  str32: [0xb1, ...u32(0x7fffffff), 0x61],
  bin32: [0xb0, ...u32(0xffffffff), 0x00],
  sym32: [0xb3, ...u32(0x40000000), 0x61],
  arrayOfUuid: [0xf0, ...u32(5), ...u32(0x7fffffff), 0x98],
  nestedArrays: [0xf0, ...u32(14), ...u32(1), 0xf0, ...u32(5), ...u32(0x7fffffff), 0x40],
};

/** One value of each AMQP type, for putting the wrong type into every field. */
export const TYPED_VALUES: number[][] = [
  [0x41], [0x42], [0x43], [0x44], [0x45], [0x50, 7], [0x51, 0xff], [0x52, 9], [0x53, 0x28], [0x54, 1], [0x55, 0x7f], [0x56, 1],
  [0x60, 0, 5], [0x61, 0xff, 0xff], [0x70, ...u32(1)], [0x71, ...u32(0x80000000)], [0x72, ...u32(1)], [0x73, 0, 0, 0, 0x41],
  [0x80, ...u32(0), ...u32(5)], [0x81, ...u32(0xffffffff), ...u32(1)], [0x83, ...u32(0), ...u32(5)], [0x98, ...new Array(16).fill(1)],
  str('x'), sym('amqp:x'), [0xa0, 2, 1, 2], [0xc0, 1, 0], [0xc1, 1, 0], [0xe0, 3, 2, 0x50, 1, 2],
  [0x00, 0x53, 0x1d, 0x45], [0x00, 0x53, 0x77, 0x45], [0x00, 0xa3, 3, 0x61, 0x62, 0x63, 0x40], [0x00, 0x53, 0x28, 0x43],
];

/** Performatives (code, field count) a client may send, for the wrong-type sweep. */
export const CLIENT_PERFORMATIVES: [number, number][] = [[0x10, 10], [0x11, 8], [0x12, 14], [0x13, 11], [0x14, 11], [0x15, 6], [0x16, 3], [0x17, 1], [0x18, 1]];

/** Deterministic pseudo-random numbers in [0, 1) (a seed per run makes failures repeatable). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

/** A recorded session with a few bytes flipped, inserted or cut, and maybe truncated. */
export function mutate(transcript: Buffer, random: () => number): Buffer {
  const bytes = Buffer.from(transcript);
  const at = () => Math.floor(random() * bytes.length);
  const edits = 1 + Math.floor(random() * 4);
  for (let i = 0; i < edits; i++) {
    const kind = random();
    if (kind < 0.6) bytes[at()] = Math.floor(random() * 256);
    else if (kind < 0.8) bytes[at()] = [0x00, 0x40, 0x7f, 0x80, 0xff][Math.floor(random() * 5)];
    else bytes.writeUInt32BE([0x7fffffff, 0xffffffff, 0x10000000, 0][Math.floor(random() * 4)], Math.min(at(), bytes.length - 4));
  }
  return random() < 0.3 ? bytes.subarray(0, at()) : bytes;
}

export function randomBytes(random: () => number, length: number): Buffer {
  const b = Buffer.alloc(length);
  for (let i = 0; i < length; i++) b[i] = Math.floor(random() * 256);
  return b;
}
