import { describe, expect, it } from 'vitest';
import * as cli from '../../src/cli/messages.js';
import * as commands from '../../src/commands/messages.js';
import * as config from '../../src/config/messages.js';
import type { Source } from '../../src/config/source.js';
import * as fleet from '../../src/fleet/messages.js';
import * as formats from '../../src/formats/messages.js';
import * as net from '../../src/net/messages.js';
import { GardinTokenError } from '../../src/platform/errors.js';
import * as token from '../../src/token/messages.js';

// Every sentence a user can read comes from one of the areas' messages.ts: this lists them all,
// each with sample values, in one snapshot a reviewer reads top to bottom. An export without a
// sample fails the test, so a new message cannot miss the list.
const flag = (name: string): Source => ({ kind: 'flag', name });
const env = (name: string): Source => ({ kind: 'env', name });
const profile: Source = { kind: 'profile', name: 'prod' };
const URL_ = 'https://login.gardin.ag/oauth2/token';
const attempts = [
  { outcome: 'HTTP 503', ms: 120 },
  { outcome: 'connection refused', ms: 3 },
];
const credentials = {
  clientId: 'abc123',
  clientIdSource: env('GARDIN_CLIENT_ID'),
  secretSource: env('GARDIN_CLIENT_SECRET'),
  tokenUrl: URL_,
  tokenUrlSource: { kind: 'default' } as Source,
  scopes: ['jobs:read'],
  scopesSource: flag('--scope'),
  secretWhitespace: 'end' as const,
};

type Samples = Record<string, Array<() => unknown>>;
const SAMPLES: Record<string, Samples> = {
  cli: {
    optionNotApplicable: [() => cli.optionNotApplicable('--scope', 'profile list')],
    optionGivenTwice: [() => cli.optionGivenTwice('--output', 'gardin-token')],
    parseErrorLine: [() => cli.parseErrorLine("error: unknown option '--bogus'\n(Did you mean --verbose?)")],
  },
  commands: {
    formatsConflict: [() => commands.formatsConflict(['--json', '-o export'])],
    unknownShell: [() => commands.unknownShell('tcsh', ['bash', 'zsh', 'fish'])],
    notAJwt: [() => commands.notAJwt('it has 1 part, not 3')],
    noCommand: [() => commands.noCommand()],
    execFailed: [() => commands.execFailed('nosuch', 'ENOENT', 'spawn nosuch ENOENT'), () => commands.execFailed('./script', 'EACCES', 'permission denied')],
    nothingToInspect: [() => commands.nothingToInspect()],
    noSharedCache: [() => commands.noSharedCache()],
    optionNeedsShared: [() => commands.optionNeedsShared('--cache-url')],
    NO_VALID_TOKEN: [() => commands.NO_VALID_TOKEN],
    noValidCachedToken: [() => commands.noValidCachedToken(60)],
    tokenExpiredNotice: [() => commands.tokenExpiredNotice()],
    unknownHelpTopic: [() => commands.unknownHelpTopic('nope', ['environment', 'exit-codes'])],
    unknownCommand: [() => commands.unknownCommand('exce', ['exec', 'inspect', 'status'])],
    profileSaved: [() => commands.profileSaved('prod', false, true, '/home/u/.config/gardin-token/config.json'), () => commands.profileSaved('prod', true, false, '/c.json')],
    noProfilesStored: [() => commands.noProfilesStored()],
    profileRenamed: [() => commands.profileRenamed('staging', 'stage', true)],
    profileUpdated: [() => commands.profileUpdated('prod', ['scope', 'token URL'], true), () => commands.profileUpdated('prod', [], false)],
    profileNowDefault: [() => commands.profileNowDefault('prod')],
    keychainEntryNotDeleted: [() => commands.keychainEntryNotDeleted('prod', 'the keychain is locked')],
    cacheCleared: [() => commands.cacheCleared(1, undefined, '/home/u/.cache/gardin-token'), () => commands.cacheCleared(3, 'prod', '/c')],
    optionNeedsRefresh: [() => commands.optionNeedsRefresh('--refresh-signal')],
    unknownSignal: [() => commands.unknownSignal('NOPE')],
    renewFailedNotice: [() => commands.renewFailedNotice('The token endpoint answered HTTP 503.', 2000)],
    tokenFileEmptied: [() => commands.tokenFileEmptied('/run/user/1000/gardin-token-x/token', 'Could not reach the token endpoint: connection refused.')],
    noLifetimeToKeep: [() => commands.noLifetimeToKeep()],
    invalidListen: [() => commands.invalidListen('0.0.0.0:8080', 'not a loopback address (127.0.0.1, [::1] or localhost)')],
    keyFileUnusable: [() => commands.keyFileUnusable('/k', 'permission denied')],
    proxyRefusal: [
      () => commands.proxyRefusal('absolute'),
      () => commands.proxyRefusal('host'),
      () => commands.proxyRefusal('key'),
      () => commands.proxyRefusal('token', 'The token endpoint answered HTTP 503.'),
      () => commands.proxyRefusal('api', 'connection refused'),
    ],
    sharedCacheCleared: [
      () => commands.sharedCacheCleared(true, 1, 'redis://redis:6379'),
      () => commands.sharedCacheCleared(false, 0, 'redis://r'),
      () => commands.sharedCacheCleared(true, undefined, 'redis://r'),
    ],
  },
  config: {
    missingClientId: [() => config.missingClientId([], 'flags'), () => config.missingClientId(['prod', 'dev'], 'flags'), () => config.missingClientId(['prod'], 'options')],
    unknownProfile: [() => config.unknownProfile('prdo', flag('-p'), ['prod', 'dev']), () => config.unknownProfile('x', undefined, [])],
    profileExists: [() => config.profileExists('prod')],
    nothingToSet: [() => config.nothingToSet(['--client-id', '--token-url', '--scope'])],
    noDefaultLeft: [() => config.noDefaultLeft('prod', ['dev'])],
    invalidSetting: [() => config.invalidSetting('timeout', 'abc', flag('--timeout'), 'a number of seconds')],
    credentialsInUrl: [() => config.credentialsInUrl(env('GARDIN_TOKEN_URL'))],
    apiUrlCredentials: [() => config.apiUrlCredentials(flag('--base-url'))],
    secretGivenTwice: [() => config.secretGivenTwice(['--client-secret', '--client-secret-stdin'])],
    profileIncomplete: [() => config.profileIncomplete('client ID'), () => config.profileIncomplete('client secret'), () => config.profileIncomplete('private key')],
    invalidUrl: [() => config.invalidUrl('::nope', flag('--token-url'), 'token URL')],
    redactCacheUrl: [() => config.redactCacheUrl('redis://user:pw@redis:6379/0?x=1')],
    invalidCacheUrl: [() => config.invalidCacheUrl('redis://r/99', env('GARDIN_CACHE_URL'), 'the database must be 0 to 15')],
    insecureUrl: [() => config.insecureUrl('http://example.com/token', flag('--token-url'))],
    configUnreadable: [() => config.configUnreadable('/c.json', 'not JSON')],
    stdinUnavailable: [() => config.stdinUnavailable()],
    emptySecret: [() => config.emptySecret(env('GARDIN_CLIENT_SECRET'))],
    secretTooLarge: [() => config.secretTooLarge({ kind: 'stdin' }, 65536)],
    secretFileUnreadable: [() => config.secretFileUnreadable('/run/secret', env('GARDIN_CLIENT_SECRET_FILE'), 'no such file')],
    secretCommandFailed: [() => config.secretCommandFailed('prod', 'exit 1: vault: permission denied')],
    profileNameInvalid: [() => config.profileNameInvalid('-bad')],
    profileStoreUnwritable: [() => config.profileStoreUnwritable('/c.json', 'read-only file system')],
    profileStoreBusy: [() => config.profileStoreBusy('/c.json')],
    emptyValue: [() => config.emptyValue(flag('--client-id'))],
    emptyVar: [() => config.emptyVar('GARDIN_SCOPE')],
    envSetAsideNotice: [
      () => config.envSetAsideNotice(['GARDIN_TOKEN_URL'], { value: 'prod', source: flag('-p') }),
      () => config.envSetAsideNotice(['GARDIN_CLIENT_SECRET', 'GARDIN_SCOPE'], { value: 'prod', source: { kind: 'default-profile' } }),
    ],
    secretCommandTimedOut: [() => config.secretCommandTimedOut('prod', 10)],
    keychainName: [() => config.keychainName('darwin'), () => config.keychainName('win32'), () => config.keychainName('linux')],
    keychainUnavailable: [
      () => config.keychainUnavailable('prod', 'the Secret Service (OS keychain)', { missing: 'service', text: 'no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)' }),
      () =>
        config.keychainUnavailable('prod', 'the macOS Keychain', { missing: 'module', text: 'the native keychain module (@napi-rs/keyring) for darwin-arm64 is missing' }, false),
      () => config.keychainUnavailable('prod', 'the macOS Keychain', { missing: undefined, text: 'User interaction is not allowed.' }),
      () => config.keychainUnavailable('prod', 'the Windows Credential Manager', { missing: 'binary', text: 'the single-file binary cannot carry the native keychain module' }),
    ],
    keychainEntryMissing: [() => config.keychainEntryMissing('prod', 'the macOS Keychain')],
    secretStoreNotApplicable: [() => config.secretStoreNotApplicable('prod'), () => config.secretStoreNotApplicable(undefined)],
    keychainFallbackNotice: [() => config.keychainFallbackNotice('the Secret Service (OS keychain)', { missing: 'service', text: 'no D-Bus session' }, '/c.json')],
  },
  fleet: {
    sharedCacheReason: [
      () => fleet.sharedCacheReason({ what: 'GET', timeoutMs: 500 }),
      () => fleet.sharedCacheReason({ what: 'connect', error: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }) }),
    ],
    sharedCacheSpent: [() => fleet.sharedCacheSpent(1000)],
    sharedLockStuck: [() => fleet.sharedLockStuck(30)],
    sharedCacheUnusable: [() => fleet.sharedCacheUnusable('redis://redis:6379', 'no answer to GET within 500 ms')],
  },
  formats: {
    notInGithubActions: [() => formats.notInGithubActions()],
    githubEnvUnwritable: [() => formats.githubEnvUnwritable('$GITHUB_ENV', '/github/env', 'permission denied')],
  },
  net: {
    caFileUnreadable: [() => net.caFileUnreadable('/ca.pem', '--ca-file', 'no such file')],
    proxyAuthRequired: [
      () => net.proxyAuthRequired({ shown: 'http://proxy:3128', variable: 'HTTPS_PROXY', hasCredentials: false }),
      () => net.proxyAuthRequired({ shown: 'http://me:***@proxy:3128', variable: 'https_proxy', hasCredentials: true }),
      () => net.proxyAuthRequired(undefined),
    ],
    proxyUnreachable: [
      () => net.proxyUnreachable('connection refused', { shown: 'http://proxy:3128', variable: 'HTTPS_PROXY', hasCredentials: false }, URL_, attempts, net.TOKEN_ENDPOINT),
    ],
    invalidProxy: [() => net.invalidProxy('HTTPS_PROXY', 'socks5://p:1080', 'a SOCKS proxy, which is not supported')],
    caFileNotPem: [() => net.caFileNotPem('/ca.der', '--ca-file', 'no PEM certificate in it')],
    GARDIN_API: [() => net.GARDIN_API],
    apiStatus: [() => net.apiStatus('GET', 'https://api.gardin.ag/v1/devices/d-9', 404, 'Not Found', 'device not found')],
    apiOriginRefused: [() => net.apiOriginRefused('https://evil.example', 'https://api.gardin.ag/v1')],
    apiRedirectRefused: [() => net.apiRedirectRefused(302, 'https://api.gardin.ag/v1/x', 'https://elsewhere.example/')],
    tooManyRedirects: [() => net.tooManyRedirects('https://api.gardin.ag/v1/x')],
    badField: [() => net.badField('novalue', '-f')],
    badHeader: [() => net.badHeader('NoColon')],
    authorizationHeaderGiven: [() => net.authorizationHeaderGiven()],
    headerNotCarried: [() => net.headerNotCarried('X-A: b', 'it does not start with X-')],
    methodNotCarried: [() => net.methodNotCarried('TRACE', 'it is not one the API takes')],
    fieldClash: [() => net.fieldClash('name=b', '-f', 'name')],
    API_MAX_BYTES: [() => net.API_MAX_BYTES],
    paginationLoop: [() => net.paginationLoop('https://api.gardin.ag/v1/x?page=2', 3)],
    tooManyPages: [() => net.tooManyPages(100)],
    pagesTooLarge: [() => net.pagesTooLarge(12)],
    inputTooLarge: [() => net.inputTooLarge('standard input', 1048576)],
    apiInputUnreadable: [() => net.apiInputUnreadable('-', 'closed'), () => net.apiInputUnreadable('/body.json', 'no such file')],
    inputTwice: [() => net.inputTwice()],
    attemptsText: [() => net.attemptsText(attempts)],
    TOKEN_ENDPOINT: [() => net.TOKEN_ENDPOINT],
    connectionFailure: [() => net.connectionFailure('connection refused', URL_, attempts, net.TOKEN_ENDPOINT)],
    timeoutFailure: [
      () => net.timeoutFailure(30, URL_, attempts, undefined, net.TOKEN_ENDPOINT),
      () => net.timeoutFailure(30, URL_, [], { shown: 'http://proxy:3128', variable: 'HTTPS_PROXY', hasCredentials: false }, net.TOKEN_ENDPOINT),
    ],
    tlsFailure: [
      () => net.tlsFailure('unable to verify the first certificate', URL_, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', net.TOKEN_ENDPOINT),
      () => net.tlsFailure('x', URL_, 'CERT_HAS_EXPIRED', net.GARDIN_API, { shown: 'https://proxy:3129', variable: 'HTTPS_PROXY', hasCredentials: false }),
    ],
    bodyTooLarge: [() => net.bodyTooLarge(1048576, net.TOKEN_ENDPOINT)],
  },
  token: {
    expiredOnArrival: [() => token.expiredOnArrival('expires_in 0')],
    tokenRefused: [
      () => token.tokenRefused({ status: 401, error: 'invalid_client', errorDescription: 'client authentication failed' }, credentials),
      () =>
        token.tokenRefused(
          { status: 400, error: 'invalid_scope' },
          { ...credentials, clientIdSource: profile, secretSource: profile, tokenUrlSource: profile, secretWhitespace: undefined },
        ),
    ],
    httpStatusFailure: [() => token.httpStatusFailure(503, 'Service Unavailable', URL_, attempts)],
    redirectRefused: [() => token.redirectRefused(307, URL_, 'https://login.new.example/token')],
    badResponse: [() => token.badResponse('ERR_NO_ACCESS_TOKEN', 'with no access_token')],
    htmlNotToken: [() => token.htmlNotToken('<title>Sign in</title>'), () => token.htmlNotToken(undefined)],
    unknownAuthMethod: [() => token.unknownAuthMethod('digest', flag('--auth-method'), ['basic', 'post'])],
    missingCredential: [
      () => token.missingCredential('basic', 'secret', env('GARDIN_CLIENT_ID'), 'flags', []),
      () => token.missingCredential('private_key_jwt', 'private-key', profile, 'flags', ['prod']),
      () => token.missingCredential('basic', 'secret', { kind: 'option', name: 'clientId' }, 'options', []),
    ],
    privateKeyUnusable: [() => token.privateKeyUnusable('--private-key-file key.pem', 'no private key in it')],
    shorterThanMinTtl: [() => token.shorterThanMinTtl(30, 60)],
    cacheUnwritable: [() => token.cacheUnwritable('/home/u/.cache/gardin-token', 'no space left on device')],
  },
};
const MODULES: Record<string, Record<string, unknown>> = { cli, commands, config, fleet, formats, net, token };

/** A message as a user meets it: an error's code, exit code, text and hint; a notice's text. */
function shown(value: unknown): string {
  if (value instanceof GardinTokenError) return `[${value.code}, exit ${value.exitCode}] ${value.message}${value.hint ? `\n    hint: ${value.hint}` : ''}`;
  return String(value);
}

describe('every message a user can see', () => {
  it('has a sample in this list (add one for a new message)', () => {
    for (const [area, mod] of Object.entries(MODULES)) expect(Object.keys(SAMPLES[area]!).sort(), area).toEqual(Object.keys(mod).sort());
  });

  it('reads as in the snapshot', async () => {
    const lines = Object.entries(SAMPLES).flatMap(([area, samples]) =>
      Object.entries(samples).flatMap(([name, calls]) => calls.map((call) => `${area}/${name}: ${shown(call())}`)),
    );
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot('./__snapshots__/messages.txt');
  });
});
