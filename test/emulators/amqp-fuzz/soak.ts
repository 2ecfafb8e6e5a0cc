/**
 * The long variant of the AMQP fuzz suite (`npm run fuzz`): the same rounds as the test, many
 * times over, against each AMQP emulator in a child process, printing RSS after every cycle.
 *   MOSHPIT_FUZZ_CYCLES (default 20) · MOSHPIT_FUZZ_SEED (default 19) · MOSHPIT_FUZZ_KIND (service-bus|event-hubs; default both)
 * Exits 1 when the emulator dies, /health stops answering, RSS passes 600 MB, an SDK round trip
 * fails, a dead link keeps messages, or the emulator writes to stderr.
 */
import { type AmqpKind, recordSdkSession, startChild } from './harness.ts';
import { seeded } from './frames.ts';
import { array32Round, hugeDispositionRound, hugeFrameRound, hugeValueRound, mutatedRound, randomRound, slowRound, wrongTypeRound } from './rounds.ts';
import { deadLinksCheck, sdkRoundTrip } from './sdk-checks.ts';
import { TEST_GUARD } from './suite.ts';

const cycles = Number(process.env.MOSHPIT_FUZZ_CYCLES ?? 20);
const seed = Number(process.env.MOSHPIT_FUZZ_SEED ?? 19);
const kinds: AmqpKind[] = process.env.MOSHPIT_FUZZ_KIND ? [process.env.MOSHPIT_FUZZ_KIND as AmqpKind] : ['service-bus', 'event-hubs'];
const MAX_RSS_MB = 600;

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

async function soak(kind: AmqpKind): Promise<void> {
  const emu = await startChild(kind, TEST_GUARD);
  const random = seeded(seed);
  const started = Date.now();
  try {
    const rssStartMb = emu.rssMb();
    await array32Round(emu);
    const transcript = await recordSdkSession(emu);
    let connections = 0;
    let peakMb = rssStartMb;
    for (let cycle = 1; cycle <= cycles; cycle++) {
      const rounds = [await mutatedRound(emu, transcript, random, 600), await randomRound(emu, random, 150), await wrongTypeRound(emu, random, 150), await hugeValueRound(emu), await hugeFrameRound(emu, 64 << 20), await hugeDispositionRound(emu, 20)];
      connections += rounds.reduce((n, r) => n + r.connections, 0);
      const rssMb = emu.rssMb();
      peakMb = Math.max(peakMb, rssMb);
      console.log(JSON.stringify({ kind, cycle, connections, rssMb: Math.round(rssMb), elapsedS: Math.round((Date.now() - started) / 1000) }));
      check(rssMb < MAX_RSS_MB, `${kind}: RSS ${Math.round(rssMb)} MB over ${MAX_RSS_MB} MB after cycle ${cycle}`);
      check((await fetch(`${emu.controlUrl}/health`)).ok, `${kind}: /health did not answer after cycle ${cycle}`);
    }
    await slowRound(emu, 100, 8000);
    if (kind === 'service-bus') {
      const dead = await deadLinksCheck(emu, 10, 20);
      check(dead.lockedAfter === 0, `${kind}: ${dead.lockedAfter} messages stay locked by links without a client`);
      check(dead.received === dead.sent, `${kind}: ${dead.sent - dead.received} of ${dead.sent} messages went to links without a client`);
    }
    await sdkRoundTrip(emu);
    check(emu.stderr() === '', `${kind} wrote to stderr: ${emu.stderr().slice(0, 500)}`);
    console.log(JSON.stringify({ kind, ok: true, cycles, connections, rssStartMb: Math.round(rssStartMb), rssPeakMb: Math.round(peakMb), rssEndMb: Math.round(emu.rssMb()), seconds: Math.round((Date.now() - started) / 1000) }));
  } finally {
    await emu.stop();
  }
}

try {
  for (const kind of kinds) await soak(kind);
} catch (error) {
  console.error(`fuzz soak failed: ${(error as Error).message}`);
  process.exit(1);
}
