import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { commentContent, mixSeed, PayloadFactory } from '../../runner/load/payload.ts';
import { mulberry32 } from '../../runner/contracts/random.ts';

describe('seeded payloads', () => {
  it('the same seed gives the same sizes, bytes and checksums; another seed differs', () => {
    const a = new PayloadFactory(7, { min: 100, max: 5000 });
    const b = new PayloadFactory(7, { min: 100, max: 5000 });
    const c = new PayloadFactory(8, { min: 100, max: 5000 });
    for (const index of [0, 1, 2, 999]) {
      const [pa, pb, pc] = [a.song('upload', index), b.song('upload', index), c.song('upload', index)];
      expect(pb.bytes.equals(pa.bytes)).toBe(true);
      expect(pb.sum).toBe(pa.sum);
      expect(pc.sum).not.toBe(pa.sum);
    }
  });

  it('checksums are sha256 of the bytes, sizes stay in bounds and sizeOf agrees', () => {
    const factory = new PayloadFactory(1, { min: 16, max: 64 });
    const sizes = new Set<number>();
    for (let index = 0; index < 500; index++) {
      const song = factory.song('upload', index);
      expect(song.bytes.length).toBe(song.sizeBytes);
      expect(song.sizeBytes).toBeGreaterThanOrEqual(16);
      expect(song.sizeBytes).toBeLessThanOrEqual(64);
      expect(factory.sizeOf('upload', index)).toBe(song.sizeBytes);
      expect(song.sum).toBe(createHash('sha256').update(song.bytes).digest('hex'));
      sizes.add(song.sizeBytes);
    }
    expect(sizes.has(16) && sizes.has(64)).toBe(true);
    expect(sizes.size).toBeGreaterThan(40);
  });

  it('every payload is distinct, also between uploads and setup songs', () => {
    const factory = new PayloadFactory(3, { min: 32, max: 32 });
    const sums = new Set<string>();
    for (let index = 0; index < 200; index++) {
      sums.add(factory.song('upload', index).sum);
      sums.add(factory.song('setupSong', index).sum);
    }
    expect(sums.size).toBe(400);
  });

  it('comment content is reproducible and varies by index', () => {
    expect(commentContent(5, 10)).toEqual(commentContent(5, 10));
    const texts = new Set(Array.from({ length: 50 }, (_, i) => commentContent(5, i).text));
    expect(texts.size).toBeGreaterThan(45);
  });

  it('the PRNG yields floats in [0, 1) and depends on the seed', () => {
    const r = mulberry32(mixSeed(1, 2));
    const values = Array.from({ length: 1000 }, r);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(mulberry32(mixSeed(1, 3))()).not.toBe(mulberry32(mixSeed(1, 2))());
  });
});

describe('poison uploads', () => {
  it('titles every Nth upload "poison: …", and only uploads', async () => {
    const { PayloadFactory } = await import('../../runner/load/payload.ts');
    const payloads = new PayloadFactory(1, { min: 64, max: 64 }, 3);
    expect([0, 1, 2, 3, 4, 5].map((i) => payloads.song('upload', i).title.startsWith('poison: '))).toEqual([false, false, true, false, false, true]);
    expect(payloads.song('setupSong', 2).title.startsWith('poison')).toBe(false);
  });
});
