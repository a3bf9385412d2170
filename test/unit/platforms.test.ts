import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/cli/program.js';
import { signalPlan } from '../../src/commands/supervise.js';
import { completionTree } from '../../src/commands/completion/tree.js';
import { powershell } from '../../src/commands/completion/powershell.js';
import { keychainName } from '../../src/config/messages.js';
import { formatNamed } from '../../src/formats/index.js';
import type { Printable } from '../../src/formats/format.js';
import { appDirs } from '../../src/platform/dirs.js';
import { ownerProblem } from '../../src/platform/private-files.js';

// What branches on the platform, with the platform passed in: Linux, macOS and Windows each get
// their folders, file checks, keychain, signal handling, shell formats and completion. (Only Linux
// runs here; CI runs the same on macOS and Windows runners.)

describe('folders', () => {
  it.each([
    ['linux', { XDG_CONFIG_HOME: '/x/c' }, { config: '/x/c/gardin-token', cache: '/home/u/.cache/gardin-token' }],
    ['darwin', {}, { config: '/home/u/Library/Preferences/gardin-token', cache: '/home/u/Library/Caches/gardin-token' }],
    ['win32', {}, { config: expect.stringMatching(/AppData.Roaming.gardin-token.Config$/), cache: expect.stringMatching(/AppData.Local.gardin-token.Cache$/) }],
  ] as const)('%s', (platform, env, dirs) => {
    expect(appDirs(env, platform, '/home/u')).toEqual(dirs);
  });
});

describe('file trust', () => {
  const dir = { uid: 1000, mode: 0o40775, isDirectory: () => true };
  it('POSIX: another owner, or (strict) a folder others can write, is refused', () => {
    expect(ownerProblem({ ...dir, uid: 1001 }, 1000, false)?.why).toBe('is owned by another user (uid 1001, not 1000)');
    expect(ownerProblem(dir, 1000, true)?.why).toMatch(/^is writable by group or others \(mode 0775\)/);
    expect(ownerProblem(dir, 1000, false)).toBeUndefined();
    expect(ownerProblem({ ...dir, mode: 0o40700 }, 1000, true)).toBeUndefined();
  });
  it('Windows: no uids and no mode bits, so nothing of the kind is refused (symlinks and kinds still are)', () => {
    expect(ownerProblem({ ...dir, uid: 0, mode: 0o40777 }, undefined, true)).toBeUndefined();
  });
});

describe('the keychain', () => {
  it.each([
    ['darwin', 'the macOS Keychain'],
    ['win32', 'the Windows Credential Manager'],
    ['linux', 'the Secret Service (OS keychain)'],
  ] as const)('%s: %s', (platform, name) => {
    expect(keychainName(platform)).toBe(name);
  });
});

describe("exec's signals", () => {
  it('POSIX off a terminal: every job signal is passed on, none waited out', () => {
    expect(signalPlan('linux', false)).toEqual({
      forward: ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGWINCH', 'SIGTSTP', 'SIGCONT'],
      waitOut: [],
    });
    expect(signalPlan('darwin', false)).toEqual(signalPlan('linux', false));
  });
  it('POSIX on a terminal: the keyboard’s signals reach the command directly, Ctrl-C and Ctrl-\\ are waited out', () => {
    expect(signalPlan('darwin', true)).toEqual({ forward: ['SIGHUP', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGCONT'], waitOut: ['SIGINT', 'SIGQUIT'] });
  });
  it('Windows: nothing to pass on; Ctrl-C and Ctrl-Break reach the command through the console and are waited out', () => {
    expect(signalPlan('win32', true)).toEqual({ forward: [], waitOut: ['SIGINT', 'SIGBREAK'] });
    expect(signalPlan('win32', false)).toEqual({ forward: [], waitOut: ['SIGINT', 'SIGBREAK'] });
  });
});

// PowerShell and cmd cannot be installed on this Debian machine (no package for either), so their
// formats are checked by parsing, with their quoting rules written out here; CI's Windows job
// runs the real ones.
describe('the Windows shell formats, parsed', () => {
  // Every character a token may hold (RFC 6750 b64token) and an expiry.
  const token = 'eyJ0eXAi.AZaz09-._~+/Q==';
  const t: Printable = { accessToken: token, tokenType: 'Bearer', expiresAt: Date.UTC(2026, 11, 5, 12, 0, 0), scope: undefined, cached: false };
  const render = (name: string) => formatNamed(name)!.render(t, { now: 0, varName: 'GARDIN_ACCESS_TOKEN', env: {} }).stdout;

  /** PowerShell: `$Env:NAME = '<single-quoted>'`, where '' is a quote and nothing else is special. */
  const parsePowerShell = (text: string) =>
    text
      .trimEnd()
      .split('\n')
      .map((line) => {
        const m = /^\$Env:([A-Za-z_][A-Za-z0-9_]*) = '((?:[^']|'')*)'$/.exec(line);
        expect(m, line).not.toBeNull();
        return [m![1], m![2]!.replaceAll("''", "'")];
      });
  /** cmd: `set "NAME=value"`, where inside the quotes only % (expansion) and " are special. */
  const parseCmd = (text: string) =>
    text
      .trimEnd()
      .split('\n')
      .map((line) => {
        const m = /^set "([A-Za-z_][A-Za-z0-9_]*)=([^"%\r\n]*)"$/.exec(line);
        expect(m, line).not.toBeNull();
        return [m![1], m![2]];
      });

  it.each([
    ['powershell', parsePowerShell],
    ['cmd', parseCmd],
  ] as const)('%s: each line sets one variable to exactly the value', (name, parse) => {
    expect(parse(render(name))).toEqual([
      ['GARDIN_ACCESS_TOKEN', token],
      ['GARDIN_ACCESS_TOKEN_EXPIRES_AT', '2026-12-05T12:00:00Z'],
    ]);
  });

  it('powershell: a failure is one terminating statement', () => {
    expect(formatNamed('powershell')!.onFailure).toMatch(/^throw '[^']*'\n$/);
  });
});

describe('completion for PowerShell', () => {
  const script = powershell.script(completionTree(ROOT));
  it('registers a native completer for gardin-token and gardin-token.exe', () => {
    expect(script).toContain("Register-ArgumentCompleter -Native -CommandName 'gardin-token', 'gardin-token.exe' -ScriptBlock {");
  });
  it('holds the tree as data: subcommands, options, choices, profile names and scopes', () => {
    expect(script).toContain("'profile' = @('add', 'set', 'rename', 'list', 'show', 'remove', 'use')");
    expect(script).toMatch(/'-o' = @\('raw', 'json', 'export', 'header', 'dotenv', 'fish', 'powershell', 'cmd', 'github'\)/);
    expect(script).toContain("'-p' = 'profile'");
    expect(script).toContain("'jobs:read'");
    expect(script).toContain("'profile show' = 'profile'");
    // Profile names are matched to the documented set, never evaluated.
    expect(script).toContain("Where-Object { $_ -match '^[A-Za-z0-9][A-Za-z0-9._-]*$' }");
  });
});
