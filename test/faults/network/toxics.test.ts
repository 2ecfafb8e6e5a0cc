/** Each toxic measured on real loopback sockets through the fault proxy (generous bounds). */
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { connect, rig, sleep, tryConnect } from './helpers.ts';

describe('fault proxy toxics', { timeout: 20_000 }, () => {
  it('passes data through unchanged with no toxics', async () => {
    const r = await rig();
    try {
      const c = await connect(r.listen);
      const payload = randomBytes(300_000);
      c.socket.write(payload);
      expect((await c.waitBytes(payload.length)).equals(payload)).toBe(true);
      c.socket.destroy();
    } finally {
      await r.close();
    }
  });

  it('latency adds at least its value; removing it delivers held data in order at once', async () => {
    const r = await rig();
    try {
      await r.faults.addToxic('p', { type: 'latency', attributes: { latency: 200 } });
      const c = await connect(r.listen);
      let started = performance.now();
      c.socket.write('ping');
      await c.waitBytes(4);
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);

      await r.faults.updateToxic('p', 'latency_downstream', { attributes: { latency: 60_000 } });
      const parts = ['one-', 'two-', 'three'];
      for (const part of parts) {
        c.socket.write(part);
        await sleep(30);
      }
      await sleep(200);
      expect(c.bytes().length).toBe(4); // held
      started = performance.now();
      await r.faults.removeToxic('p', 'latency_downstream');
      const all = await c.waitBytes(4 + parts.join('').length, 3000);
      expect(all.toString()).toBe('ping' + parts.join(''));
      expect(performance.now() - started).toBeLessThan(3000);
      c.socket.destroy();
    } finally {
      await r.close();
    }
  });

  it('latency on upstream delays client→server only', async () => {
    const r = await rig('sink');
    try {
      await r.faults.addToxic('p', { type: 'latency', stream: 'upstream', attributes: { latency: 300 } });
      const c = await connect(r.listen);
      c.socket.write('x');
      await sleep(150);
      expect(r.server.received[0]?.length ?? 0).toBe(0);
      await sleep(400);
      expect(Buffer.concat(r.server.received[0] ?? []).toString()).toBe('x');
      c.socket.destroy();
    } finally {
      await r.close();
    }
  });

  it('bandwidth caps the rate (KB/s) without changing the data', async () => {
    const r = await rig();
    try {
      await r.faults.addToxic('p', { type: 'bandwidth', attributes: { rate: 100 } });
      const c = await connect(r.listen);
      const payload = randomBytes(50_000); // 0.5 s at 100 KB/s
      const started = performance.now();
      c.socket.write(payload);
      const got = await c.waitBytes(payload.length, 10_000);
      expect(performance.now() - started).toBeGreaterThanOrEqual(400);
      expect(got.equals(payload)).toBe(true);
      c.socket.destroy();
    } finally {
      await r.close();
    }
  });

  it('timeout drops data, then closes the connection after its timeout', async () => {
    const r = await rig('sink');
    try {
      await r.faults.addToxic('p', { type: 'timeout', stream: 'upstream', attributes: { timeout: 300 } });
      const c = await connect(r.listen);
      const started = performance.now();
      c.socket.write('lost');
      await c.closed;
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
      expect(Buffer.concat(r.server.received.flat()).length).toBe(0);
    } finally {
      await r.close();
    }
  });

  it('timeout 0 holds data until removed, then delivers it', async () => {
    const r = await rig();
    try {
      await r.faults.addToxic('p', { type: 'timeout', name: 'hold', attributes: { timeout: 0 } });
      const c = await connect(r.listen);
      c.socket.write('held');
      await sleep(300);
      expect(c.bytes().length).toBe(0);
      expect(c.socket.destroyed).toBe(false);
      await r.faults.removeToxic('p', 'hold');
      expect((await c.waitBytes(4)).toString()).toBe('held');
      c.socket.destroy();
    } finally {
      await r.close();
    }
  });

  it('reset_peer resets the connection (ECONNRESET) after its timeout', async () => {
    const r = await rig();
    try {
      await r.faults.addToxic('p', { type: 'reset_peer', attributes: { timeout: 100 } });
      const c = await connect(r.listen);
      c.socket.write('hello');
      expect(await c.closed).toBe('ECONNRESET');
    } finally {
      await r.close();
    }
  });

  it('slicer splits data into small pieces, intact and in order', async () => {
    const r = await rig('sink');
    try {
      await r.faults.addToxic('p', { type: 'slicer', stream: 'upstream', attributes: { average_size: 10, size_variation: 5, delay: 2000 } });
      const c = await connect(r.listen);
      const payload = randomBytes(1000);
      c.socket.write(payload);
      const deadline = Date.now() + 8000;
      while (Buffer.concat(r.server.received[0] ?? []).length < payload.length && Date.now() < deadline) await sleep(20);
      const parts = r.server.received[0]!;
      expect(Buffer.concat(parts).equals(payload)).toBe(true);
      expect(parts.length).toBeGreaterThanOrEqual(20); // 1000 bytes in ~10-byte slices, 2 ms apart
      c.socket.destroy();
    } finally {
      await r.close();
    }
  });

  it('limit_data closes the connection after exactly N bytes', async () => {
    const r = await rig();
    try {
      await r.faults.addToxic('p', { type: 'limit_data', attributes: { bytes: 1000 } });
      const c = await connect(r.listen);
      const payload = randomBytes(5000);
      c.socket.write(payload);
      await c.closed;
      expect(c.bytes().equals(payload.subarray(0, 1000))).toBe(true);
    } finally {
      await r.close();
    }
  });

  it('slow_close delays the close by its delay', async () => {
    const r = await rig();
    try {
      await r.faults.addToxic('p', { type: 'slow_close', attributes: { delay: 300 } });
      const c = await connect(r.listen);
      const ended = new Promise<number>((resolve) => c.socket.once('end', () => resolve(performance.now())));
      const started = performance.now();
      c.socket.end();
      expect((await ended) - started).toBeGreaterThanOrEqual(250);
    } finally {
      await r.close();
    }
  });

  it('down refuses new connections and drops open ones; removing it restores service', async () => {
    const r = await rig();
    try {
      const c = await connect(r.listen);
      await r.faults.addToxic('p', { type: 'down', name: 'down' });
      expect(['ECONNRESET', '']).toContain(await c.closed); // dropped, not left hanging
      expect(await tryConnect(r.listen)).toBe('ECONNREFUSED');
      await r.faults.removeToxic('p', 'down');
      const d = await connect(r.listen);
      d.socket.write('back');
      expect((await d.waitBytes(4)).toString()).toBe('back');
      d.socket.destroy();
    } finally {
      await r.close();
    }
  });

  it('partition blackholes both directions with sockets open, and resumes when removed', async () => {
    const r = await rig();
    try {
      const c = await connect(r.listen);
      await r.faults.addToxic('p', { type: 'partition', name: 'cut' });
      c.socket.write('across');
      await sleep(300);
      expect(Buffer.concat(r.server.received.flat()).length).toBe(0);
      expect(c.bytes().length).toBe(0);
      expect(c.socket.destroyed).toBe(false);
      await r.faults.removeToxic('p', 'cut');
      expect((await c.waitBytes(6)).toString()).toBe('across');
      c.socket.destroy();
    } finally {
      await r.close();
    }
  });

  it('toxicity 0 never applies; toxicity 1 always does', async () => {
    const r = await rig();
    try {
      await r.faults.addToxic('p', { type: 'limit_data', name: 'never', toxicity: 0, attributes: { bytes: 1 } });
      for (let i = 0; i < 10; i++) {
        const c = await connect(r.listen);
        c.socket.write('abcdef');
        expect((await c.waitBytes(6)).toString()).toBe('abcdef');
        c.socket.destroy();
      }
      await r.faults.updateToxic('p', 'never', { toxicity: 1 });
      const c = await connect(r.listen);
      c.socket.write('abcdef');
      await c.closed;
      expect(c.bytes().toString()).toBe('a');
    } finally {
      await r.close();
    }
  });

  it('stacked toxics (latency with jitter, slicer, bandwidth) never reorder or corrupt; removal mid-stream delivers the rest', async () => {
    const r = await rig();
    try {
      await r.faults.addToxic('p', { type: 'latency', attributes: { latency: 20, jitter: 15 } });
      await r.faults.addToxic('p', { type: 'slicer', attributes: { average_size: 2000, size_variation: 1500, delay: 0 } });
      await r.faults.addToxic('p', { type: 'bandwidth', attributes: { rate: 200 } });
      const c = await connect(r.listen);
      const payload = randomBytes(400_000); // 2 s at 200 KB/s if never removed
      for (let offset = 0; offset < payload.length; offset += 7000) c.socket.write(payload.subarray(offset, offset + 7000));
      await c.waitBytes(20_000, 5000);
      await r.faults.removeToxic('p', 'bandwidth_downstream');
      await r.faults.removeToxic('p', 'latency_downstream');
      const got = await c.waitBytes(payload.length, 5000);
      expect(got.equals(payload)).toBe(true);
      c.socket.destroy();
    } finally {
      await r.close();
    }
  });
});
