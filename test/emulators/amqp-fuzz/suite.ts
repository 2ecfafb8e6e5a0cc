/**
 * The fuzz suite of one AMQP emulator (issue 19), run in its own child process: the 46-byte
 * array32 packet, 600 mutated SDK sessions, random bytes, wrong field types, huge declared
 * sizes, 2 GiB frames, slow and idle clients, dead receiver links (Service Bus); then /health,
 * RSS under 600 MB, an SDK round trip and a silent stderr. Timeouts are shortened through the
 * emulator's amqpGuard option so the slow-client rounds take seconds, not minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AmqpKind, type ChildEmulator, recordSdkSession, startChild } from './harness.ts';
import { array32Packet, seeded } from './frames.ts';
import {
  array32Round, hugeDispositionRound, hugeFrameRound, hugeValueRound, mutatedRound, randomRound, silentLinkRound, slowRound, unknownTerminusRound, wrongTypeRound,
} from './rounds.ts';
import { deadLinksCheck, sdkRoundTrip } from './sdk-checks.ts';

export const TEST_GUARD = { handshakeTimeoutMs: 1500, noLinkAfterOpenMs: 1500, idleTimeoutMs: 1000 };
const SEED = Number(process.env.MOSHPIT_FUZZ_SEED ?? 19);
const MAX_RSS_MB = 600;

export function fuzzSuite(kind: AmqpKind): void {
  describe(`${kind} emulator under hostile AMQP input (seed ${SEED})`, { timeout: 30_000 }, () => {
    let emu: ChildEmulator;
    let rssStartMb = 0;
    const random = seeded(SEED);

    beforeAll(async () => {
      emu = await startChild(kind, TEST_GUARD);
      rssStartMb = emu.rssMb();
    });
    afterAll(async () => {
      await emu?.stop();
    });

    it('refuses the 46-byte array32 packet at once, with amqp:decode-error, allocating nothing', async () => {
      expect(array32Packet(false)).toHaveLength(46);
      const round = await array32Round(emu);
      expect(round.closedByServer).toBe(2);
      expect(round.conditions['amqp:decode-error']).toBe(2);
      expect(emu.rssMb() - rssStartMb).toBeLessThan(50);
    });

    it('survives 600 mutated SDK sessions, random bytes, wrong field types and huge declared sizes', async () => {
      const transcript = await recordSdkSession(emu);
      expect(transcript.length).toBeGreaterThan(500);
      const mutated = await mutatedRound(emu, transcript, random, 600);
      expect(mutated.connections).toBe(600);
      // how many the server ends within the short wait depends on the machine's load: what counts
      // is that it survives them (the checks after the rounds)
      await randomRound(emu, random, 150);
      const wrong = await wrongTypeRound(emu, random, 150);
      expect(wrong.conditions['amqp:decode-error']).toBeGreaterThan(50);
      const huge = await hugeValueRound(emu);
      // every huge size is refused by the server, and said so with decode-error
      expect(huge.closedByServer).toBe(huge.connections);
      expect(huge.conditions['amqp:decode-error']).toBe(huge.connections - huge.openCases);
      await hugeDispositionRound(emu, 20);
      const terminus = await unknownTerminusRound(emu);
      expect(terminus.conditions['amqp:decode-error']).toBe(terminus.connections);
      // none of it kept the event loop busy
      const healthStarted = Date.now();
      expect((await fetch(`${emu.controlUrl}/health`, { signal: AbortSignal.timeout(5000) })).status).toBe(200);
      expect(Date.now() - healthStarted).toBeLessThan(2000);
    });

    it('refuses frames that declare 2 GiB at the header and keeps no memory after', async () => {
      const rssBeforeMb = emu.rssMb();
      const round = await hugeFrameRound(emu, 64 << 20);
      expect(round.closedByServer).toBe(3);
      // refused at the header: only what was already in flight got through before the close
      for (const bytes of round.bytesAccepted) expect(bytes).toBeLessThan(16 << 20);
      expect(emu.rssMb() - rssBeforeMb).toBeLessThan(64);
    });

    it('closes silent, dribbling and link-less connections, and links that stop heartbeating', async () => {
      const [slow, silent] = await Promise.all([slowRound(emu, 30, 8000), silentLinkRound(emu, 10, 8000)]);
      expect(slow.closedByServer).toBe(90);
      expect(slow.elapsedMs).toBeLessThan(8000);
      expect(slow.conditions['amqp:connection:forced']).toBeGreaterThanOrEqual(30);
      expect(silent.closedByServer).toBe(10);
      expect(silent.conditions['amqp:resource-limit-exceeded']).toBe(10);
    });

    if (kind === 'service-bus') {
      it('never delivers to a receiver link whose client vanished (locks are not held by dead links)', async () => {
        const check = await deadLinksCheck(emu, 3, 5);
        expect(check.lockedAfter).toBe(0);
        expect(check.received).toBe(check.sent);
      });
    }

    it(`afterwards: /health answers, RSS < ${MAX_RSS_MB} MB, an SDK client sends and receives, stderr is silent`, async () => {
      expect((await fetch(`${emu.controlUrl}/health`)).status).toBe(200);
      expect(emu.rssMb()).toBeLessThan(MAX_RSS_MB);
      expect(await sdkRoundTrip(emu)).toMatch(/^alive-/);
      expect(emu.stderr()).toBe('');
    });
  });
}
