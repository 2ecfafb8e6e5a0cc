/**
 * What a technology PROMISES for a flow (profiles/promises.json, every entry citing Microsoft's
 * page and the date it was read), adjusted to the tier in use (Service Bus Basic has no
 * sessions or topics; Event Hubs Basic has one consumer group, so no fan-out). A required
 * promise that is "no" disqualifies the technology for the flow, whatever a run showed.
 */
import data from '../../profiles/promises.json' with { type: 'json' };
import type { TierFacts } from './tiers.ts';

export type PromiseValue = 'yes' | 'no' | 'conditional';
type Mode = 'peek-lock' | 'receive-and-delete';

interface RawPromise {
  value: string;
  text: string;
  src: string;
  semantics?: string;
  feature?: string;
  minLimit?: { key: string; min: number };
}
type RawTech = Record<string, unknown> & { delivery: Record<Mode, RawPromise>; sizeLimit: string; consumption: RawPromise };

export interface Source {
  url: string;
  read: string;
  title?: string;
}

export interface PromiseItem {
  promise: string;
  label: string;
  value: PromiseValue;
  text: string;
  source: Source;
  /** whether the flow requires it (a required "no" disqualifies) */
  required: boolean;
  /** delivery only: at-least-once / at-most-once */
  semantics?: string;
}

export interface PromiseCheck {
  /** false when a required promise is "no" */
  ok: boolean;
  items: PromiseItem[];
  /** one sentence per required promise that is "no" */
  reasons: string[];
  consumption: 'push' | 'pull' | 'unknown';
  /** the tier's size limit for one message/event, with its source */
  sizeLimit?: { bytes: number; key: string; source: Source };
}

export interface FlowNeeds {
  kind: 'message' | 'event';
  question: string;
  requires: string[];
}

const SOURCES = data.sources as Record<string, Source>;
const TECHS = data.techs as unknown as Record<string, RawTech>;
const LABELS = data.promises as Record<string, { label: string }>;

export const PROMISES_FILE = 'profiles/promises.json';

export function flowNeeds(flow: string): FlowNeeds | undefined {
  return (data.flows as Record<string, FlowNeeds>)[flow];
}

export function knownFlows(): string[] {
  return Object.keys(data.flows);
}

const source = (key: string): Source => SOURCES[key] ?? { url: key, read: 'unknown' };

/** A promise as the tier makes it: a missing feature or too small a limit turns it into "no". */
function tiered(raw: RawPromise, tier: TierFacts | undefined): { value: PromiseValue; text: string; source: Source } {
  const base = { value: raw.value as PromiseValue, text: raw.text, source: source(raw.src) };
  if (!tier) return base;
  const feature = raw.feature ? tier.features[raw.feature] : undefined;
  if (feature && !feature.value) return { value: 'no', text: `the ${tier.tier} tier has no ${raw.feature} (${raw.text})`, source: { url: feature.url, read: feature.read } };
  const limit = raw.minLimit ? tier.limits[raw.minLimit.key] : undefined;
  if (raw.minLimit && limit && limit.value < raw.minLimit.min) {
    return { value: 'no', text: `the ${tier.tier} tier allows ${limit.value} ${raw.minLimit.key.replace(/^max/, '').toLowerCase()} (${raw.text})`, source: { url: limit.url, read: limit.read } };
  }
  return base;
}

export function promiseCheck(tech: string, flow: string, options: { tier?: TierFacts; mode?: Mode } = {}): PromiseCheck {
  const raw = TECHS[tech];
  const needs = flowNeeds(flow);
  if (!raw || !needs) return { ok: true, items: [], reasons: [], consumption: 'unknown' };
  const mode = options.mode ?? 'peek-lock';
  const items: PromiseItem[] = [];
  for (const key of ['delivery', 'messageFlow', 'orderingPerKey', 'fanOut', 'consumption']) {
    const entry = key === 'delivery' ? raw.delivery[mode] : (raw[key] as RawPromise | undefined);
    if (!entry) continue;
    const required = needs.requires.includes(key);
    if (!required && key !== 'consumption' && !(needs.kind === 'message' && key === 'delivery')) continue;
    const shown = tiered(entry, options.tier);
    const value: PromiseValue = key === 'consumption' ? 'yes' : shown.value;
    items.push({ promise: key, label: key === 'delivery' ? `${LABELS[key]!.label} (${mode})` : LABELS[key]!.label, value, text: key === 'consumption' ? `${entry.value}: ${entry.text}` : shown.text, source: shown.source, required, ...(entry.semantics ? { semantics: entry.semantics } : {}) });
  }
  const reasons = items.filter((i) => i.required && i.value === 'no').map((i) => `${tech} does not promise ${i.label}: ${i.text}`);
  const limit = options.tier?.limits[raw.sizeLimit];
  return {
    ok: reasons.length === 0,
    items,
    reasons,
    consumption: raw.consumption.value === 'push' ? 'push' : 'pull',
    ...(limit ? { sizeLimit: { bytes: limit.value, key: raw.sizeLimit, source: { url: limit.url, read: limit.read } } } : {}),
  };
}
