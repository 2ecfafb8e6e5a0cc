/**
 * A busy neighbour for timing-sensitive integration tests (issue 19: a false loss appeared only
 * while another process kept a core busy): a child process that spins one core until stopped.
 * Start it in beforeAll, stop it in afterAll; it also dies with the test process (it polls
 * its parent) so a killed test run leaves no spinner behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';

// spins in 50 ms slices; between slices it checks the parent is still there
const SPIN = `const parent = Number(process.argv[1]);
for (;;) {
  const end = Date.now() + 50;
  while (Date.now() < end) {}
  try { process.kill(parent, 0); } catch { process.exit(0); }
}`;

export interface CpuHog {
  readonly pid: number;
  stop(): Promise<void>;
}

export function startCpuHog(): CpuHog {
  const child: ChildProcess = spawn(process.execPath, ['-e', SPIN, String(process.pid)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid ?? -1,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
