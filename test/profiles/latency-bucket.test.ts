import { describe, expect, it } from 'vitest';
import { LatencyModel, logNormalSampler } from '../../profiles/latency.ts';
import { TokenBucket } from '../../profiles/token-bucket.ts';
import { resolveProfile } from '../../profiles/resolve.ts';
import { mulberry32 } from '../../runner/contracts/random.ts';

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

describe('latency model', () => {
  it("reproduces every shipped operation's p50 and p99 within 15% over 1,000 samples", () => {
    for (const name of ['standard', 'premium']) {
      const profile = resolveProfile(name);
      for (const tech of Object.values(profile.techs)) {
        const model = new LatencyModel(tech, 7);
        for (const [op, figures] of Object.entries(tech.latency)) {
          const sampler = model.forOperation(op)!;
          const samples = Array.from({ length: 1000 }, () => sampler.sampleMs()).sort((a, b) => a - b);
          expect(Math.abs(percentile(samples, 0.5) / figures.p50Ms - 1), `${tech.tech} ${op} p50`).toBeLessThan(0.15);
          expect(Math.abs(percentile(samples, 0.99) / figures.p99Ms - 1), `${tech.tech} ${op} p99`).toBeLessThan(0.15);
        }
      }
    }
  });

  it('adds nothing under ideal, and repeats with the same seed', () => {
    expect(new LatencyModel(resolveProfile('ideal').techs['service-bus']).forOperation('send')).toBeUndefined();
    const a = logNormalSampler(5, 25, mulberry32(3));
    const b = logNormalSampler(5, 25, mulberry32(3));
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
  });
});

describe('token bucket', () => {
  it('admits the rate per second after the first second of burst', () => {
    const bucket = new TokenBucket(1000, 1000, 0);
    let admitted = 0;
    for (let ms = 0; ms < 5000; ms++) for (let i = 0; i < 3; i++) if (bucket.tryTake(1, ms)) admitted++; // 3,000/s offered
    expect(admitted).toBeGreaterThanOrEqual(5000);
    expect(admitted).toBeLessThanOrEqual(6001);
  });

  it('says how long to wait, and charge() can go into debt', () => {
    const bucket = new TokenBucket(10, 10, 0);
    expect(bucket.tryTake(10, 0)).toBe(true);
    expect(bucket.tryTake(1, 0)).toBe(false);
    expect(bucket.waitMs(1, 0)).toBe(100);
    bucket.charge(10, 0);
    expect(bucket.waitMs(1, 0)).toBe(1100);
  });
});
