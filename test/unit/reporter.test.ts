import { describe, expect, it } from 'vitest';
import { Reporter } from '../../src/platform/reporter.js';

describe('Reporter', () => {
  it('scrubs every registered form, the longest first, and works deferred forms out only when something is printed', () => {
    let err = '';
    let worked = 0;
    const r = new Reporter({ stderr: { write: (s) => (err += String(s)) } }, { verbose: true, quiet: false });
    r.addSecrets(['abcd']);
    r.addSecrets(() => {
      worked++;
      return ['abcd-long-form'];
    });
    expect(worked).toBe(0);
    r.trace('x abcd-long-form y abcd z');
    expect(worked).toBe(1);
    expect(err).toBe('gardin-token: x *** y *** z\n');
    r.trace('again abcd');
    expect(worked).toBe(1);
  });
});
