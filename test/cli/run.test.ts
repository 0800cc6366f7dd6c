import { describe, expect, it } from 'vitest';
import { run } from '../../cli/run.js';

function call(args: string[]) {
  let text = '';
  const code = run(args, (t) => {
    text += t;
  });
  return { code, text };
}

describe('corridor CLI (what exists so far)', () => {
  it('prints help with the demo command and exits 0', () => {
    const { code, text } = call(['--help']);
    expect(code).toBe(0);
    expect(text).toContain('demo');
  });

  it('prints the protocol version', () => {
    expect(call(['version'])).toEqual({ code: 0, text: 'corridor/1\n' });
  });

  it('says plainly that the demo is not built yet', () => {
    const { code, text } = call(['demo']);
    expect(code).toBe(0);
    expect(text).toMatch(/not built yet/);
  });

  it('an unknown command is one clear line and a non-zero exit', () => {
    const { code, text } = call(['refer-now']);
    expect(code).toBe(2);
    expect(text.trim().split('\n')).toHaveLength(1);
  });
});
