import { join, sep } from 'node:path';
import { builtin } from './builtin.js';
import type { Dirs } from './deps.js';

const APP = 'gardin-token';

/**
 * The path of `name` (a plain name, no separator) in the folder `dir`. Not path.join, which
 * normalises the whole path character by character: the dozen joins of a cached call were enough
 * for Node 24's V8 to compile node:path's helpers with Maglev, ~2 MiB of the call's peak memory.
 * So a folder is used as given (HOME, XDG_CACHE_HOME...), as the system would read it.
 */
export const fileIn = (dir: string, name: string): string => (dir.endsWith(sep) || dir.endsWith('/') ? dir + name : dir + sep + name);

/** The user's home folder: HOME where it is set, which spares a call loading node:os (~0.3 ms). */
export const homeDir = (env: Record<string, string | undefined>): string => env.HOME || builtin<typeof import('node:os')>('node:os').homedir();

/**
 * The user's config and cache folders, following the same conventions as env-paths (which conf
 * uses), but from an injected env so tests and the CLI agree on where things live.
 */
export function appDirs(env: Record<string, string | undefined>, platform: NodeJS.Platform, home: string): Dirs {
  if (platform === 'win32') {
    const appData = env.APPDATA || join(home, 'AppData', 'Roaming');
    const localAppData = env.LOCALAPPDATA || join(home, 'AppData', 'Local');
    return { config: join(appData, APP, 'Config'), cache: join(localAppData, APP, 'Cache') };
  }
  // Built with fileIn, not path.join (see fileIn): every cached call starts here, twice.
  if (platform === 'darwin') {
    const library = fileIn(home, 'Library');
    return { config: fileIn(fileIn(library, 'Preferences'), APP), cache: fileIn(fileIn(library, 'Caches'), APP) };
  }
  return {
    config: fileIn(env.XDG_CONFIG_HOME || fileIn(home, '.config'), APP),
    cache: fileIn(env.XDG_CACHE_HOME || fileIn(home, '.cache'), APP),
  };
}
