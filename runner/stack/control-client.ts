/**
 * The one way the runner calls an emulator's control API (faults, entity backlogs): every call
 * goes through `controlFetch`, so what every request needs (a timeout, the control key once the
 * control APIs require one) is added in this one place. `key`, when set, is sent as the
 * `x-moshpit-control-key` header (the runner-inputs lane's control-key work uses the same name).
 */

const CONTROL_TIMEOUT_MS = 10_000;
export const CONTROL_KEY_HEADER = 'x-moshpit-control-key';

export async function controlFetch(url: string, init: RequestInit & { key?: string } = {}): Promise<Response> {
  const { key, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (key !== undefined) headers.set(CONTROL_KEY_HEADER, key);
  return fetch(url, { ...rest, headers, signal: rest.signal ?? AbortSignal.timeout(CONTROL_TIMEOUT_MS) });
}

/** GET a control API route and parse its JSON; a non-2xx answer is an error naming the route. */
export async function controlJson<T>(url: string, options: { key?: string; timeoutMs?: number } = {}): Promise<T> {
  const response = await controlFetch(url, { key: options.key, signal: AbortSignal.timeout(options.timeoutMs ?? CONTROL_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as T;
}
