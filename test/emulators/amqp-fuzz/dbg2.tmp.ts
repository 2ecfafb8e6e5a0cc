import { startChild } from './harness.ts';
import { serviceBusRoundTrip } from './sdk-checks.ts';
import { TEST_GUARD } from './suite.ts';
import { throwAt } from './harness.ts';
import { saslAnonymous, openFrame, beginFrame, frame, performative, str, uint, NULL } from './frames.ts';
const emu = await startChild('service-bus', TEST_GUARD);
for (let i = 0; i < 3; i++) { const s = Date.now(); console.log(await serviceBusRoundTrip(emu, ['x' + i], 5000), Date.now() - s); }
const attach = frame(performative(0x12, [str('silent'), uint(0), [0x42], NULL, NULL, NULL, [0x00, 0x53, 0x29, 0xc0, 7, 1, ...str('$cbs')]]));
const t = await throwAt(emu.port, Buffer.concat([saslAnonymous(), openFrame(), beginFrame(), attach]), 8000);
console.log(t.elapsedMs, t.closedByServer, JSON.stringify(t.reply.toString('latin1')).slice(-60));
await emu.stop();
