import { startChild, recordSdkSession } from './harness.ts';
import { seeded } from './frames.ts';
import { mutatedRound, randomRound, wrongTypeRound, hugeValueRound } from './rounds.ts';
import { deadLinksCheck } from './sdk-checks.ts';
import { TEST_GUARD } from './suite.ts';
const kind = process.argv[2] as 'service-bus';
const emu = await startChild(kind, TEST_GUARD);
const random = seeded(19);
const t = await recordSdkSession(emu);
for (const r of [() => mutatedRound(emu, t, random, 600), () => randomRound(emu, random, 150), () => wrongTypeRound(emu, random, 150), () => hugeValueRound(emu)]) {
  const res = await r(); console.log(JSON.stringify(res), 'rss', emu.rssMb().toFixed(0));
}
if (kind === 'service-bus') console.log(JSON.stringify(await deadLinksCheck(emu, 3, 5)).slice(0, 300));
console.log(emu.stderr().slice(0, 3000));
await emu.stop();
