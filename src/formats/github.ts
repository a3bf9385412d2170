import { builtin } from '../platform/builtin.js';
import { variables, type OutputFormat } from './format.js';
import { githubEnvUnwritable, notInGithubActions } from './messages.js';

/**
 * In GitHub Actions: the token masked in the runner's logs (`::add-mask::` on stdout), the
 * variables appended to $GITHUB_ENV for the following steps and, where the runner gives
 * $GITHUB_OUTPUT, the step outputs `token` and `expires-at` (the Action's). Each in the delimiter
 * form with a random delimiter that cannot occur in a value, so that no value can define another.
 */
export const github: OutputFormat = {
  name: 'github',
  check: (env) => {
    if (env.GITHUB_ACTIONS !== 'true' || !env.GITHUB_ENV) throw notInGithubActions();
  },
  render: (t, { env, varName }) => {
    // node:crypto on this path only: the start-up bundle holds every format.
    const delimiter = `GARDIN_TOKEN_EOF_${builtin<typeof import('node:crypto')>('node:crypto').randomBytes(16).toString('hex')}`;
    const file = env.GITHUB_ENV!;
    const [[, token], [, expiresAt]] = variables(t, varName) as [[string, string], [string, string]];
    const outputs = env.GITHUB_OUTPUT;
    return {
      stdout: `::add-mask::${t.accessToken}\n`,
      append: [
        { file, text: githubEnvLines(variables(t, varName), delimiter), onError: (reason) => githubEnvUnwritable('$GITHUB_ENV', file, reason) },
        ...(outputs
          ? [
              {
                file: outputs,
                text: githubEnvLines(
                  [
                    ['token', token],
                    ['expires-at', expiresAt],
                  ],
                  delimiter,
                ),
                onError: (reason: string) => githubEnvUnwritable('$GITHUB_OUTPUT', outputs, reason),
              },
            ]
          : []),
      ],
      notice: `Set ${varName} and ${varName}_EXPIRES_AT for the following steps.`,
    };
  },
};

export const githubEnvLines = (vars: Array<[string, string]>, delimiter: string): string => vars.map(([n, v]) => `${n}<<${delimiter}\n${v}\n${delimiter}\n`).join('');
