import { spawnSync } from 'child_process';
import * as path from 'path';

/**
 * The integration test apps' committed snapshots are what the apps synthesize now: integ-runner
 * compares them (asset contents left out: their directories are not committed) and, without
 * --update-on-failed, never deploys. After a change: `npx projen integ:update`, and review the diff.
 */
const ROOT = path.join(__dirname, '..', '..');

test('integ-runner finds both apps and their snapshots unchanged (run `npx projen integ:update` after a template change)', () => {
  const env: NodeJS.ProcessEnv = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };
  // No credentials may reach it: this check never deploys.
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete env[name];
  const run = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'integ-runner'), [
    '--directory', 'test/integ', '--language', 'typescript', '--parallel-regions', 'us-west-2',
    '--app', `${path.join(ROOT, 'node_modules', '.bin', 'ts-node')} --project ${path.join(ROOT, 'tsconfig.dev.json')} {filePath}`,
  ], { cwd: ROOT, env, encoding: 'utf-8', timeout: 600_000 });
  const output = `${run.stdout}${run.stderr}`;
  expect(output).toMatch(/UNCHANGED\s+integ\.default\b/);
  expect(output).toMatch(/UNCHANGED\s+integ\.operations\b/);
  expect(run.status).toBe(0);
}, 600_000);
