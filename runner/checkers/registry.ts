/**
 * The checkers, listed explicitly, with the flows (and so flow kinds) each one judges.
 * Message flows (uploads, comments): total-queue, latency, plus ordering (comments, ordered per
 * song) and integrity (uploads, checksummed). Event flow (song-added): fan-out, latency.
 */
import { UserError } from '../contracts/errors.ts';
import type { CheckResult } from '../results/schema.ts';
import type { Flow } from '../contracts/flows.ts';
import { checkClientVisible } from './client-visible.ts';
import { checkFanOut } from './fan-out.ts';
import { FLOW_COMMENTS, FLOW_UPLOADS, type HistoryIndex, type MessageFlowCode } from './index.ts';
import { checkIntegrity } from './integrity.ts';
import { checkEventLatency, checkMessageLatency } from './latency.ts';
import { checkOrdering } from './ordering.ts';
import { checkTotalQueue } from './total-queue.ts';

export interface CheckerEntry {
  name: string;
  description: string;
  flows: readonly Flow[];
  /**
   * Whether its `valid` takes part in the flow's verdict. Latency is always "unknown" (the
   * gate's thresholds judge it), so counting it would make every flow "unknown".
   */
  judges: boolean;
  run(index: HistoryIndex, flow: Flow): CheckResult;
}

const MESSAGE_FLOW_CODE: Partial<Record<Flow, MessageFlowCode>> = { uploads: FLOW_UPLOADS, comments: FLOW_COMMENTS };
function messageFlow(flow: Flow): MessageFlowCode {
  const code = MESSAGE_FLOW_CODE[flow];
  if (code === undefined) throw new Error(`${flow} is not a message flow`);
  return code;
}

export const CHECKERS: readonly CheckerEntry[] = [
  {
    name: 'total-queue',
    judges: true,
    description: 'attempted vs acknowledged vs committed: lost, unexpected, duplicated, recovered, indeterminate',
    flows: ['uploads', 'comments'],
    run: (index, flow) => checkTotalQueue(index, messageFlow(flow)),
  },
  {
    name: 'ordering',
    judges: true,
    description: 'per song, commit order vs send order: inversions and gaps',
    flows: ['comments'],
    run: (index) => checkOrdering(index),
  },
  {
    name: 'integrity',
    judges: true,
    description: 'the stored song matches the uploaded bytes (sha256)',
    flows: ['uploads'],
    run: (index) => checkIntegrity(index),
  },
  {
    name: 'fan-out',
    judges: true,
    description: 'every committed song reached every subscriber exactly once',
    flows: ['song-added'],
    run: (index) => checkFanOut(index),
  },
  {
    name: 'latency',
    judges: false,
    description: 'per-hop and end-to-end latency from the intended start (HdrHistogram)',
    flows: ['uploads', 'comments', 'song-added'],
    run: (index, flow) => (flow === 'song-added' ? checkEventLatency(index) : checkMessageLatency(index, messageFlow(flow))),
  },
  {
    name: 'client-visible',
    judges: false,
    description: 'operations the user saw fail: timeout, 5xx, connection refused, other',
    flows: ['uploads', 'comments'],
    run: (index, flow) => checkClientVisible(index, messageFlow(flow)),
  },
];

export function checkersFor(flow: Flow): CheckerEntry[] {
  return CHECKERS.filter((c) => c.flows.includes(flow));
}

export function getChecker(name: string): CheckerEntry {
  const found = CHECKERS.find((c) => c.name === name);
  if (!found) throw new UserError(`unknown checker "${name}"; known checkers: ${CHECKERS.map((c) => c.name).join(', ')}`);
  return found;
}
