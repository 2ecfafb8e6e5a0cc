/** `moshpit proxy` as its own process: JSON line when ready, --config populate, exit 0 on SIGTERM. */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FaultProxyClient } from '../../../runner/faults/network/index.ts';
import { connect, startServer, tryConnect } from './helpers.ts';

const entry = fileURLToPath(new URL('./proxy-entry.ts', import.meta.url));
const children: ChildProcess[] = [];

function start(args: string[]): { child: ChildProcess; firstLine: Promise<string>; exit: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'proxy', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
    });
    child.once('exit', () => reject(new Error(`exited before printing: ${stderr}`)));
  });
  firstLine.catch(() => {}); // awaited only by tests that expect a line
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
  return { child, firstLine, exit };
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('proxy command', { timeout: 30_000 }, () => {
  it('prints {"apiUrl"} when ready, creates --config proxies, and exits 0 on SIGTERM closing every socket', async () => {
    const server = await startServer('echo');
    const dir = mkdtempSync(join(tmpdir(), 'moshpit-proxy-'));
    try {
      const config = join(dir, 'populate.json');
      writeFileSync(config, JSON.stringify([{ name: 'echo', listen: '127.0.0.1:0', upstream: `127.0.0.1:${server.port}` }]));
      const run = start(['--api', '127.0.0.1:0', '--config', config]);
      const ready = JSON.parse(await run.firstLine) as { apiUrl: string };
      expect(ready.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const proxy = await new FaultProxyClient(ready.apiUrl).getProxy('echo');
      const c = await connect(proxy.listen);
      c.socket.write('hi');
      expect((await c.waitBytes(2)).toString()).toBe('hi');
      run.child.kill('SIGTERM');
      expect((await run.exit).code).toBe(0);
      expect(['ECONNRESET', '']).toContain(await c.closed);
      expect(await tryConnect(proxy.listen)).toBe('ECONNREFUSED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await server.close();
    }
  });

  it('exits 2 with one readable line for a bad --api or --config', async () => {
    const bad = start(['--api', 'nonsense']);
    const result = await bad.exit;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--api must be HOST:PORT/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const missing = await start(['--api', '127.0.0.1:0', '--config', '/nonexistent/p.json']).exit;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--config \/nonexistent\/p.json: cannot read \(ENOENT\)/);
  });
});
