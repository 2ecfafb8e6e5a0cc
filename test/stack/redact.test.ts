/** A run's child logs never hold the secrets the child was given (the control key). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redact, spawnChild } from '../../runner/stack/children.ts';
import { newControlKey } from '../../fixtures/emulators/common/control-key.ts';

const dir = mkdtempSync(join(tmpdir(), 'moshpit-redact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('child log redaction', () => {
  it('replaces every occurrence of a secret in stderr and in stdout after the ready line', async () => {
    const key = newControlKey();
    const script = `const k = process.env.K; console.error('starting with ' + k + ' and ' + k); console.log('{"ready":true}'); console.log('endpoint x?key=' + k); console.error('tail ' + k);`;
    const child = await spawnChild<{ ready: boolean }>({ name: 'leaky', command: process.execPath, args: ['-e', script], env: { K: key }, logFile: join(dir, 'leaky.log'), secrets: [key] });
    expect(child.ready).toEqual({ ready: true });
    await child.exited;
    await new Promise((resolve) => setTimeout(resolve, 300)); // the log ends when the pipes close
    const log = readFileSync(join(dir, 'leaky.log'), 'utf8');
    expect(log).toContain('starting with <redacted> and <redacted>');
    expect(log).toContain('endpoint x?key=<redacted>');
    expect(log).toContain('tail <redacted>');
    expect(log).not.toContain(key);
    expect(redact('no secrets here', [])).toBe('no secrets here');
  });
});
