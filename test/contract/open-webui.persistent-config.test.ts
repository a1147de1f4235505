/**
 * Contract test: `persistentConfig: true` with several tasks (see `Replicas`). Open WebUI then
 * keeps its settings in the database, so a setting an admin changes through one task is what every
 * task serves; the database then also holds the proxy's key, which is why the default is false
 * (where a change stays in the memory of the task that served it: open-webui.replicas.test.ts).
 */
import { synthContractDeployment } from './contract-stack';
import { solidPng } from './fake-aws';
import { TEST_MASTER_KEY } from './litellm-proxy';
import { ADMIN_PASSWORD, callAs, signIn } from './local-stack';
import { Replicas } from './replicas';
import { DeploymentSize } from '../../src';

jest.setTimeout(180_000);

let replicas: Replicas;
let token: string;

beforeAll(async () => {
  const deployment = synthContractDeployment({ size: DeploymentSize.MEDIUM, persistentConfig: true });
  replicas = await Replicas.start(deployment, { chatText: 'Settings are shared.', png: solidPng(8, [0, 0, 0]), embeddingLength: 1024 });
  token = (await signIn(replicas.balancer.url, replicas.adminEmail, ADMIN_PASSWORD)).token;
}, 600_000);

afterAll(async () => {
  await replicas?.stop();
});

async function adminConfig(base: string, change?: Record<string, unknown>): Promise<any> {
  const route = '/api/v1/auths/admin/config';
  const res = await callAs(base, token, route, change === undefined ? undefined : { ...await adminConfig(base), ...change });
  expect(res.status).toBe(200);
  return res.json();
}

test('the container asks for persistent settings', () => {
  for (const t of replicas.tasks) expect(t.env.ENABLE_PERSISTENT_CONFIG).toBe('true');
});

test('an admin setting changed through one task is what the other serves', async () => {
  const [a, b] = replicas.tasks;
  const before = (await adminConfig(b.url)).SHOW_ADMIN_DETAILS;
  await adminConfig(a.url, { SHOW_ADMIN_DETAILS: !before });
  expect((await adminConfig(b.url)).SHOW_ADMIN_DETAILS).toBe(!before);
  expect((await adminConfig(replicas.balancer.url)).SHOW_ADMIN_DETAILS).toBe(!before);
});

test('the database then holds the proxy key (Open WebUI saves its connection settings, keys included)', () => {
  const rows = replicas.postgres.sql('openwebui', `SELECT key FROM config WHERE value::text LIKE '%${TEST_MASTER_KEY}%'`);
  expect(rows).not.toBe('');
});
