/**
 * A token bucket: `ratePerSecond` tokens refill continuously up to `burst`. The one
 * implementation behind every emulated quota (Service Bus credits, Event Hubs TU ingress and
 * egress, storage per queue and per account, Event Grid per topic). Time is passed in so the
 * bookkeeping is pure and cheap (no timers).
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  /** `burst` defaults to one second's worth, as Azure's per-second quotas allow. */
  constructor(
    readonly ratePerSecond: number,
    readonly burst = ratePerSecond,
    nowMs = Date.now(),
  ) {
    if (!(ratePerSecond > 0) || !(burst > 0)) throw new Error(`token bucket: rate and burst must be > 0 (got ${ratePerSecond}, ${burst})`);
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  private refill(nowMs: number): void {
    if (nowMs > this.lastMs) {
      this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.lastMs) * this.ratePerSecond) / 1000);
      this.lastMs = nowMs;
    }
  }

  /** Takes `cost` tokens if they are all there; false (and nothing taken) if not. */
  tryTake(cost = 1, nowMs = Date.now()): boolean {
    this.refill(nowMs);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Takes `cost` tokens even if that goes negative (work already done, e.g. bytes delivered). */
  charge(cost: number, nowMs = Date.now()): void {
    this.refill(nowMs);
    this.tokens -= cost;
  }

  /** Milliseconds until `cost` tokens are available (0 if they are now). */
  waitMs(cost = 1, nowMs = Date.now()): number {
    this.refill(nowMs);
    return this.tokens >= cost ? 0 : Math.ceil(((cost - this.tokens) * 1000) / this.ratePerSecond);
  }

  available(nowMs = Date.now()): number {
    this.refill(nowMs);
    return this.tokens;
  }
}
