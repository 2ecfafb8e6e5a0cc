/**
 * Monthly cost and headroom from what a run actually did. Pure.
 *
 * Operations are counted from the checked results (not guessed from the scenario): messages
 * acknowledged, deliveries (stored + duplicate deliveries), song-added events published and
 * subscriber deliveries. Each technology bills and throttles on its own unit (its profile's
 * pricing.billable, fixtures/<tech>/profile.ts): Storage Queues put + get + delete per message
 * and one queue per subscriber; Service Bus send + receive + complete; Event Hubs ingress events
 * only; Event Grid publishes + delivery attempts.
 * The monthly figure runs the scenario's average rate for a month of hoursPerMonth hours.
 */
import type { RunResult } from '../results/schema.ts';
import type { TierQuota } from '../verdict/tiers.ts';
import type { PriceTable, TierPrice } from './prices.ts';
import { isTech } from '../techs.ts';
import { profileOf } from '../../fixtures/technologies.ts';

export interface RunOperations {
  messagesSent: number;
  messageDeliveries: number;
  eventsPublished: number;
  eventDeliveries: number;
  subscribers: number;
  /** billable units of this technology (operations or ingress events) */
  billable: number;
  /** what the broker counts against its quota, per message acknowledged */
  perAcknowledged: number;
}

const count = (run: RunResult, flow: string, checker: string, key: string) => run.flows[flow]?.checks[checker]?.counts[key] ?? 0;

export function runOperations(run: RunResult): RunOperations {
  let messagesSent = 0;
  let messageDeliveries = 0;
  for (const [flow, result] of Object.entries(run.flows)) {
    if (result.kind !== 'message') continue;
    messagesSent += count(run, flow, 'total-queue', 'acknowledged');
    messageDeliveries += count(run, flow, 'total-queue', 'committed') + count(run, flow, 'total-queue', 'duplicatedDelivery');
  }
  const eventsPublished = count(run, 'song-added', 'fan-out', 'published') || count(run, 'song-added', 'fan-out', 'events');
  const eventDeliveries = count(run, 'song-added', 'fan-out', 'delivered') + count(run, 'song-added', 'fan-out', 'duplicated');
  const subscribers = count(run, 'song-added', 'fan-out', 'subscribers');
  const billable = billableOf(run.tech, { messagesSent, messageDeliveries, eventsPublished, eventDeliveries, subscribers });
  return { messagesSent, messageDeliveries, eventsPublished, eventDeliveries, subscribers, billable, perAcknowledged: messagesSent > 0 ? billable / messagesSent : 0 };
}

/** billable units as the technology's profile counts them; a technology this build does not know: every operation */
function billableOf(tech: string, o: Omit<RunOperations, 'billable' | 'perAcknowledged'>): number {
  if (isTech(tech)) return profileOf(tech).pricing.billable(o);
  return o.messagesSent + o.messageDeliveries + o.eventsPublished + o.eventDeliveries;
}

export interface CostEstimate {
  tech: string;
  tier: string;
  units: number;
  /** billable units per second at the scenario's average rate */
  billablePerSecond: number;
  monthlyMillions: number;
  monthlyUsd: number;
  breakdown: string;
  source: string;
  read: string;
  estimate: boolean;
}

export function tieredUsd(price: TierPrice, millions: number): number {
  let usd = 0;
  let from = price.includedMillions;
  for (const band of price.perMillionUsd) {
    const upto = band.uptoMillions ?? Infinity;
    if (millions > from) usd += (Math.min(millions, upto) - from) * band.usd;
    from = Math.max(from, upto);
  }
  return usd;
}

export function monthlyCost(run: RunResult, tier: string, units: number, loadSeconds: number, prices: PriceTable): CostEstimate | undefined {
  const price = prices.techs[run.tech]?.[tier];
  if (!price || loadSeconds <= 0) return undefined;
  const ops = runOperations(run);
  const perSecond = ops.billable / loadSeconds;
  const monthlyMillions = (perSecond * prices.hoursPerMonth * 3600) / 1e6;
  const fixed = price.hourlyPerUnitUsd * units * prices.hoursPerMonth;
  const variable = price.billed === 'none' ? 0 : tieredUsd(price, monthlyMillions);
  const unitText = price.billed === 'ingressEvents' ? 'million ingress events' : 'million operations';
  const breakdown = `${fixed > 0 ? `${fixed.toFixed(2)} fixed (${units} unit${units === 1 ? '' : 's'} × ${price.hourlyPerUnitUsd}/h)` : 'no fixed charge'}${price.billed === 'none' ? '' : ` + ${variable.toFixed(2)} for ${monthlyMillions.toFixed(1)} ${unitText}/month`}`;
  return { tech: run.tech, tier, units, billablePerSecond: perSecond, monthlyMillions, monthlyUsd: fixed + variable, breakdown, source: price.url, read: prices.read, estimate: prices.estimate };
}

export interface Headroom {
  tech: string;
  tier: string;
  units: number;
  quota: string;
  limitPerSecond: number;
  /** the busiest second of the run, in the quota's unit */
  peakPerSecond: number;
  /** how many times this load the tier takes before it throttles (< 1: already beyond it) */
  factor: number;
  text: string;
  source: string;
}

/** Quotas counted in messages/events/credits/requests (byte quotas need payload sizes the results do not carry). */
export function headroom(run: RunResult, tier: string, units: number, unitName: string | undefined, quotas: TierQuota[]): Headroom[] {
  const peakAcked = Math.max(0, ...run.timeline.map((p) => p.acknowledged));
  const ops = runOperations(run);
  if (peakAcked === 0) return [];
  return quotas
    .filter((q) => q.unit !== 'bytes')
    .map((q) => {
      const perAck = q.scope === 'queue' || q.scope === 'topic' ? 1 : q.key.startsWith('egress') ? (ops.messageDeliveries + ops.eventDeliveries) / Math.max(1, ops.messagesSent) : ops.perAcknowledged;
      const peak = peakAcked * perAck;
      const limit = q.perUnit ? q.perSecond * units : q.perSecond;
      const factor = peak > 0 ? limit / peak : Infinity;
      const tierText = `${run.tech} ${tier}${q.perUnit && unitName ? ` at ${units} ${unitName.replace(/s$/, units === 1 ? '' : 's')}` : ''}`;
      const text = factor >= 1 ? `${tierText} would throttle at ${factor.toFixed(1)}× this load (${q.key}: ${limit}/s per ${q.scope}, peak ${peak.toFixed(0)}/s)` : `${tierText} is already beyond ${q.key} at this load (${peak.toFixed(0)}/s against ${limit}/s)`;
      return { tech: run.tech, tier, units, quota: q.key, limitPerSecond: limit, peakPerSecond: peak, factor, text, source: q.url };
    });
}
