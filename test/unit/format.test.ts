import { describe, expect, it } from 'vitest';
import { variables, type Printable } from '../../src/formats/format.js';
import { githubEnvLines } from '../../src/formats/github.js';
import { formatNamed } from '../../src/formats/index.js';

/** What a format prints for this token. */
const formatToken = (t: Printable, name: string, now: number, varName = 'GARDIN_ACCESS_TOKEN'): string => formatNamed(name)!.render(t, { now, varName, env: {} }).stdout;

const now = Date.parse('2026-11-28T12:00:00Z');
const token: Printable = { accessToken: 'eyJ.abc-_.x~+/=', tokenType: 'Bearer', expiresAt: now + 3599_500, scope: 'jobs:read', cached: false };
const EXP = '2026-11-28T12:59:59Z';

describe('formatToken', () => {
  it.each([
    ['raw', 'eyJ.abc-_.x~+/=\n'],
    ['export', `export GARDIN_ACCESS_TOKEN='eyJ.abc-_.x~+/='\nexport GARDIN_ACCESS_TOKEN_EXPIRES_AT='${EXP}'\n`],
    ['header', 'Authorization: Bearer eyJ.abc-_.x~+/=\n'],
    ['dotenv', `GARDIN_ACCESS_TOKEN=eyJ.abc-_.x~+/=\nGARDIN_ACCESS_TOKEN_EXPIRES_AT=${EXP}\n`],
    ['fish', `set -gx GARDIN_ACCESS_TOKEN 'eyJ.abc-_.x~+/='\nset -gx GARDIN_ACCESS_TOKEN_EXPIRES_AT '${EXP}'\n`],
    ['powershell', `$Env:GARDIN_ACCESS_TOKEN = 'eyJ.abc-_.x~+/='\n$Env:GARDIN_ACCESS_TOKEN_EXPIRES_AT = '${EXP}'\n`],
    ['cmd', `set "GARDIN_ACCESS_TOKEN=eyJ.abc-_.x~+/="\nset "GARDIN_ACCESS_TOKEN_EXPIRES_AT=${EXP}"\n`],
  ] as const)('%s', (format, expected) => {
    expect(formatToken(token, format, now)).toBe(expected);
  });

  it('json: whole seconds left, ISO expiry, scope, cached', () => {
    expect(JSON.parse(formatToken({ ...token, cached: true }, 'json', now))).toEqual({
      access_token: 'eyJ.abc-_.x~+/=',
      token_type: 'Bearer',
      expires_in: 3599,
      expires_at: EXP,
      scope: 'jobs:read',
      cached: true,
    });
  });

  it('json leaves out an unknown scope and states an unknown lifetime as null', () => {
    const o = JSON.parse(formatToken({ ...token, scope: undefined, expiresAt: undefined }, 'json', now));
    expect(o).not.toHaveProperty('scope');
    expect(o.expires_in).toBeNull();
    expect(o.expires_at).toBeNull();
  });

  it('dotenv quotes a value that sh would change (a leading ~), and only then', () => {
    expect(formatToken({ ...token, accessToken: '~root' }, 'dotenv', now)).toBe(`GARDIN_ACCESS_TOKEN='~root'\nGARDIN_ACCESS_TOKEN_EXPIRES_AT=${EXP}\n`);
  });

  it('--var-name renames both variables', () => {
    expect(formatToken(token, 'export', now, 'TOK')).toBe(`export TOK='eyJ.abc-_.x~+/='\nexport TOK_EXPIRES_AT='${EXP}'\n`);
  });

  it('github env lines use a delimiter so a value cannot define another variable', () => {
    expect(githubEnvLines(variables(token, 'T'), 'EOF_x')).toBe(`T<<EOF_x\neyJ.abc-_.x~+/=\nEOF_x\nT_EXPIRES_AT<<EOF_x\n${EXP}\nEOF_x\n`);
  });
});
