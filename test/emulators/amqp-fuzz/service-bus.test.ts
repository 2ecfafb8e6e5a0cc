/** Issue 19's fuzz suite against the Service Bus emulator (see suite.ts). */
import { fuzzSuite } from './suite.ts';

fuzzSuite('service-bus');
