/**
 * Several Open WebUI tasks start together after a deployment (the MEDIUM size runs two or more),
 * and each would migrate the database schema at its first start. The start command the construct
 * gives the container for several tasks migrates under a PostgreSQL advisory lock. Here the real
 * command (bash, then the real Open WebUI's migrations) runs three times at once against a fresh
 * database, as three tasks would: every run succeeds, the schema ends at Open WebUI's head, and
 * the lock is held by one run at a time.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthContractDeployment } from './contract-stack';
import { DATABASE_PASSWORD, DATABASE_USER } from './local-stack';
import { LocalPostgres, openWebUIContainer, openWebUIProcessEnvironment, OPENWEBUI_VENV, startCommandScript } from './open-webui';
import { sleep } from './processes';
import { BedrockModel, DeploymentSize } from '../../src';
import { MIGRATION_LOCK_ID } from '../../src/private/open-webui-start';

jest.setTimeout(120_000);

const TASKS = 3;
/** Two models for two groups, one group shared: each group must exist once after three starts. */
const RESTRICTED = [
  { model: BedrockModel.ANTHROPIC_CLAUDE_OPUS_4_5_GLOBAL, groups: ['research', 'leads'] },
  { model: BedrockModel.AMAZON_NOVA_PRO_V1, groups: ['research'] },
];

interface Run { readonly code: number | null; readonly output: string }

let postgres: LocalPostgres;
let runs: Run[];
let lockHolders: number[];
let head: string;
let container: any;
/** The environment and data directory of one of the runs, for more runs. */
let oneRun: { env: Record<string, string>; dataDir: string };

/** Runs the container's start command, up to the point where it would start the server. */
function startCommand(env: Record<string, string>, dataDir: string): { child: ChildProcess; done: Promise<Run> } {
  // The command ends in the server; here the run ends before it.
  const child = spawn('bash', ['-c', startCommandScript(container, 'echo migrated')], { env, cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => { output += d; });
  child.stderr!.on('data', (d) => { output += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  const done = new Promise<Run>((resolve) => child.on('exit', (code) => { clearTimeout(timer); resolve({ code, output }); }));
  return { child, done };
}

beforeAll(async () => {
  const deployment = synthContractDeployment({ size: DeploymentSize.MEDIUM, modelAccess: RESTRICTED });
  container = openWebUIContainer(deployment.template);
  postgres = await LocalPostgres.start({ user: DATABASE_USER, password: DATABASE_PASSWORD, database: 'openwebui' });
  const names: string[] = container.Secrets.map((s: any) => s.Name);
  const secrets = Object.fromEntries(names.map((n) => [n, n === 'DATABASE_USER' ? DATABASE_USER : n === 'DATABASE_PASSWORD' ? DATABASE_PASSWORD : `contract-${n.toLowerCase()}`]));

  const started = Array.from({ length: TASKS }, () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-migrate-'));
    const env = openWebUIProcessEnvironment({ template: deployment.template, postgres, secrets, dataDir, port: 8080 });
    oneRun = { env, dataDir };
    return startCommand(env, dataDir);
  });
  // While they run, sample who holds the migration lock and who waits for it.
  lockHolders = [];
  let finished = false;
  const all = Promise.all(started.map((s) => s.done)).then((r) => { finished = true; return r; });
  for (let i = 0; i < 1200 && !finished; i++) {
    const granted = postgres.sql('openwebui', `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = ${MIGRATION_LOCK_ID % 2 ** 32}`, true);
    lockHolders.push(Number(granted));
    await sleep(100);
  }
  runs = await all;
  head = execHead();
}, 300_000);

afterAll(async () => {
  await postgres?.stop();
});

/** The newest revision of Open WebUI's migrations, from the installed package. */
function execHead(): string {
  const script = [
    'from alembic.config import Config', 'from alembic.script import ScriptDirectory', 'import open_webui, os',
    'd = os.path.dirname(open_webui.__file__)', 'c = Config(os.path.join(d, "alembic.ini"))', 'c.set_main_option("script_location", os.path.join(d, "migrations"))',
    'print(ScriptDirectory.from_config(c).get_current_head())',
  ].join('\n');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-migrate-head-'));
  // Importing the package reads its settings: a key and a scratch data directory are enough.
  const env = { PATH: '/usr/bin:/bin', WEBUI_SECRET_KEY: 'contract-head', DATA_DIR: dataDir, HOME: dataDir };
  const out = execFileSync(path.join(OPENWEBUI_VENV, 'bin', 'python'), ['-c', script], { env, cwd: dataDir, timeout: 120_000 }).toString().trim();
  return out.split('\n').pop()!;
}

test('three tasks starting together all get past their migrations', () => {
  for (const run of runs) {
    expect({ code: run.code, tail: run.output.slice(-2000) }).toEqual({ code: 0, tail: expect.stringMatching(/migrated\s*$/) });
  }
});

test('the schema ends at Open WebUI\'s newest revision, once', () => {
  expect(head).toMatch(/^[0-9a-f]{8,}$/);
  expect(postgres.sql('openwebui', 'SELECT version_num FROM alembic_version', true)).toBe(head);
});

test('the migration lock was held, by one task at a time', () => {
  expect(Math.max(...lockHolders)).toBe(1);
});

test('the Redis URL the command composes uses TLS and the AUTH token, and is in no log', () => {
  expect(container.Command[2]).toContain('rediss://:${REDIS_AUTH_TOKEN}@');
  for (const run of runs) expect(run.output).not.toContain('contract-redis_auth_token');
});

test('every served chat model gets one model entry with its access, and each access group exists once', () => {
  const served: string[] = JSON.parse(container.Environment.find((e: any) => e.Name === 'OPENAI_API_CONFIGS').Value)['0'].model_ids;
  expect(postgres.sql('openwebui', 'SELECT id FROM model ORDER BY id', true).split('\n')).toEqual([...served].sort());
  expect(postgres.sql('openwebui', 'SELECT name FROM "group" ORDER BY name', true).split('\n')).toEqual(['leads', 'research']);
  const grants = postgres.sql('openwebui', `SELECT g.resource_id, coalesce(gr.name, g.principal_id) FROM access_grant g LEFT JOIN "group" gr ON gr.id = g.principal_id
    WHERE g.resource_type = 'model' AND g.permission = 'read' ORDER BY 1, 2`, true).split('\n').map((row) => row.split('|'));
  const byModel = (id: string) => grants.filter(([model]) => model === id).map(([, who]) => who);
  expect(byModel('claude-opus-4.5')).toEqual(['leads', 'research']);
  expect(byModel('nova-pro')).toEqual(['research']);
  for (const id of served.filter((m) => m !== 'claude-opus-4.5' && m !== 'nova-pro')) expect(byModel(id)).toEqual(['*']);
});

test("an admin's change to a model's access is kept with persistentConfig, and replaced by the declared access without", async () => {
  const grantsOf = (model: string) => postgres.sql('openwebui', `SELECT g.principal_type || ':' || coalesce(gr.name, g.principal_id) FROM access_grant g
    LEFT JOIN "group" gr ON gr.id = g.principal_id WHERE g.resource_type = 'model' AND g.resource_id = '${model}' ORDER BY 1`, true).split('\n');
  expect(grantsOf('nova-pro')).toEqual(['group:research']);
  // What the admin panel's access dialog writes when an admin opens the model to everyone.
  postgres.sql('openwebui', 'DELETE FROM access_grant WHERE resource_type = \'model\' AND resource_id = \'nova-pro\'', true);
  postgres.sql('openwebui', `INSERT INTO access_grant (id, resource_type, resource_id, principal_type, principal_id, permission, created_at)
    VALUES ('admin-change', 'model', 'nova-pro', 'user', '*', 'read', 0)`, true);
  const start = (persistentConfig: string) => startCommand({ ...oneRun.env, ENABLE_PERSISTENT_CONFIG: persistentConfig }, oneRun.dataDir).done;

  expect((await start('true')).code).toBe(0);
  expect(grantsOf('nova-pro')).toEqual(['user:*']);
  expect((await start('false')).code).toBe(0);
  expect(grantsOf('nova-pro')).toEqual(['group:research']);
});
