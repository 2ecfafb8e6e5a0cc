/**
 * Where a Toxiproxy server binary is, for side-by-side figures and the `--toxiproxy` test:
 * $TOXIPROXY_SERVER, `toxiproxy-server` on PATH, or `$(go env GOPATH)/bin/toxiproxy-server` as
 * scripts/install-toxiproxy.sh builds it. Undefined when there is none.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function findToxiproxyServer(): string | undefined {
  if (process.env.TOXIPROXY_SERVER) return process.env.TOXIPROXY_SERVER;
  if (spawnSync('sh', ['-c', 'command -v toxiproxy-server']).status === 0) return 'toxiproxy-server';
  const gopath = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8' });
  const built = gopath.status === 0 ? join(gopath.stdout.trim(), 'bin', 'toxiproxy-server') : '';
  return built && existsSync(built) ? built : undefined;
}
