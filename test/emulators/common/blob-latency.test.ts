/**
 * The latency model in front of Azurite's Blob service delays a request, then hands it on
 * whole: a handler that reads the body with a 'data' listener (as Azurite's durable extent
 * store does) still gets every byte. It once paused the request, which kept such a handler
 * waiting forever: every blob PUT under a profile hung, Event Hubs ownership claims never
 * landed and no consumer got a partition. Real sockets on 127.0.0.1, port 0.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBlobLatency } from '../../../fixtures/emulators/azurite/latency.ts';

let server: Server;
let port = 0;
let delayed = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => res.end(String(bytes)));
  });
  addBlobLatency(server, { blobPut: { nextMs: () => (delayed++, 20) } });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function put(body: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'PUT', path: '/devstoreaccount1/container/blob', headers: { 'content-length': body.length }, timeout: 5000 }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 5 s: the delayed request never reached its handler')));
    req.on('error', reject);
    req.end(body);
  });
}

describe('blob latency in front of Azurite', () => {
  it('delays a blob PUT and its handler still reads the whole body (empty and 256 KiB)', async () => {
    expect(await put(Buffer.alloc(0))).toBe('0');
    expect(await put(Buffer.alloc(256 * 1024, 7))).toBe(String(256 * 1024));
    expect(delayed).toBe(2);
  });
});
