import { join } from 'node:path';
import { builtin } from './builtin.js';
import type { Dirs } from './deps.js';

const APP = 'gardin-token';

/** The user's home folder: HOME where it is set, which spares a call loading node:os (~0.3 ms). */
export const homeDir = (env: Record<string, string | undefined>): string => env.HOME || builtin<typeof import('node:os')>('node:os').homedir();

/**
 * The user's config and cache folders, following the same conventions as env-paths (which conf
 * uses), but from an injected env so tests and the CLI agree on where things live.
 */
export function appDirs(env: Record<string, string | undefined>, platform: NodeJS.Platform, home: string): Dirs {
  if (platform === 'darwin') {
    return { config: join(home, 'Library', 'Preferences', APP), cache: join(home, 'Library', 'Caches', APP) };
  }
  if (platform === 'win32') {
    const appData = env.APPDATA || join(home, 'AppData', 'Roaming');
    const localAppData = env.LOCALAPPDATA || join(home, 'AppData', 'Local');
    return { config: join(appData, APP, 'Config'), cache: join(localAppData, APP, 'Cache') };
  }
  return {
    config: join(env.XDG_CONFIG_HOME || join(home, '.config'), APP),
    cache: join(env.XDG_CACHE_HOME || join(home, '.cache'), APP),
  };
}
