import type { CommandSpec } from './tree.js';

/** A shell gardin-token writes a completion script for: one file each in this folder, listed in index.ts. */
export interface CompletionShell {
  readonly name: string;
  script(tree: CommandSpec): string;
}

/** The profile names, one a line after a two-character marker (`* prod`). */
export const PROFILES = 'gardin-token profile list 2>/dev/null';
/** The documented profile-name character set (config/profiles.ts PROFILE_NAME), as a shell pattern. */
export const NAME_RE = '^[A-Za-z0-9][A-Za-z0-9._-]*$';
