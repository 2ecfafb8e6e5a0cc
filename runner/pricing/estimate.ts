/**
 * What a run would cost on real Azure, ESTIMATED from the one dated list-price table
 * (profiles/prices.json, the one `compare` uses) and the operations a scenario plans. Pure but
 * for reading the table: the run prints it before it starts against a remote target
 * (--allow-remote), calibrate before it measures.
 *
 * The operation model counts what the music backend does per message, billed the way each
 * service bills: Storage Queues put (write) + get and delete per copy (one copy per subscriber
 * for song-added); Service Bus send + receive + complete; Event Hubs ingress events; Event Grid
 * publishes + deliveries. Idle receive polls and retries are not known in advance and are left
 * out; free monthly grants are ignored (an estimate errs high). Label every figure an estimate.
 */
import type { Tech } from '../techs.ts';
import { tieredUsd } from '../compare/cost.ts';
import { DEFAULT_PRICES_FILE, loadPrices, type PriceTable, type TierPrice } from '../compare/prices.ts';
import { profileOf } from '../../fixtures/technologies.ts';

let table: PriceTable | undefined;
const prices = () => (table ??= loadPrices(DEFAULT_PRICES_FILE, 'profiles/prices.json'));

/** The load a run plans, in the terms of the operation model. */
export interface PlannedLoad {
  uploads: number;
  comments: number;
  /** song-added subscribers (one event per upload, delivered to each) */
  subscribers: number;
  /** uploads too big for the technology's messages (claim-check blobs: one write, one read each) */
  blobUploads: number;
  /** how long the namespace is used: load + drain + start-up */
  hours: number;
}

export interface CostLine { item: string; quantity: number; unit: string; usd: number }

export interface CostEstimate {
  tech: Tech;
  tier: string;
  /** operations sent to the technology's broker (the model's count) */
  brokerOperations: number;
  lines: CostLine[];
  totalUsd: number;
  asOf: string;
  sources: string[];
}

/** Broker operations per technology for a planned load (see the header; each profile's pricing says how it counts). */
export function brokerOperations(tech: Tech, load: PlannedLoad): { writes: number; reads: number } {
  return profileOf(tech).pricing.plannedOperations(load);
}

function priceOf(key: string, tier: string): TierPrice {
  const price = prices().techs[key]?.[tier];
  if (!price) throw new Error(`no price for ${key} tier ${tier} in profiles/prices.json; tiers: ${Object.keys(prices().techs[key] ?? {}).join(', ')}`);
  return price;
}

const round = (usd: number) => Math.round(usd * 10_000) / 10_000;
/** every operation billed, the monthly free grant left out (one run cannot know what else used it) */
const usdOf = (price: TierPrice, operations: number) => tieredUsd({ ...price, includedMillions: 0 }, operations / 1e6);

export function estimateCost(tech: Tech, tier: string, load: PlannedLoad): CostEstimate {
  const price = priceOf(tech, tier);
  const ops = brokerOperations(tech, load);
  const lines: CostLine[] = [];
  const billed = price.billed === 'none' ? 0 : ops.writes + ops.reads;
  if (price.billed !== 'none') lines.push({ item: `${tech} ${price.billed === 'ingressEvents' ? 'ingress events' : 'operations'}`, quantity: billed, unit: price.billed === 'ingressEvents' ? 'events' : 'operations', usd: usdOf(price, billed) });
  if (price.hourlyPerUnitUsd > 0 && load.hours > 0) lines.push({ item: `${tech} ${tier} hourly charge (1 unit)`, quantity: load.hours, unit: 'hours', usd: load.hours * price.hourlyPerUnitUsd });
  const sources = [price.url];
  if (load.blobUploads > 0) {
    const write = priceOf('blob', 'standard-write');
    const read = priceOf('blob', 'standard-read');
    lines.push({ item: 'claim-check blob writes', quantity: load.blobUploads, unit: 'operations', usd: usdOf(write, load.blobUploads) });
    lines.push({ item: 'claim-check blob reads', quantity: load.blobUploads, unit: 'operations', usd: usdOf(read, load.blobUploads) });
    sources.push(write.url);
  }
  return {
    tech, tier, brokerOperations: ops.writes + ops.reads, lines: lines.map((l) => ({ ...l, usd: round(l.usd) })),
    totalUsd: round(lines.reduce((sum, l) => sum + l.usd, 0)),
    asOf: prices().read,
    sources: [...new Set(sources)],
  };
}

/** "estimate: $0.0123 (list prices of 2026-12-03; <sources>)" */
export function describeEstimate(estimate: CostEstimate): string[] {
  const lines = estimate.lines.map((l) => `    ${l.item}: ${l.quantity.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${l.unit} ≈ $${l.usd.toFixed(4)}`);
  return [
    `  ${estimate.tech} (${estimate.tier}): ESTIMATED cost ≈ $${estimate.totalUsd.toFixed(4)} ${prices().currency} (list prices of ${estimate.asOf}, free grants ignored; an estimate, not a quote)`,
    ...lines,
    `    prices: ${estimate.sources.join(', ')} (profiles/prices.json)`,
  ];
}
