/**
 * The fuzz rounds, each against one emulator child: hostile bytes of one kind, thrown over many
 * connections, with what the server answered. The test (fuzz.test.ts) and the soak script
 * (soak.ts) run the same rounds with different counts; a seed makes a run repeatable.
 */
import { connect } from 'node:net';
import { type ChildEmulator, type Thrown, inBatches, throwAt } from './harness.ts';
import {
  AMQP_HEADER, CLIENT_PERFORMATIVES, HUGE_VALUES, NULL, TYPED_VALUES, array32Packet, beginFrame, frame, mutate, openFrame,
  performative, randomBytes, saslAnonymous, str, uint,
} from './frames.ts';

export interface RoundResult {
  name: string;
  connections: number;
  /** connections the server ended itself (rather than the client's wait running out) */
  closedByServer: number;
  /** AMQP error conditions the server sent, with counts */
  conditions: Record<string, number>;
  elapsedMs: number;
}

const PARALLEL = 50;

/** The AMQP error condition in a reply (the close the server sent), if any. */
export function conditionOf(reply: Buffer): string | undefined {
  return /(amqp|com\.microsoft):[a-z:-]+/.exec(reply.toString('latin1'))?.[0];
}

function summarize(name: string, started: number, results: Thrown[]): RoundResult {
  const conditions: Record<string, number> = {};
  for (const r of results) {
    const c = conditionOf(r.reply);
    if (c) conditions[c] = (conditions[c] ?? 0) + 1;
  }
  return { name, connections: results.length, closedByServer: results.filter((r) => r.closedByServer).length, conditions, elapsedMs: Date.now() - started };
}

async function throwAll(name: string, emu: ChildEmulator, packets: Buffer[], waitMs = 250): Promise<RoundResult> {
  const started = Date.now();
  return summarize(name, started, await inBatches(packets.map((p) => () => throwAt(emu.port, p, waitMs)), PARALLEL));
}

/** The 46-byte packet (and the same after SASL ANONYMOUS): refused without allocating. */
export function array32Round(emu: ChildEmulator): Promise<RoundResult> {
  return throwAll('array32 packet', emu, [array32Packet(false), array32Packet(true)], 3000);
}

/** Random bytes: bare, after the AMQP header, and after SASL + open. */
export function randomRound(emu: ChildEmulator, random: () => number, count: number): Promise<RoundResult> {
  const prefixes = [Buffer.alloc(0), AMQP_HEADER, Buffer.concat([saslAnonymous(), openFrame()])];
  const packets = Array.from({ length: count }, (_, i) => Buffer.concat([prefixes[i % 3], randomBytes(random, 1 + Math.floor(random() * 512))]));
  return throwAll('random bytes', emu, packets);
}

/** A recorded SDK session with bytes flipped, sizes replaced, or cut short. */
export function mutatedRound(emu: ChildEmulator, transcript: Buffer, random: () => number, count: number): Promise<RoundResult> {
  return throwAll('mutated sequences', emu, Array.from({ length: count }, () => mutate(transcript, random)));
}

/** After SASL, open and begin: a performative with a value of some type in one of its fields. */
export function wrongTypeRound(emu: ChildEmulator, random: () => number, count: number): Promise<RoundResult> {
  const packets = Array.from({ length: count }, () => {
    const [code, fieldCount] = CLIENT_PERFORMATIVES[Math.floor(random() * CLIENT_PERFORMATIVES.length)];
    const at = Math.floor(random() * fieldCount);
    const fields = Array.from({ length: at + 1 }, (_, i) => (i === at ? TYPED_VALUES[Math.floor(random() * TYPED_VALUES.length)] : NULL));
    const bad = frame(performative(code, fields));
    return Buffer.concat(code === 0x10 ? [saslAnonymous(), bad] : [saslAnonymous(), openFrame(), beginFrame(), bad]);
  });
  return throwAll('wrong field types', emu, packets, 1000);
}

/**
 * Every huge declared size in every field of open, begin, attach, flow and transfer. A bad open
 * ends the socket without a close (there is no AMQP connection yet); `openCases` counts those.
 */
export async function hugeValueRound(emu: ChildEmulator): Promise<RoundResult & { openCases: number }> {
  const packets: Buffer[] = [];
  for (const value of Object.values(HUGE_VALUES)) {
    for (const [code, fieldCount] of CLIENT_PERFORMATIVES.slice(0, 5)) {
      for (let at = 0; at < fieldCount; at++) {
        const bad = frame(performative(code, Array.from({ length: at + 1 }, (_, i) => (i === at ? value : NULL))));
        packets.push(Buffer.concat(code === 0x10 ? [saslAnonymous(), bad] : [saslAnonymous(), openFrame(), beginFrame(), bad]));
      }
    }
  }
  const openCases = Object.keys(HUGE_VALUES).length * CLIENT_PERFORMATIVES[0][1];
  return { ...(await throwAll('huge declared sizes', emu, packets, 3000)), openCases };
}

/**
 * Frames that declare 2 GiB, followed by as many bytes as the server takes (at most
 * `streamBytes`): three at once, before and after open. Returns the bytes each could push.
 */
export async function hugeFrameRound(emu: ChildEmulator, streamBytes: number): Promise<RoundResult & { bytesAccepted: number[] }> {
  const started = Date.now();
  const declare2GiB = Buffer.from([0x7f, 0xff, 0xff, 0xff, 2, 0, 0, 0]);
  const prefixes = [AMQP_HEADER, Buffer.concat([saslAnonymous(), openFrame()]), Buffer.concat([saslAnonymous(), openFrame(), beginFrame()])];
  const runs = await Promise.all(prefixes.map((prefix) => stream(emu.port, Buffer.concat([prefix, declare2GiB]), streamBytes)));
  return { ...summarize('2 GiB frames', started, runs), bytesAccepted: runs.map((r) => r.bytesWritten) };
}

function stream(port: number, head: Buffer, limit: number): Promise<Thrown & { bytesWritten: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    const received: Buffer[] = [];
    let written = 0;
    let done = false;
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      pump();
    });
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ reply: Buffer.concat(received), closedByServer, elapsedMs: Date.now() - started, bytesWritten: written });
    };
    const pump = () => {
      while (!done && written < limit) {
        written += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      if (written >= limit) setTimeout(() => finish(false), 500);
    };
    socket.on('data', (d) => received.push(d));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
  });
}

/**
 * Slow and idle clients: silent sockets, a header dribbled one byte at a time, and connections
 * opened with no link. All must be closed by the server within `withinMs`.
 */
export async function slowRound(emu: ChildEmulator, count: number, withinMs: number): Promise<RoundResult> {
  const started = Date.now();
  const silent = Array.from({ length: count }, () => throwAt(emu.port, Buffer.alloc(0), withinMs));
  const dribbled = Array.from({ length: count }, () => dribble(emu.port, saslAnonymous(), 200, withinMs));
  const noLink = Array.from({ length: count }, () => throwAt(emu.port, Buffer.concat([saslAnonymous(), openFrame()]), withinMs));
  return summarize('slow and idle', started, await Promise.all([...silent, ...dribbled, ...noLink]));
}

/** Opens, attaches a $cbs link, then stays silent (no heartbeats): the idle-time-out applies. */
export async function silentLinkRound(emu: ChildEmulator, count: number, withinMs: number): Promise<RoundResult> {
  const started = Date.now();
  const attach = frame(performative(0x12, [str('silent'), uint(0), [0x42], NULL, NULL, NULL, [0x00, 0x53, 0x29, 0xc0, 7, 1, ...str('$cbs')]]));
  const packet = Buffer.concat([saslAnonymous(), openFrame(), beginFrame(), attach]);
  return summarize('silent with a link', started, await Promise.all(Array.from({ length: count }, () => throwAt(emu.port, packet, withinMs))));
}

function dribble(port: number, bytes: Buffer, everyMs: number, withinMs: number): Promise<Thrown> {
  return new Promise((resolve) => {
    const started = Date.now();
    const received: Buffer[] = [];
    let i = 0;
    let done = false;
    const socket = connect(port, '127.0.0.1');
    const tick = setInterval(() => i < bytes.length && !socket.destroyed && socket.write(bytes.subarray(i, ++i)), everyMs);
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearInterval(tick);
      clearTimeout(timer);
      socket.destroy();
      resolve({ reply: Buffer.concat(received), closedByServer, elapsedMs: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), withinMs);
    socket.on('data', (d) => received.push(d));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
  });
}

/**
 * Dispositions over the whole delivery-id space (first 0, last 2^32-1), as sender and as
 * receiver, on a session with a receiver link that has credit: must cost the server nothing.
 */
export function hugeDispositionRound(emu: ChildEmulator, count: number): Promise<RoundResult> {
  const address = emu.kind === 'service-bus' ? 'uploads' : '$cbs';
  const source = [0x00, 0x53, 0x28, 0xc0, 2 + address.length + 1, 1, ...str(address)];
  const attach = frame(performative(0x12, [str('settler'), uint(0), [0x41], NULL, NULL, source, [0x00, 0x53, 0x29, 0x45]]));
  const flow = frame(performative(0x13, [NULL, uint(100), uint(0), uint(100), uint(0), uint(0), uint(10)]));
  const packets = Array.from({ length: count }, (_, i) => {
    const disposition = frame(performative(0x15, [[i % 2 ? 0x42 : 0x41], uint(0), uint(0xffffffff), [0x41], [0x00, 0x53, 0x24, 0x45]]));
    return Buffer.concat([saslAnonymous(), openFrame(), beginFrame(), attach, flow, disposition]);
  });
  return throwAll('huge dispositions', emu, packets);
}

/** Attaches whose source or target has a descriptor no terminus has (rhea would print "Unknown terminus"). */
export function unknownTerminusRound(emu: ChildEmulator): Promise<RoundResult> {
  const unknown = [0x00, 0x53, 0x77, 0xc0, 6, 1, ...str('$cbs')];
  const known = [0x00, 0x53, 0x29, 0xc0, 7, 1, ...str('$cbs')];
  const attaches = [[unknown, known], [known, unknown], [[0x00, 0xa3, 3, 0x61, 0x62, 0x63, 0x45], known]];
  const packets = attaches.map(([source, target], i) => Buffer.concat([saslAnonymous(), openFrame(), beginFrame(), frame(performative(0x12, [str(`t${i}`), uint(0), [0x42], NULL, NULL, source, target]))]));
  return throwAll('unknown terminus', emu, packets);
}
