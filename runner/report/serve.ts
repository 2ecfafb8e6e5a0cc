/**
 * `moshpit report --serve`: serves the report on 127.0.0.1 and re-renders it when a results file
 * changes (mtime polled). The page polls /version and reloads when it changes. The served page's
 * Content-Security-Policy additionally allows requests to its own origin (for that poll only).
 */
import { statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../contracts/errors.ts';
import { readResultsFile } from '../results/reader.ts';
import { buildReportHtml } from './bundle.ts';

export interface ReportServer {
  url: string;
  port: number;
  /** bumps each time the report is re-rendered */
  version(): number;
  close(): Promise<void>;
}

export interface ServeOptions {
  port?: number;
  /** how often the results files' mtimes are checked */
  pollMs?: number;
  /** told about re-renders and about results files that could not be read (kept serving the last good one) */
  log?: (line: string) => void;
}

const RELOAD_SCRIPT = (version: number, pollMs: number) =>
  `<script>(()=>{const v=${version};setInterval(async()=>{try{const r=await fetch('/version',{cache:'no-store'});` +
  `if(r.ok&&Number(await r.text())!==v)location.reload();}catch{}},${pollMs});})();</script>`;

function mtimes(files: string[]): string {
  return files.map((f) => { try { return String(statSync(f).mtimeMs); } catch { return 'missing'; } }).join(',');
}

export async function serveReport(files: string[], options: ServeOptions = {}): Promise<ReportServer> {
  if (files.length === 0) throw new UserError('no results files given: pass at least one results.json');
  const pollMs = options.pollMs ?? 500;
  const log = options.log ?? (() => {});
  let version = 1;
  let html = await render(files, version, pollMs); // bad input at start: UserError, nothing served
  let seen = mtimes(files);
  let rendering = false;
  const timer = setInterval(() => {
    const now = mtimes(files);
    if (now === seen || rendering) return;
    seen = now;
    rendering = true;
    render(files, version + 1, pollMs)
      .then((page) => { html = page; version += 1; log(`re-rendered (version ${version})`); })
      .catch((error: Error) => log(`kept the previous report: ${error.message}`))
      .finally(() => { rendering = false; });
  }, pollMs);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/version') {
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end(String(version));
    } else if (path === '/' || path === '/index.html' || path === '/report.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the report is at /');
    }
  });
  try {
    await listen(server, options.port ?? 0);
  } catch (error) {
    clearInterval(timer);
    throw new UserError(`cannot serve on 127.0.0.1:${options.port}: ${(error as Error).message}; pick another --port or leave it out for a free one`);
  }
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    version: () => version,
    close: () => {
      clearInterval(timer);
      return new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
    },
  };
}

async function render(files: string[], version: number, pollMs: number): Promise<string> {
  const page = await buildReportHtml(files.map((file) => readResultsFile(file)));
  return page
    .replace(`content="default-src 'none';`, `content="default-src 'none'; connect-src 'self';`)
    .replace(/<\/body>/i, `${RELOAD_SCRIPT(version, pollMs)}</body>`);
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
}
