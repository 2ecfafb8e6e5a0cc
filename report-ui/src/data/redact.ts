/**
 * Secrets never reach the page: results.json does not carry them, but config is free-form, so
 * keys that look secret are hidden and strings that look like credentials are blanked.
 * Used by the UI (what it shows) and by the bundler (what it inlines).
 */
import type { Results } from './types.ts';

export const SECRET_KEY_PATTERN = /key|secret|connectionstring|sas|password|token|credential/i;

const SECRET_VALUE_PATTERN =
  /(?:AccountKey|SharedAccessKey|SharedAccessSignature|AccessKey|Password)\s*=|[?&]sig=/i;

export const REDACTED = '[redacted]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key.replace(/[-_\s]/g, ''));
}

export function looksLikeSecretValue(value: string): boolean {
  return SECRET_VALUE_PATTERN.test(value);
}

/** Deep copy with secret-looking keys removed and credential-looking strings replaced. */
export function redactSecrets<T>(value: T): T {
  return redactValue(value) as T;
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return looksLikeSecretValue(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (isSecretKey(key)) continue;
      out[key] = redactValue(inner);
    }
    return out;
  }
  return value;
}

/**
 * What the bundler inlines: each run's config deep-redacted (secret keys dropped), and error
 * texts with credential-looking strings blanked. Checker counts are left alone (their keys,
 * e.g. `keysOutOfOrder`, are not secrets).
 */
export function redactResults(results: Results): Results {
  const text = (value: string): string => (looksLikeSecretValue(value) ? REDACTED : value);
  return {
    ...results,
    runs: results.runs.map((run) => ({
      ...run,
      ...(run.error === undefined ? {} : { error: text(run.error) }),
      errors: run.errors.map(text),
      config: redactSecrets(run.config),
    })),
  };
}

/** Flattened `a.b.c = value` lines of a run's config, secrets left out, for display. */
export function configEntries(config: Record<string, unknown>): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  const walk = (prefix: string, value: unknown): void => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) {
        if (isSecretKey(key)) continue;
        walk(prefix ? `${prefix}.${key}` : key, inner);
      }
      return;
    }
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    entries.push([prefix, looksLikeSecretValue(text ?? '') ? REDACTED : String(text)]);
  };
  walk('', config);
  return entries;
}
