import { checkApiBase, DEFAULT_API_URL } from '../api-request.js';
import type { Deps } from '../deps.js';
import { emptySecret, profileIncomplete, profileNameInvalid, secretGivenTwice, unknownProfile } from '../errors.js';
import { PROFILE_NAME, readProfileStore, storePath } from '../profiles.js';
import type { Reporter } from '../reporter.js';
import { checkAuthMethod, checkTokenUrl, DEFAULT_AUTH_METHOD, DEFAULT_TOKEN_URL, splitScopes, type StoredProfile } from '../settings.js';

export interface ProfileAddOptions {
  clientId?: string;
  clientSecretStdin?: boolean;
  clientSecretCommand?: string;
  tokenUrl?: string;
  baseUrl?: string;
  scope?: string[];
  authMethod?: string;
  default?: boolean;
}

const dropNewline = (s: string): string => s.replace(/\r?\n$/, '');

function checkName(name: string): void {
  if (!PROFILE_NAME.test(name)) throw profileNameInvalid(name);
}

function known(deps: Deps, name: string): ReturnType<typeof readProfileStore> {
  const store = readProfileStore(deps.dirs.config);
  if (!Object.hasOwn(store.profiles, name)) throw unknownProfile(name, { kind: 'profile', name }, Object.keys(store.profiles));
  return store;
}

/** `profile add`: flags first; on a terminal, prompts for what is missing (the secret unechoed). */
export async function profileAdd(name: string, opts: ProfileAddOptions, deps: Deps, reporter: Reporter): Promise<number> {
  checkName(name);
  const { io } = deps;
  let tokenUrl = opts.tokenUrl === undefined ? undefined : checkTokenUrl(opts.tokenUrl, { kind: 'flag', name: '--token-url' });
  const apiUrl = opts.baseUrl === undefined ? undefined : checkApiBase(opts.baseUrl, { kind: 'flag', name: '--base-url' }).href;
  const authMethod = opts.authMethod === undefined ? undefined : checkAuthMethod(opts.authMethod, { kind: 'flag', name: '--auth-method' });
  if (opts.clientSecretStdin && opts.clientSecretCommand !== undefined) throw secretGivenTwice(['--client-secret-stdin', '--client-secret-command']);

  let clientId = opts.clientId;
  if (!clientId && io.stdinIsTTY) clientId = (await io.prompt('Client ID: ', false)).trim();
  if (!clientId) throw profileIncomplete('client ID');

  const profile: StoredProfile = { clientId };
  if (opts.clientSecretCommand !== undefined) {
    if (!opts.clientSecretCommand.trim()) throw emptySecret({ kind: 'flag', name: '--client-secret-command' });
    profile.clientSecretCommand = opts.clientSecretCommand;
  } else {
    let secret: string | undefined;
    if (opts.clientSecretStdin) {
      if (io.stdinIsTTY) secret = await io.prompt('Client secret (hidden): ', true);
      else secret = dropNewline(await io.readStdin());
    } else if (io.stdinIsTTY) {
      secret = await io.prompt('Client secret (hidden): ', true);
    }
    if (!secret) throw profileIncomplete('client secret');
    profile.clientSecret = secret;
  }
  let scopeInput = opts.scope;
  if (io.stdinIsTTY && tokenUrl === undefined) {
    const answer = (await io.prompt(`Token URL [${DEFAULT_TOKEN_URL}]: `, false)).trim();
    if (answer) tokenUrl = checkTokenUrl(answer, { kind: 'stdin' });
  }
  if (io.stdinIsTTY && scopeInput === undefined) scopeInput = [await io.prompt('Scopes (space-separated; Enter for none): ', false)];
  if (tokenUrl && tokenUrl !== DEFAULT_TOKEN_URL) profile.tokenUrl = tokenUrl;
  if (apiUrl) profile.apiUrl = apiUrl;
  const scopes = splitScopes(scopeInput ?? []);
  if (scopes.length > 0) profile.scope = scopes.join(' ');
  if (authMethod) profile.authMethod = authMethod;

  const store = readProfileStore(deps.dirs.config);
  const makeDefault = opts.default === true || store.default === undefined;
  const replaced = Object.hasOwn(store.profiles, name);
  const { saveProfile } = await import('../profile-store.js');
  saveProfile(deps.dirs.config, name, profile, makeDefault);
  const isDefault = makeDefault || store.default === name;
  reporter.info(`${replaced ? 'Replaced' : 'Saved'} profile "${name}"${isDefault ? ' (the default)' : ''} in ${storePath(deps.dirs.config)}.`);
  return 0;
}

/** `profile list`: one profile a line, the default marked with `*` (as `git branch` does). */
export function profileList(opts: { json?: boolean }, deps: Deps): number {
  const store = readProfileStore(deps.dirs.config);
  const names = Object.keys(store.profiles).sort();
  if (opts.json) {
    const list = names.map((n) => ({ name: n, default: n === store.default, ...describe(store.profiles[n]!) }));
    deps.io.stdout.write(JSON.stringify(list) + '\n');
  } else {
    deps.io.stdout.write(names.map((n) => `${n === store.default ? '*' : ' '} ${n}\n`).join(''));
  }
  return 0;
}

/** A profile with its secret reduced to whether one is stored. */
function describe(p: StoredProfile): { clientId: string; clientSecret: string; tokenUrl: string; scope: string; authMethod: string; apiUrl: string } {
  return {
    clientId: p.clientId ?? '',
    clientSecret: p.clientSecret ? '(stored, hidden)' : p.clientSecretCommand ? `(from command: ${p.clientSecretCommand})` : '(none)',
    tokenUrl: p.tokenUrl ?? DEFAULT_TOKEN_URL,
    apiUrl: p.apiUrl ?? DEFAULT_API_URL,
    scope: p.scope ?? '',
    authMethod: p.authMethod ?? DEFAULT_AUTH_METHOD,
  };
}

export function profileShow(name: string, opts: { json?: boolean }, deps: Deps): number {
  const store = known(deps, name);
  const d = { name, default: store.default === name, ...describe(store.profiles[name]!) };
  if (opts.json) deps.io.stdout.write(JSON.stringify(d) + '\n');
  else {
    const rows: Array<[string, string]> = [
      ['name', name + (d.default ? ' (default)' : '')],
      ['client id', d.clientId],
      ['client secret', d.clientSecret],
      ['token url', d.tokenUrl],
      ['api url', d.apiUrl],
      ['scope', d.scope || '(none)'],
      ['auth method', d.authMethod],
    ];
    deps.io.stdout.write(rows.map(([k, v]) => `${(k + ':').padEnd(15)}${v}\n`).join(''));
  }
  return 0;
}

export async function profileRemove(name: string, deps: Deps, reporter: Reporter): Promise<number> {
  known(deps, name);
  const { removeProfile } = await import('../profile-store.js');
  removeProfile(deps.dirs.config, name);
  reporter.info(`Removed profile "${name}".`);
  return 0;
}

export async function profileUse(name: string, deps: Deps, reporter: Reporter): Promise<number> {
  known(deps, name);
  const { setDefaultProfile } = await import('../profile-store.js');
  setDefaultProfile(deps.dirs.config, name);
  reporter.info(`Profile "${name}" is now the default.`);
  return 0;
}
