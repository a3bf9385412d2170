import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The GitHub workflows cannot run here; this holds them to what GitHub's documentation says they
// may contain: YAML that parses, only real actions with their real inputs, runner labels GitHub
// offers, jobs that need jobs that exist, matrix values that are defined, npm scripts and files
// that exist. .ci/run stays the gate; this keeps the workflows from rotting beside it.
const root = resolve(import.meta.dirname, '../..');
const read = (file: string) => parse(readFileSync(join(root, file), 'utf8')) as Workflow;

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  shell?: string;
  if?: string;
}
interface Job {
  'runs-on': string;
  needs?: string[];
  strategy?: { matrix: Record<string, unknown> & { include?: Array<Record<string, unknown>> } };
  steps: Step[];
}
interface Workflow {
  name: string;
  on: unknown;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

/** The actions used, at their major versions, with the inputs their action.yml declares. */
const ACTIONS: Record<string, string[]> = {
  'actions/checkout@v6': [
    'repository',
    'ref',
    'token',
    'ssh-key',
    'ssh-known-hosts',
    'ssh-strict',
    'ssh-user',
    'persist-credentials',
    'path',
    'clean',
    'filter',
    'sparse-checkout',
    'sparse-checkout-cone-mode',
    'fetch-depth',
    'fetch-tags',
    'show-progress',
    'lfs',
    'submodules',
    'set-safe-directory',
    'github-server-url',
  ],
  'actions/setup-node@v6': [
    'node-version',
    'node-version-file',
    'architecture',
    'check-latest',
    'registry-url',
    'scope',
    'token',
    'cache',
    'package-manager-cache',
    'cache-dependency-path',
    'mirror',
    'mirror-token',
  ],
  'actions/upload-artifact@v4': ['name', 'path', 'if-no-files-found', 'retention-days', 'compression-level', 'overwrite', 'include-hidden-files'],
  'actions/download-artifact@v4': ['name', 'path', 'pattern', 'merge-multiple', 'github-token', 'repository', 'run-id'],
};
/** GitHub-hosted runner labels (macos-13 is retired; macos-15-intel is the Intel Mac). */
const RUNNERS = ['ubuntu-latest', 'ubuntu-24.04', 'ubuntu-24.04-arm', 'macos-latest', 'macos-15', 'macos-15-intel', 'windows-latest', 'windows-2025'];
const SHELLS = ['bash', 'sh', 'pwsh', 'powershell', 'cmd', 'python'];
const scripts = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

/** The values a matrix key takes (from the key's list and the include entries). */
const matrixValues = (job: Job, key: string): unknown[] => {
  const m = job.strategy?.matrix;
  if (!m) return [];
  return [...(Array.isArray(m[key]) ? (m[key] as unknown[]) : []), ...(m.include ?? []).map((e) => e[key]).filter((v) => v !== undefined)];
};

describe.each(['.github/workflows/ci.yml', '.github/workflows/release.yml'])('%s', (file) => {
  const wf = read(file);
  const jobs = Object.entries(wf.jobs);

  it('is a workflow: a name, triggers, least permissions, jobs with steps', () => {
    expect(wf.name).toBeTruthy();
    expect(wf.on).toBeTruthy();
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(jobs.length).toBeGreaterThan(0);
    for (const [, job] of jobs) expect(job.steps.length).toBeGreaterThan(0);
  });

  it('runs on runners GitHub has, with matrix values that are defined', () => {
    for (const [name, job] of jobs) {
      const label = /^\$\{\{\s*matrix\.(\w+)\s*\}\}$/.exec(job['runs-on']);
      const labels = label ? matrixValues(job, label[1]!) : [job['runs-on']];
      expect(labels.length, name).toBeGreaterThan(0);
      for (const l of labels) expect(RUNNERS, `${name}: ${String(l)}`).toContain(l);
      const text = JSON.stringify(job);
      for (const [, key] of text.matchAll(/\$\{\{\s*matrix\.([\w-]+)/g)) expect(matrixValues(job, key!).length, `${name}: matrix.${key}`).toBeGreaterThan(0);
      for (const need of job.needs ?? []) expect(Object.keys(wf.jobs), `${name} needs ${need}`).toContain(need);
    }
  });

  it('uses only real actions, with inputs they declare', () => {
    for (const [name, job] of jobs)
      for (const step of job.steps) {
        expect(Boolean(step.uses) !== Boolean(step.run), `${name}: a step either uses an action or runs a command`).toBe(true);
        if (step.shell) expect(SHELLS).toContain(step.shell);
        if (!step.uses) continue;
        expect(Object.keys(ACTIONS), `${name}: ${step.uses}`).toContain(step.uses);
        for (const input of Object.keys(step.with ?? {})) expect(ACTIONS[step.uses], `${name}: ${step.uses} with ${input}`).toContain(input);
      }
  });

  it('names npm scripts and files that exist', () => {
    const runs = jobs.flatMap(([, job]) => job.steps.map((s) => s.run ?? '')).join('\n');
    for (const [, script] of runs.matchAll(/npm run ([\w:-]+)/g)) expect(scripts, `npm run ${script}`).toContain(script);
    for (const [, config] of runs.matchAll(/--config (\S+)/g)) expect(existsSync(join(root, config!)), config).toBe(true);
    for (const [, os] of JSON.stringify(wf).matchAll(/runner\.os [!=]= '(\w+)'/g)) expect(['Linux', 'macOS', 'Windows']).toContain(os);
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
    inputs: Record<string, unknown>;
    runs: { using: string; steps: Array<Step & { env?: Record<string, string> }> };
  };

  it('is a composite action whose steps name a shell and read only inputs it declares', () => {
    expect(action.runs.using).toBe('composite');
    for (const step of action.runs.steps) {
      // A composite action's run step must name its shell.
      if (step.run) expect(SHELLS).toContain(step.shell);
      for (const [, input] of JSON.stringify(step).matchAll(/inputs\.([\w-]+)/g)) expect(Object.keys(action.inputs)).toContain(input);
    }
  });

  it('passes inputs to its script through the environment, never into the script text (no injection)', () => {
    for (const step of action.runs.steps) expect(step.run ?? '').not.toContain('${{');
  });
});
