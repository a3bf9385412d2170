import { UsageError } from '../platform/errors.js';

// What the output formats say when one cannot be used.

export const notInGithubActions = (): UsageError =>
  new UsageError(
    'ERR_NOT_GITHUB_ACTIONS',
    'The github output format works only inside GitHub Actions (GITHUB_ACTIONS=true and GITHUB_ENV set).',
    'Use -o export or -o dotenv elsewhere.',
  );

export const githubEnvUnwritable = (variable: string, file: string, reason: string): UsageError =>
  new UsageError('ERR_GITHUB_ENV', `Cannot append to ${variable} (${file}): ${reason}.`);
