/** Fault targets and times are checked against the scenario's own stack, with every other problem. */
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../runner/scenario/loader.ts';
import { faultIssues, stackMembers } from '../../runner/faults/validate.ts';

const base = { name: 'f', description: 'faults', duration: '10s', drainLimit: '5s', load: { uploads: { rate: 1 }, comments: { rate: 1 } } };
const messages = (scenario: object) => {
  try {
    validateScenario(scenario, 'f.json');
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('fault validation', () => {
  it('names the members of the stack a scenario starts', () => {
    expect(stackMembers({ ...base, backend: { workers: { uploads: 1, comments: 2 }, subscribers: 1 } }, 'service-bus')).toEqual([
      'broker', 'emulator-storage', 'emulator-service-bus', 'api', 'worker-uploads-1', 'worker-comments-1', 'worker-comments-2', 'subscriber-1',
    ]);
  });

  it('accepts targets that exist and times inside the run', () => {
    const faults = [
      { at: '1s', for: '2s', target: 'worker-comments-1', fault: { type: 'kill' } },
      { at: '9s', for: '6s', target: 'broker', fault: { type: 'throttle', ratio: 0.5 } },
      { at: '2s', target: 'storage', fault: { type: 'stop' } },
    ];
    expect(messages({ ...base, techs: ['storage-queue'], faults })).toBe('');
  });

  it('refuses a member only some technologies have, a fault kind on the wrong member, and the api restarting', () => {
    const message = messages({
      ...base,
      techs: ['storage-queue', 'service-bus'],
      faults: [
        { at: '1s', target: 'emulator-service-bus', fault: { type: 'kill' } },
        { at: '1s', target: 'api', fault: { type: 'latency', latencyMs: 100 } },
        { at: '1s', target: 'api', fault: { type: 'consumer-error' } },
        { at: '1s', target: 'api', fault: { type: 'restart' } },
      ],
    });
    expect(message).toContain('invalid scenario (4 problems)');
    expect(message).toContain('faults.0.target: target "emulator-service-bus" exists in the service-bus stack only, not in storage-queue');
    expect(message).toContain('faults.1.target: latency is a network fault on the links to the broker: use target "broker"');
    expect(message).toContain('faults.2.target: consumer-error acts on a consumer');
    expect(message).toContain('faults.3.target: the api cannot be started again during a run');
  });

  it('checks --tech choices against the faults too', () => {
    const scenario = { duration: 10_000, drainLimit: 5_000, faults: [{ at: 1000, target: 'emulator-event-hubs', fault: { type: 'kill' } }] };
    expect(faultIssues(scenario, ['event-hubs'])).toEqual([]);
    expect(faultIssues(scenario, ['storage-queue'])[0]?.message).toMatch(/^unknown target "emulator-event-hubs"; this scenario's stack members: broker, emulator-storage, api/);
  });
});
