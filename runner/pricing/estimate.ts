/**
 * What a run would cost on real Azure, ESTIMATED from a dated list-price table (prices.json)
 * and the operations a scenario plans. Pure: the run prints it before it starts against a
 * remote target (--allow-remote); the comparison command can reuse it for any planned load.
 *
 * The operation model counts what the music backend does per message, billed the way each
 * service bills: Storage Queues put (write) + get and delete (counted at the read price, which
 * errs high where deletes are free) per copy (one copy per subscriber for song-added); Service Bus send + receive + complete; Event Hubs ingress events; Event Grid
 * publishes + deliveries. Idle receive polls and retries are not known in advance and are left
 * out; free monthly grants are ignored. Label every figure an estimate.
 */
import { readFileSync } from 'node:fs';
import type { Tech } from '../techs.ts';
import { profileOf } from '../../fixtures/technologies.ts';

interface TierPrice { perMillionOps?: number; perTenThousandWriteOps?: number; perTenThousandReadOps?: number; perHour: number; note?: string }
interface PriceTable { asOf: string; currency: string; techs: Record<string, { source: string; tiers: Record<string, TierPrice> }> }

export const PRICES = JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8')) as PriceTable;

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

function priceOf(key: string, tier: string): { price: TierPrice; source: string } {
  const entry = PRICES.techs[key];
  const price = entry?.tiers[tier];
  if (!entry || !price) throw new Error(`no price for ${key} tier ${tier} in runner/pricing/prices.json; tiers: ${Object.keys(entry?.tiers ?? {}).join(', ')}`);
  return { price, source: entry.source };
}

const round = (usd: number) => Math.round(usd * 10_000) / 10_000;

export function estimateCost(tech: Tech, tier: string, load: PlannedLoad): CostEstimate {
  const { price, source } = priceOf(tech, tier);
  const ops = brokerOperations(tech, load);
  const lines: CostLine[] = [];
  if (price.perMillionOps !== undefined) lines.push({ item: `${tech} operations`, quantity: ops.writes + ops.reads, unit: 'operations', usd: ((ops.writes + ops.reads) / 1e6) * price.perMillionOps });
  if (price.perTenThousandWriteOps !== undefined) lines.push({ item: `${tech} write operations`, quantity: ops.writes, unit: 'operations', usd: (ops.writes / 1e4) * price.perTenThousandWriteOps });
  if (price.perTenThousandReadOps !== undefined) lines.push({ item: `${tech} read operations`, quantity: ops.reads, unit: 'operations', usd: (ops.reads / 1e4) * (price.perTenThousandReadOps ?? 0) });
  if (price.perHour > 0) lines.push({ item: `${tech} ${tier} hourly charge`, quantity: load.hours, unit: 'hours', usd: load.hours * price.perHour });
  const blob = priceOf('blob', 'standard');
  if (load.blobUploads > 0) {
    lines.push({ item: 'claim-check blob writes', quantity: load.blobUploads, unit: 'operations', usd: (load.blobUploads / 1e4) * (blob.price.perTenThousandWriteOps ?? 0) });
    lines.push({ item: 'claim-check blob reads', quantity: load.blobUploads, unit: 'operations', usd: (load.blobUploads / 1e4) * (blob.price.perTenThousandReadOps ?? 0) });
  }
  const rounded = lines.map((l) => ({ ...l, usd: round(l.usd) }));
  return {
    tech, tier, brokerOperations: ops.writes + ops.reads, lines: rounded,
    totalUsd: round(lines.reduce((sum, l) => sum + l.usd, 0)),
    asOf: PRICES.asOf,
    sources: [...new Set([source, ...(load.blobUploads > 0 ? [blob.source] : [])])],
  };
}

/** "estimate: $0.0123 (list prices of 2026-12-03; <sources>)" */
export function describeEstimate(estimate: CostEstimate): string[] {
  const lines = estimate.lines.map((l) => `    ${l.item}: ${l.quantity.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${l.unit} ≈ $${l.usd.toFixed(4)}`);
  return [
    `  ${estimate.tech} (${estimate.tier}): ESTIMATED cost ≈ $${estimate.totalUsd.toFixed(4)} ${PRICES.currency} (list prices of ${estimate.asOf}, free grants ignored; an estimate, not a quote)`,
    ...lines,
    `    prices: ${estimate.sources.join(', ')}`,
  ];
}
