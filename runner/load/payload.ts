/**
 * Seeded, reproducible operation content: the same scenario seed gives the same payload sizes,
 * bytes, checksums and comment texts, whatever the order in which operations are built.
 * Each operation derives its own PRNG from (seed, flow, index), so building op n never
 * depends on having built ops 0..n-1.
 */
import { createHash } from 'node:crypto';
import { mulberry32 } from '../contracts/random.ts';

/** Mixes numbers into one 32-bit seed (murmur3-style finaliser over each part). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    let k = Math.imul(part >>> 0, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k ^ Math.floor(part / 4294967296);
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Uniform integer in [min, max] (inclusive). */
export function uniformInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

const SALT = { pool: 1, upload: 2, setupSong: 3, comment: 4 } as const;
const HEADER_BYTES = 16;

export interface SongPayload {
  bytes: Buffer;
  sizeBytes: number;
  /** sha256 hex of `bytes` */
  sum: string;
  title: string;
}

export type PayloadKind = 'upload' | 'setupSong';

/**
 * Builds song payloads quickly: one seeded random pool is generated up front; each payload is
 * a seeded window of that pool whose first 16 bytes carry (kind, index) so every payload is
 * distinct (a mix-up of two songs' bytes is detectable).
 */
export class PayloadFactory {
  private readonly pool: Buffer;

  constructor(
    private readonly seed: number,
    private readonly sizeBytes: { min: number; max: number },
    /** every Nth upload is titled "poison: …", which the music backend's worker refuses to process */
    private readonly poisonEvery?: number,
  ) {
    this.pool = randomPool(mixSeed(seed, SALT.pool), sizeBytes.max + 65_536);
  }

  /** The payload's size alone (cheap: no bytes, no checksum). */
  sizeOf(kind: PayloadKind, index: number): number {
    return uniformInt(mulberry32(mixSeed(this.seed, SALT[kind], index)), this.sizeBytes.min, this.sizeBytes.max);
  }

  song(kind: PayloadKind, index: number): SongPayload {
    const random = mulberry32(mixSeed(this.seed, SALT[kind], index));
    const size = uniformInt(random, this.sizeBytes.min, this.sizeBytes.max);
    const start = Math.floor(random() * (this.pool.length - size));
    const bytes = Buffer.allocUnsafe(size);
    this.pool.copy(bytes, 0, start, start + size);
    if (size >= HEADER_BYTES) {
      bytes.writeUInt32LE(SALT[kind], 0);
      bytes.writeUInt32LE(index >>> 0, 4);
      bytes.writeUInt32LE(Math.floor(index / 4294967296), 8);
      bytes.writeUInt32LE(this.seed >>> 0, 12);
    }
    const sum = createHash('sha256').update(bytes).digest('hex');
    const poison = kind === 'upload' && this.poisonEvery !== undefined && (index + 1) % this.poisonEvery === 0;
    return { bytes, sizeBytes: size, sum, title: `${poison ? 'poison: ' : ''}${kind === 'upload' ? 'Track' : 'Seed track'} ${index}` };
  }
}

/** A seeded random buffer of `size` bytes, filled 4 bytes at a time. */
export function randomPool(seed: number, size: number): Buffer {
  const words = Math.ceil(size / 4);
  const view = new Uint32Array(words);
  const random = mulberry32(seed);
  for (let i = 0; i < words; i++) view[i] = (random() * 4294967296) >>> 0;
  return Buffer.from(view.buffer, 0, size);
}

const WORDS = [
  'love', 'this', 'track', 'drop', 'bass', 'loud', 'again', 'chorus', 'wow', 'encore', 'mosh', 'pit',
  'riff', 'tempo', 'vibe', 'crowd', 'guitar', 'drums', 'synth', 'break', 'remix', 'live', 'banger', 'yes',
];

export interface CommentContent {
  text: string;
  author: string;
}

/** Seeded comment text and author for comment `index`. */
export function commentContent(seed: number, index: number): CommentContent {
  const random = mulberry32(mixSeed(seed, SALT.comment, index));
  const wordCount = uniformInt(random, 3, 12);
  const words: string[] = [];
  for (let i = 0; i < wordCount; i++) words.push(WORDS[Math.floor(random() * WORDS.length)]!);
  return { text: words.join(' '), author: `fan-${uniformInt(random, 1, 500)}` };
}
