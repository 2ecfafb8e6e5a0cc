/**
 * The one way the runner calls an emulator's control API (faults, entity depths): every call
 * goes through `controlFetch`, so what every request needs (a timeout today, the control key
 * once the control APIs require one) is added in this one place.
 */

const CONTROL_TIMEOUT_MS = 10_000;

export async function controlFetch(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(CONTROL_TIMEOUT_MS) });
}

/** GET a control API route and parse its JSON; a non-2xx answer is an error naming the route. */
export async function controlJson<T>(url: string, timeoutMs = CONTROL_TIMEOUT_MS): Promise<T> {
  const response = await controlFetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return (await response.json()) as T;
}
