/**
 * Child-process entry for the AMQP fuzz suite: one emulator (default config, in memory) in its
 * own process, so its memory can be measured and a crash cannot take the test runner with it.
 *   node --import tsx child.ts service-bus|event-hubs '{"handshakeTimeoutMs":2000,...}'
 * Prints {"connectionString":...,"controlUrl":...,"controlKey":...} when ready; SIGTERM closes it.
 */
import { startServiceBus } from '../../../fixtures/service-bus/emulator/server.ts';
import { startEventHubs } from '../../../fixtures/event-hubs/emulator/server.ts';
import { controlKey } from '../../../fixtures/emulators/common/control-key.ts';

const [kind, guardJson] = process.argv.slice(2);
const amqpGuard = guardJson ? JSON.parse(guardJson) : {};
// MOSHPIT_FUZZ_TRACE=1: every refused connection on stderr (to debug a round; the suite wants stderr silent)
if (process.env.MOSHPIT_FUZZ_TRACE) amqpGuard.onViolation = (condition: string, description: string) => process.stderr.write(`${new Date().toISOString()} ${condition} ${description}\n`);
const emulator = kind === 'service-bus' ? await startServiceBus({ inMemory: true, amqpGuard }) : await startEventHubs({ inMemory: true, amqpGuard });
process.stdout.write(`${JSON.stringify({ connectionString: emulator.connectionString, controlUrl: emulator.controlUrl, controlKey: controlKey() })}\n`);
process.once('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
