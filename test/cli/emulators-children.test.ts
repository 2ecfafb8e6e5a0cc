/**
 * `moshpit emulators start` with several emulators runs one child process per emulator: killing
 * one leaves the others serving, the death is reported on stderr, the ready line carries the
 * control key, the control APIs refuse requests without it, and SIGTERM stops every child.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { controlFetch } from '../../runner/stack/control-client.ts';

const BIN = 'bin/moshpit.mjs';

/** The emulator children of a process, by the emulator each serves (from their command lines). */
function emulatorChildren(parentPid: number): Map<string, number> {
  const ps = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(parentPid)], { encoding: 'utf8' });
  const children = new Map<string, number>();
  for (const line of ps.stdout.split('\n')) {
    const match = /^\s*(\d+)\s+.*emulators\/child\.ts \{"name":"([a-z-]+)"/.exec(line);
    if (match) children.set(match[2]!, Number(match[1]));
  }
  return children;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('emulators start: one process per emulator', () => {
  it('keeps storage serving when the service-bus child is killed, reports it, and stops everything on SIGTERM', async () => {
    const parent = spawn(process.execPath, [BIN, 'emulators', 'start', '--only', 'storage,service-bus', '--json', '--in-memory'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    parent.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => parent.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready line within 45 s: ${stderr}`)), 45_000);
        createInterface({ input: parent.stdout }).once('line', (l) => {
          clearTimeout(timer);
          resolve(l);
        });
      });
      const ready = JSON.parse(line) as { storage: { controlUrl: string }; serviceBus: { controlUrl: string }; controlKey: string };
      expect(Object.keys(ready).sort()).toEqual(['controlKey', 'serviceBus', 'storage']);
      expect(ready.controlKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
      // both children share the key of this start
      for (const url of [ready.storage.controlUrl, ready.serviceBus.controlUrl]) {
        expect((await controlFetch(`${url}/faults`, { method: 'DELETE' })).status).toBe(401);
        expect((await controlFetch(`${url}/faults`, { method: 'DELETE', key: ready.controlKey })).status).toBe(200);
      }

      const children = emulatorChildren(parent.pid!);
      expect([...children.keys()].sort()).toEqual(['service-bus', 'storage']);
      process.kill(children.get('service-bus')!, 'SIGKILL');
      await expect.poll(() => stderr, { timeout: 10_000 }).toMatch(/the service-bus emulator \(pid \d+\) exited unexpectedly \(SIGKILL\); the other emulators keep running/);
      expect((await controlFetch(`${ready.storage.controlUrl}/health`)).status).toBe(200);
      expect((await controlFetch(`${ready.storage.controlUrl}/entities`, { key: ready.controlKey })).status).toBe(200);
      await expect(controlFetch(`${ready.serviceBus.controlUrl}/health`)).rejects.toThrow();

      parent.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(alive(children.get('storage')!)).toBe(false);
      expect(stderr).not.toContain(ready.controlKey);
    } finally {
      for (const pid of emulatorChildren(parent.pid!).values()) process.kill(pid, 'SIGKILL');
      parent.kill('SIGKILL');
    }
  }, 90_000);
});
