/**
 * The latency model: each emulated operation is delayed by a sample from a log-normal
 * distribution fitted to the profile's p50 and p99 for that operation (mu = ln p50,
 * sigma = (ln p99 - ln p50) / z(0.99)), drawn by stratified inverse-CDF sampling. Seeded, so a run repeats. With the `ideal` profile (or
 * an operation the profile has no figure for) `forOperation` returns undefined and the caller
 * skips the delay entirely: the hot path costs one property read.
 */
import { mulberry32 } from '../runner/contracts/random.ts';
import { latencyOf, type TechProfile } from './model.ts';

const Z99 = 2.3263478740408408;

export interface OperationLatency {
  /** one sampled delay in milliseconds */
  sampleMs(): number;
  /** waits one sampled delay */
  delay(): Promise<void>;
}

/** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) => (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/**
 * Stratified uniforms: every block of `block` draws has exactly one value in each 1/block-wide
 * stratum, in random order. Any 1,000 consecutive operations then show the profile's p50 and
 * p99 closely (iid draws put only about 10 samples in the top 1%, so p99 would wander by
 * +-20%), while each delay is still random.
 */
function stratified(random: () => number, block = 100): () => number {
  let order: number[] = [];
  return () => {
    if (!order.length) {
      order = Array.from({ length: block }, (_, i) => i);
      for (let i = block - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
    }
    return (order.pop()! + random()) / block;
  };
}

export function logNormalSampler(p50Ms: number, p99Ms: number, random: () => number): () => number {
  if (p50Ms <= 0) return () => 0;
  const mu = Math.log(p50Ms);
  const sigma = p99Ms > p50Ms ? (Math.log(p99Ms) - mu) / Z99 : 0;
  const uniform = stratified(random);
  return () => Math.exp(mu + sigma * normalQuantile(Math.min(Math.max(uniform(), 1e-12), 1 - 1e-12)));
}

/** Small stable hash so each operation gets its own seeded stream. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export class LatencyModel {
  private readonly ops = new Map<string, OperationLatency | undefined>();

  constructor(
    private readonly profile: TechProfile | undefined,
    private readonly seed = 1,
  ) {}

  /** The sampler for an operation, or undefined when nothing is to be added. */
  forOperation(operation: string): OperationLatency | undefined {
    if (this.ops.has(operation)) return this.ops.get(operation);
    const figures = latencyOf(this.profile, operation);
    let op: OperationLatency | undefined;
    if (figures && figures.p50Ms > 0) {
      const sample = logNormalSampler(figures.p50Ms, figures.p99Ms, mulberry32((this.seed ^ hash(operation)) >>> 0));
      op = { sampleMs: sample, delay: () => new Promise((resolve) => setTimeout(resolve, sample())) };
    }
    this.ops.set(operation, op);
    return op;
  }
}
