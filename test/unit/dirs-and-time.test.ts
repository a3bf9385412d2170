import { describe, expect, it } from 'vitest';
import { describeJwt, decodeJwt } from '../../src/commands/inspect.js';
import { relativeTime } from '../../src/platform/text.js';
import { appDirs, fileIn } from '../../src/platform/dirs.js';
import { tlsFailure } from '../../src/net/messages.js';
import { fakeJwt } from '../helpers/token-server.js';

describe('appDirs: the right folders on each platform', () => {
  it.each([
    ['linux', {}, { config: '/home/u/.config/gardin-token', cache: '/home/u/.cache/gardin-token' }],
    ['linux', { XDG_CONFIG_HOME: '/x/c', XDG_CACHE_HOME: '/x/k' }, { config: '/x/c/gardin-token', cache: '/x/k/gardin-token' }],
    ['linux', { XDG_CONFIG_HOME: '/x/c/', XDG_CACHE_HOME: '/' }, { config: '/x/c/gardin-token', cache: '/gardin-token' }],
    ['darwin', {}, { config: '/home/u/Library/Preferences/gardin-token', cache: '/home/u/Library/Caches/gardin-token' }],
    ['win32', { APPDATA: 'C:/A', LOCALAPPDATA: 'C:/L' }, { config: 'C:/A/gardin-token/Config', cache: 'C:/L/gardin-token/Cache' }],
  ] as const)('%s %j', (platform, env, expected) => {
    expect(appDirs(env, platform, '/home/u')).toEqual(expected);
  });
});

describe('fileIn: a file in a folder, without normalising the folder', () => {
  it.each([
    ['/a/b', 'c.json', '/a/b/c.json'],
    ['/a/b/', 'c.json', '/a/b/c.json'],
    ['/', 'c.json', '/c.json'],
    ['rel', 'c.json', 'rel/c.json'],
  ])('fileIn(%j, %j) = %j', (dir, name, path) => {
    expect(fileIn(dir, name)).toBe(path);
  });
});

describe('durations and inspect', () => {
  it.each([
    [54 * 60_000 + 20_000, 'in 54 min'],
    [-3 * 60_000, '3 min ago'],
    [30_000, 'in 30 s'],
    [(3 * 60 + 5) * 60_000, 'in 3 h 5 min'],
    [29_400, 'in 29 s'],
    [-26_796 * 3_600_000, '3 years ago'],
    [-5 * 86_400_000, '5 days ago'],
    [-1 * 86_400_000, '24 h ago'],
    [100 * 86_400_000, 'in 3 months'],
  ])('relativeTime(%i) = %s', (ms, text) => {
    expect(relativeTime(ms)).toBe(text);
  });
  it('says when a token has expired', () => {
    const now = 1_800_000_000_000;
    expect(describeJwt(decodeJwt(fakeJwt({ exp: now / 1000 - 120 })), now)).toContain('Expired 2 min ago');
  });
});

describe('TLS failure hints', () => {
  it.each([
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'does not name this host'],
    ['CERT_HAS_EXPIRED', 'has expired'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', '--ca-file'],
  ])('%s', (code, hint) => {
    expect(tlsFailure('x', 'https://a', code, 'the token endpoint').hint).toContain(hint);
  });
});
