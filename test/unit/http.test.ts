import { describe, expect, it } from 'vitest';
import { backoffMs, checkProxy, describeNetworkError, noProxyExempts, proxyEnv, redactUrl, retryAfterMs } from '../../src/net/http.js';

describe('retry timing', () => {
  it('Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Sat, 28 Nov 2026 12:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Sat, 28 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
  it('backoff doubles, is jittered between half and all, and is capped', () => {
    expect(backoffMs(1, () => 0)).toBe(150);
    expect(backoffMs(1, () => 1)).toBe(300);
    expect(backoffMs(3, () => 1)).toBe(1200);
    expect(backoffMs(20, () => 1)).toBe(5000);
  });
});

describe('network errors', () => {
  const err = (code: string, name = 'Error') => Object.assign(new Error(`boom ${code}`), { code, name });
  it.each([
    [err('ECONNREFUSED'), 'connect', 'connection refused', true],
    [err('ENOTFOUND'), 'connect', 'host not found (DNS)', false],
    [err('UND_ERR_HEADERS_TIMEOUT'), 'timeout', 'timed out', true],
    [err('ABORT_ERR', 'TimeoutError'), 'timeout', 'timed out', true],
    [err('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls', 'boom DEPTH_ZERO_SELF_SIGNED_CERT (DEPTH_ZERO_SELF_SIGNED_CERT)', false],
    [err('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls', expect.any(String), false],
  ])('%s', (e, kind, reason, retry) => {
    expect(describeNetworkError(e)).toMatchObject({ kind, reason, retry });
  });

  it('through a proxy, a failed connection is the proxy: the proxy reaches the host', () => {
    expect(describeNetworkError(err('ECONNREFUSED'), true)).toMatchObject({ kind: 'proxy', reason: 'connection refused' });
    expect(describeNetworkError(err('ENOTFOUND'), true)).toMatchObject({ kind: 'proxy', reason: 'host not found (DNS)' });
    // A reset may come from the far end of the tunnel.
    expect(describeNetworkError(err('ECONNRESET'), true)).toMatchObject({ kind: 'connect' });
  });
});

describe('proxy settings', () => {
  it('reads lower case first, then upper case, then ALL_PROXY for a scheme without its own', () => {
    expect(proxyEnv({ https_proxy: 'http://a', HTTPS_PROXY: 'http://b', NO_PROXY: 'x' })).toEqual({ httpsProxy: { name: 'https_proxy', value: 'http://a' }, noProxy: 'x' });
    expect(proxyEnv({ HTTPS_PROXY: 'http://b', ALL_PROXY: 'http://c' })).toEqual({
      httpProxy: { name: 'ALL_PROXY', value: 'http://c' },
      httpsProxy: { name: 'HTTPS_PROXY', value: 'http://b' },
      noProxy: '',
    });
  });
  it.each([
    ['proxy.corp:3128', 'http://proxy.corp:3128'],
    ['https://u:p%40ss@10.0.0.1:8443', 'https://u:p%40ss@10.0.0.1:8443'],
    ['http://[::1]:3128', 'http://[::1]:3128'],
  ])('checkProxy %s', (value, url) => {
    expect(checkProxy('HTTPS_PROXY', value)).toBe(url);
  });
  it.each([
    ['ht!tp://x y', 'not a valid http(s) URL'],
    ['http://x y:8080', 'not a valid http(s) URL'],
    ['http://proxy:99999', 'not a valid http(s) URL'],
    ['http://u:p%zz@proxy:1', 'not a valid http(s) URL'],
    ['http://pro_xy:1', 'not a valid http(s) URL'],
    ['socks5://proxy:1080', 'a socks5 proxy, which gardin-token cannot use'],
  ])('checkProxy refuses %s, naming the variable', (value, why) => {
    expect(() => checkProxy('ALL_PROXY', value)).toThrowError(new RegExp(`^The proxy URL in ALL_PROXY \\(".*"\\) is ${why.replace(/[()]/g, '\\$&')}`));
  });
  it('redacts a proxy password', () => {
    expect(redactUrl('http://user:pa55@proxy:3128')).toBe('http://user:***@proxy:3128');
  });
});

describe('noProxyExempts', () => {
  it.each([
    ['https://login.gardin.ag/t', 'gardin.ag', true],
    ['https://login.gardin.ag/t', '.gardin.ag', true],
    ['https://login.gardin.ag/t', '*.gardin.ag', true],
    ['https://login.gardin.ag/t', 'login.gardin.ag:443', true],
    ['https://login.gardin.ag/t', 'login.gardin.ag:8443', false],
    ['https://login.gardin.ag/t', 'ardin.ag', false],
    ['https://login.gardin.ag/t', 'other.example, *', true],
    ['https://login.gardin.ag/t', '', false],
  ])('%s with NO_PROXY=%s', (url, noProxy, exempt) => {
    expect(noProxyExempts(new URL(url), noProxy)).toBe(exempt);
  });
});
