import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cleanEnv } from '../../helpers/bin.js';
import { tempHome } from '../../helpers/deps.js';
import { issueTokens, json, startTokenServer, type TokenServer } from '../../helpers/token-server.js';

// action.yml's step run the way the runner runs a composite action's bash step: its expressions
// substituted from the inputs, `bash --noprofile --norc -eo pipefail`, GITHUB_ENV and
// GITHUB_OUTPUT as files, GITHUB_ACTION_PATH the action's folder (this repository, built).
const root = resolve(import.meta.dirname, '../../..');
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Array<{ id: string; shell: string; env: Record<string, string>; run: string }> };
};
const SECRET = 'action-Secret-5d1e';
let server: TokenServer;
let home: ReturnType<typeof tempHome>;
let refuse = false;
beforeEach(async () => {
  home = tempHome();
  refuse = false;
  const issue = issueTokens();
  server = await startTokenServer((q, n, res) => (refuse ? json(res, 401, { error: 'invalid_client' }) : issue(q, n, res)));
});
afterEach(async () => {
  await server.close();
  home.cleanup();
});

/** Runs the action with these inputs (the rest at their defaults), as the runner would. */
async function runAction(inputs: Record<string, string>) {
  const value = (name: string) => inputs[name] ?? action.inputs[name]?.default ?? '';
  const [step] = action.runs.steps;
  const expand = (text: string) => text.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_m, name: string) => value(name));
  const files = { GITHUB_ENV: join(home.root, 'github_env'), GITHUB_OUTPUT: join(home.root, 'github_output') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const script = join(home.root, 'step.sh');
  writeFileSync(script, expand(step!.run));
  const env = {
    ...cleanEnv(home.root),
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION_PATH: root,
    ...files,
    ...Object.fromEntries(Object.entries(step!.env).map(([k, v]) => [k, expand(v)])),
  };
  const r = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { env, extendEnv: false, reject: false });
  return { ...r, githubEnv: readFileSync(files.GITHUB_ENV, 'utf8'), githubOutput: readFileSync(files.GITHUB_OUTPUT, 'utf8') };
}

describe('the GitHub Action', () => {
  it('is a composite action with the documented inputs and outputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['cache-url', 'client-id', 'client-secret', 'output-variable', 'scope', 'token-url']);
    expect(action.inputs['output-variable']!.default).toBe('GARDIN_ACCESS_TOKEN');
    expect(action.outputs).toEqual({
      token: expect.objectContaining({ value: '${{ steps.token.outputs.token }}' }),
      'expires-at': expect.objectContaining({ value: '${{ steps.token.outputs.expires-at }}' }),
    });
    expect(action.runs.steps.map((s) => s.id)).toContain('token');
  });

  it('is used in the README as it declares: its inputs, its outputs', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!) as unknown);
    const workflow = examples.find((e) => JSON.stringify(e).includes('gardin/gardin-token@v1')) as { jobs: Record<string, { steps: Array<Record<string, unknown>> }> };
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const uses = steps.find((s) => s.uses === 'gardin/gardin-token@v1')!;
    for (const input of Object.keys(uses.with as object)) expect(Object.keys(action.inputs)).toContain(input);
    for (const name of Object.keys(action.inputs).filter((n) => action.inputs[n]!.required)) expect(Object.keys(uses.with as object)).toContain(name);
    for (const [, output] of JSON.stringify(steps).matchAll(new RegExp(`steps\\.${String(uses.id)}\\.outputs\\.([\\w-]+)`, 'g')))
      expect(Object.keys(action.outputs)).toContain(output);
  });

  it('masks the token, exports it for later steps, sets the outputs, and never prints the secret', async () => {
    const r = await runAction({ 'client-id': 'ci-client', 'client-secret': SECRET, 'token-url': server.tokenUrl, scope: 'jobs:read' });
    expect(r.exitCode, r.stderr).toBe(0);
    const token = server.issued[0]!;
    expect(r.stdout).toBe(`::add-mask::${token}`);
    expect(r.githubEnv).toMatch(new RegExp(`^GARDIN_ACCESS_TOKEN<<(GARDIN_TOKEN_EOF_\\w+)\\n${token}\\n\\1\\nGARDIN_ACCESS_TOKEN_EXPIRES_AT<<\\1\\n\\d{4}-[^\\n]+\\n\\1\\n$`));
    expect(r.githubOutput).toMatch(new RegExp(`^token<<(GARDIN_TOKEN_EOF_\\w+)\\n${token}\\n\\1\\nexpires-at<<\\1\\n\\d{4}-[^\\n]+\\n\\1\\n$`));
    expect(server.requests[0]!.form.get('scope')).toBe('jobs:read');
    for (const out of [r.stdout, r.stderr, r.githubEnv, r.githubOutput]) expect(out).not.toContain(SECRET);
  });

  it('output-variable names the variable; empty inputs are no setting', async () => {
    const r = await runAction({ 'client-id': 'ci-client', 'client-secret': SECRET, 'token-url': server.tokenUrl, 'output-variable': 'API_TOKEN' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.githubEnv).toMatch(/^API_TOKEN<</);
    expect(server.requests[0]!.form.has('scope')).toBe(false);
  });

  it('fails the step with the tool’s own error line, and the secret nowhere', async () => {
    refuse = true;
    const r = await runAction({ 'client-id': 'ci-client', 'client-secret': SECRET, 'token-url': server.tokenUrl });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toMatch(
      /^::error title=gardin-token::The token endpoint http:\/\/127\.0\.0\.1:\d+\/oauth2\/token \(from the GARDIN_TOKEN_URL environment variable\) refused the request: HTTP 401, invalid_client/m,
    );
    expect(r.stderr).toMatch(/^error: The token endpoint/m);
    expect(r.githubEnv + r.githubOutput).toBe('');
    for (const out of [r.stdout, r.stderr]) expect(out).not.toContain(SECRET);
  });
});
