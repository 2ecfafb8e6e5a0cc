/** Issue 19's fuzz suite against the Event Hubs emulator (see suite.ts). */
import { fuzzSuite } from './suite.ts';

fuzzSuite('event-hubs');
