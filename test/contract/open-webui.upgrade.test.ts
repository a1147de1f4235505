/**
 * Upgrade contract: a database that the previous Open WebUI release (0.9.6, which this library
 * deployed before) created with the synthesized environment is migrated by the pinned release at
 * its first start, and keeps the admin, chats and images. The previous release then cannot start
 * on the migrated database, which is why the construct never rolls a failed Open WebUI deployment
 * back automatically (docs/upgrading.md). Needs `npx projen openwebui-previous:venv` too.
 */
import * as path from 'path';
import { performance } from 'perf_hooks';
import { solidPng } from './fake-aws';
import { TEST_MASTER_KEY } from './litellm-proxy';
import { ADMIN_PASSWORD, LocalStack, signIn } from './local-stack';
import { installedOpenWebUIVersion, OPENWEBUI_VENV } from './open-webui';

jest.setTimeout(120_000);

/** The virtual environment `npx projen openwebui-previous:venv` creates. */
const PREVIOUS_VENV = path.join(__dirname, '..', '..', '.venv-openwebui-previous');
const PNG = solidPng(24, [90, 160, 60]);
const CHAT_TITLE = 'Lighthouses before the upgrade';

let stack: LocalStack;
let chatId: string;
let imageUrl: string;
let migrationSeconds: number;

async function api(route: string, token: string, body?: unknown): Promise<any> {
  const res = await fetch(`${stack.webui.url}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', 'authorization': `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${route}: ${text}\n${stack.webui.output.slice(-3000)}`);
  return JSON.parse(text);
}

beforeAll(async () => {
  stack = await LocalStack.start({ chatText: 'The stand-in answers.', png: PNG, embeddingLength: 1024 }, PREVIOUS_VENV);
  // Data of a deployment that ran the previous release: the admin, a chat, a generated image.
  const { token } = await signIn(stack.webui.url, stack.adminEmail, ADMIN_PASSWORD);
  const chat = await api('/api/v1/chats/new', token, {
    chat: { title: CHAT_TITLE, messages: [{ id: 'm1', role: 'user', content: 'Tell me about lighthouses' }], history: { messages: {}, currentId: null } },
  });
  chatId = chat.id;
  imageUrl = (await api('/api/v1/images/generations', token, { prompt: 'a lighthouse before the upgrade' }))[0].url;

  const started = performance.now();
  await stack.restartOpenWebUI(OPENWEBUI_VENV);
  migrationSeconds = (performance.now() - started) / 1000;
}, 600_000);

afterAll(async () => {
  await stack?.stop();
});

test('the previous release is the one this library deployed before', () => {
  expect(installedOpenWebUIVersion(PREVIOUS_VENV)).toBe('0.9.6');
});

test('the pinned release migrates the database at its first start and keeps the admin, chats and images', async () => {
  const migrations = stack.webui.output.match(/Running upgrade /g) ?? [];
  expect(migrations.length).toBeGreaterThan(0);
  const { token, role } = await signIn(stack.webui.url, stack.adminEmail, ADMIN_PASSWORD);
  expect(role).toBe('admin');
  expect((await api(`/api/v1/chats/${chatId}`, token)).chat.title).toBe(CHAT_TITLE);
  const image = await fetch(`${stack.webui.url}${imageUrl}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60_000) });
  expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);
  expect(stack.postgres.sql('openwebui', 'SELECT count(*) FROM "user"')).toBe('1');
  // Measured when written: 22 migrations, about 10 s from start to /health.
  expect(migrationSeconds).toBeLessThan(300);
});

test('no configuration row holds the LiteLLM key: with persistent config off, neither release saved it', () => {
  // A 0.9.6 deployment with persistentConfig: true saved its settings, the key among them, and the
  // migration copies them into config rows (docs/upgrading.md); the default never saves them.
  const tables = stack.postgres.sql('openwebui', "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE '%config%'").split('\n');
  expect(tables).toContain('config');
  for (const t of tables) {
    expect(stack.postgres.sql('openwebui', `SELECT count(*) FROM "${t}" WHERE row_to_json("${t}")::text LIKE '%${TEST_MASTER_KEY}%'`)).toBe('0');
  }
});

test('the previous release cannot start on the migrated database (so no automatic rollback)', async () => {
  // Alembic fails on the pinned release's newest revision, which the old release does not know.
  await expect(stack.restartOpenWebUI(PREVIOUS_VENV, 90_000)).rejects.toThrow(/Error running migrations: Can't locate revision/);
});
