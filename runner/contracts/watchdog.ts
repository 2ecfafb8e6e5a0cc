/**
 * A child of a run exits by itself when the runner that started it is gone (even when the runner
 * was SIGKILLed and could not clean up). The runner passes its pid in MOSHPIT_PARENT_PID. A
 * contract of the runner and every process it starts (the backend, the emulator child, the
 * fault proxy), so it lives here rather than in runner/stack/.
 */
/** The environment variable that carries the parent's pid to a child. */
export const PARENT_PID_ENV = 'MOSHPIT_PARENT_PID';

export function exitWhenParentDies(intervalMs = 1000): void {
  const parent = Number(process.env[PARENT_PID_ENV]);
  if (!Number.isInteger(parent) || parent <= 0) return;
  const timer = setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.kill(process.pid, 'SIGTERM');
      setTimeout(() => process.exit(1), 5000).unref();
    }
  }, intervalMs);
  timer.unref();
}
