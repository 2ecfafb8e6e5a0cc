/** Display helpers. Missing values render as "—", never as 0. */
import type { Validity } from './types.ts';

export const MISSING = '—';

export function formatCount(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return MISSING;
  return value.toLocaleString('en-US');
}

/** Milliseconds with precision that suits the magnitude: 0.42, 12.3, 1,234. */
export function formatMs(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return MISSING;
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export type VerdictLabel = 'valid' | 'invalid' | 'unknown';

export function verdictLabel(valid: Validity | undefined): VerdictLabel {
  if (valid === true) return 'valid';
  if (valid === false) return 'invalid';
  return 'unknown';
}

/** "2026-11-21T23:39:15.123Z" → "2026-11-21 23:39:15 UTC"; unparseable text is shown as is. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return MISSING;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatDurationMs(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return MISSING;
  if (value < 1000) return `${Math.round(value)} ms`;
  const seconds = value / 1000;
  if (seconds < 120) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
