/**
 * Contract test: `openWebUI.chatRetention` against the real Open WebUI. Two users' chats, some
 * older than the retention (imported with their old dates, as Open WebUI's import keeps them),
 * with uploaded documents (embedded into pgvector), a generated image, a file another kept chat
 * holds and a file of a knowledge base. Then the retention task's container runs as the daily
 * schedule runs it: its command, with the Open WebUI container's settings and its days.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { synthContractDeployment } from './contract-stack';
import { solidPng } from './fake-aws';
import { ADMIN_PASSWORD, callAs, LocalStack, signIn } from './local-stack';
import { RETENTION_CONTAINER, RETENTION_DAYS_VARIABLE } from '../../src/private/chat-retention';

jest.setTimeout(240_000);

const DAY = 86_400;
const REQUEST_TIMEOUT_MS = 60_000;

let stack: LocalStack;
let admin: string;
let ada: string;
/** What the retention task printed (its JSON summary is the last line). */
let retentionOutput: string;
const ids: Record<string, string> = {};

async function ok(res: Response): Promise<any> {
  const text = await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text}\n--- Open WebUI ---\n${stack.webui.output.slice(-3000)}`);
  return JSON.parse(text);
}

const call = (token: string, route: string, body?: unknown) => callAs(stack.webui.url, token, route, body, REQUEST_TIMEOUT_MS);

async function upload(token: string, name: string, content: Blob, process: boolean): Promise<string> {
  const form = new FormData();
  form.append('file', content, name);
  const uploaded = await ok(await fetch(`${stack.webui.url}/api/v1/files/${process ? '' : '?process=false'}`, {
    method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  }));
  if (process) {
    let status = '';
    for (let i = 0; i < 120 && status !== 'completed' && status !== 'failed'; i++) {
      status = (await ok(await call(token, `/api/v1/files/${uploaded.id}/process/status`))).status;
      if (status !== 'completed') await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe('completed');
  }
  return uploaded.id;
}

/** A chat as Open WebUI's import takes it: one user message holding `files`, last changed `daysAgo`. */
function chatForm(title: string, daysAgo: number, files: object[], extra: object = {}): object {
  const at = Math.floor(Date.now() / 1000) - daysAgo * DAY;
  const message = { id: 'm1', parentId: null, childrenIds: [], role: 'user', content: `About ${title}`, files, timestamp: at };
  return { chat: { title, history: { messages: { m1: message }, currentId: 'm1' }, messages: [message] }, meta: {}, created_at: at, updated_at: at, ...extra };
}

async function importChat(token: string, form: object): Promise<string> {
  return (await ok(await call(token, '/api/v1/chats/import', { chats: [form] })))[0].id;
}

const fileRef = (id: string, name: string) => ({ type: 'file', id, name, url: `/api/v1/files/${id}`, status: 'uploaded' });
const chunks = (fileId: string) => Number(stack.postgres.sql('openwebui', `SELECT count(*) FROM document_chunk WHERE collection_name = 'file-${fileId}'`));

beforeAll(async () => {
  stack = await LocalStack.start(
    { chatText: 'Kept for the record.', png: solidPng(16, [40, 90, 160]), embeddingLength: 1024 },
    undefined,
    { deployment: synthContractDeployment({ chatRetention: Duration.days(30) }) },
  );
  admin = (await signIn(stack.webui.url, stack.adminEmail, ADMIN_PASSWORD)).token;
  await ok(await call(admin, '/api/v1/auths/add', { name: 'Ada', email: 'ada@example.com', password: 'Ada-pass-0123', role: 'user' }));
  ada = (await signIn(stack.webui.url, 'ada@example.com', 'Ada-pass-0123')).token;

  const text = (t: string) => new Blob([Array.from({ length: 20 }, (_, i) => `${t} ${i}: the harbour log.`).join('\n\n')], { type: 'text/plain' });
  ids.oldDoc = await upload(ada, 'old.txt', text('old'), true);
  ids.sharedDoc = await upload(ada, 'both.txt', text('both'), false);
  ids.recentDoc = await upload(ada, 'recent.txt', text('recent'), false);
  // A generated image, made by Open WebUI's own image generation (stored as a file of Ada's).
  const image = await ok(await call(ada, '/api/v1/images/generations', { prompt: 'a harbour at dawn' }));
  ids.image = /\/api\/v1\/files\/([0-9a-f-]{36})/.exec(JSON.stringify(image))![1];
  // A file of the admin's knowledge base, also held by one of the admin's old chats.
  ids.kbDoc = await upload(admin, 'kb.txt', text('kb'), true);
  const kb = await ok(await call(admin, '/api/v1/knowledge/create', { name: 'Handbook', description: 'kept' }));
  await ok(await call(admin, `/api/v1/knowledge/${kb.id}/file/add`, { file_id: ids.kbDoc }));

  ids.oldChat = await importChat(ada, chatForm('old', 45, [fileRef(ids.oldDoc, 'old.txt'), fileRef(ids.sharedDoc, 'both.txt'), { type: 'image', url: `/api/v1/files/${ids.image}/content` }]));
  ids.oldArchived = await importChat(ada, chatForm('old archived', 60, [], { archived: true }));
  ids.oldShared = await importChat(ada, chatForm('old shared', 40, []));
  ids.share = (await ok(await call(ada, `/api/v1/chats/${ids.oldShared}/share`, {}))).share_id;
  ids.recentChat = await importChat(ada, chatForm('recent', 2, [fileRef(ids.recentDoc, 'recent.txt'), fileRef(ids.sharedDoc, 'both.txt')]));
  ids.borderChat = await importChat(ada, chatForm('29 days', 29, []));
  ids.adminOld = await importChat(admin, chatForm('admin old', 90, [fileRef(ids.kbDoc, 'kb.txt')]));
  ids.adminRecent = await importChat(admin, chatForm('admin recent', 0, []));
  expect(chunks(ids.oldDoc)).toBeGreaterThan(0);

  // The retention task, as the schedule starts it: its container's command and days, with the
  // Open WebUI container's settings (test/chat-retention.test.ts checks they are the same).
  const container = Object.values<any>(stack.deployment.template.Resources)
    .flatMap((r) => (r.Type === 'AWS::ECS::TaskDefinition' ? r.Properties.ContainerDefinitions : []))
    .find((c) => c.Name === RETENTION_CONTAINER);
  const days = container.Environment.find((e: any) => e.Name === RETENTION_DAYS_VARIABLE).Value;
  const [command, ...args] = container.Command;
  retentionOutput = await new Promise<string>((resolve, reject) => {
    execFile(command === 'python' ? path.join(stack.webui.env.PATH.split(':')[0], 'python') : command, args, {
      // FROM_INIT_PY: the pip package's layout, as the harness runs the server (see OpenWebUI.start).
      env: { ...stack.webui.env, FROM_INIT_PY: 'true', [RETENTION_DAYS_VARIABLE]: days },
      cwd: stack.webui.env.DATA_DIR,
      timeout: 180_000,
      maxBuffer: 64 * 1024 * 1024,
    }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr.slice(-4000)}`)) : resolve(stdout)));
  });
}, 600_000);

afterAll(async () => {
  await stack?.stop();
});

const status = async (token: string, route: string) => (await call(token, route)).status;

test('the task reports what it deleted', () => {
  const summary = JSON.parse(retentionOutput.trim().split('\n').pop()!);
  expect(summary).toMatchObject({ chatRetentionDays: 30, deletedChats: 4, deletedFiles: 2, filesKeptInUse: 2 });
});

test('chats not changed for longer than the retention are gone, archived and shared ones too; the others stay', async () => {
  for (const id of [ids.oldChat, ids.oldArchived, ids.oldShared]) expect(await status(ada, `/api/v1/chats/${id}`)).not.toBe(200);
  expect(await status(admin, `/api/v1/chats/${ids.adminOld}`)).not.toBe(200);
  for (const id of [ids.recentChat, ids.borderChat]) expect(await status(ada, `/api/v1/chats/${id}`)).toBe(200);
  expect(await status(admin, `/api/v1/chats/${ids.adminRecent}`)).toBe(200);
  // The shared copy went with its chat: the share link no longer opens it.
  expect(await status(ada, `/api/v1/chats/share/${ids.share}`)).not.toBe(200);
});

test('the files only old chats held are gone: the record, the stored file and the embeddings', async () => {
  for (const id of [ids.oldDoc, ids.image]) {
    expect(await status(ada, `/api/v1/files/${id}`)).toBe(404);
    expect(stack.postgres.sql('openwebui', `SELECT count(*) FROM file WHERE id = '${id}'`)).toBe('0');
  }
  expect(chunks(ids.oldDoc)).toBe(0);
  const uploads = fs.readdirSync(path.join(stack.webui.env.DATA_DIR, 'uploads'));
  expect(uploads.some((f) => f.startsWith(ids.recentDoc))).toBe(true); // where the stored files are
  expect(uploads.filter((f) => f.startsWith(ids.oldDoc) || f.startsWith(ids.image))).toEqual([]);
});

test('a file a kept chat also holds, a kept chat\'s file and a knowledge base\'s file stay', async () => {
  for (const id of [ids.sharedDoc, ids.recentDoc]) expect(await status(ada, `/api/v1/files/${id}/content`)).toBe(200);
  expect(await status(admin, `/api/v1/files/${ids.kbDoc}/content`)).toBe(200);
  const kbs = await ok(await call(admin, '/api/v1/knowledge/'));
  expect(JSON.stringify(kbs)).toContain('Handbook');
});

test('a second run finds nothing more to delete', async () => {
  const container = Object.values<any>(stack.deployment.template.Resources)
    .flatMap((r) => (r.Type === 'AWS::ECS::TaskDefinition' ? r.Properties.ContainerDefinitions : []))
    .find((c) => c.Name === RETENTION_CONTAINER);
  const out = await new Promise<string>((resolve, reject) => {
    execFile(path.join(stack.webui.env.PATH.split(':')[0], 'python'), container.Command.slice(1), {
      env: { ...stack.webui.env, FROM_INIT_PY: 'true', [RETENTION_DAYS_VARIABLE]: '30' }, cwd: stack.webui.env.DATA_DIR, timeout: 180_000, maxBuffer: 64 * 1024 * 1024,
    }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr.slice(-4000)}`)) : resolve(stdout)));
  });
  expect(JSON.parse(out.trim().split('\n').pop()!)).toMatchObject({ deletedChats: 0, deletedFiles: 0 });
});
