/**
 * Files in S3, end to end: the real Open WebUI, started from a deployment synthesized with
 * `fileStorage: FileStorage.S3`, keeps uploads in the files bucket of the S3 stand-in (signed
 * requests, path style, the template's bucket name and region), reads them back from S3 when its
 * local copy is gone (as another task, or a replaced one, would), embeds a document read from S3,
 * and deletes the object with the file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { synthContractDeployment, TASK_REGION } from './contract-stack';
import { solidPng } from './fake-aws';
import { ADMIN_PASSWORD, LocalStack, signIn } from './local-stack';
import { OPENWEBUI_VENV, openWebUIContainer } from './open-webui';
import { FileStorage } from '../../src';

jest.setTimeout(180_000);

const REQUEST_TIMEOUT_MS = 60_000;
const PICTURE = solidPng(24, [10, 160, 90]);

let stack: LocalStack;
let token: string;
let bucket: string;

beforeAll(async () => {
  const deployment = synthContractDeployment({ fileStorage: FileStorage.S3 });
  stack = await LocalStack.start({ chatText: 'hi', png: solidPng(8, [0, 0, 0]), embeddingLength: 1024 }, OPENWEBUI_VENV, { deployment });
  token = (await signIn(stack.webui.url, stack.adminEmail, ADMIN_PASSWORD, REQUEST_TIMEOUT_MS)).token;
  bucket = stack.webui.env.S3_BUCKET_NAME;
}, 420_000);

afterAll(async () => {
  await stack?.stop();
});

async function ok(res: Response): Promise<any> {
  const text = await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${res.url}: ${text}\n--- Open WebUI ---\n${stack.webui.output.slice(-3000)}`);
  return text === '' ? undefined : JSON.parse(text);
}

function call(route: string, method = 'GET', body?: FormData): Promise<Response> {
  return fetch(`${stack.webui.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

async function upload(content: Buffer | string, name: string, type: string, query: string): Promise<any> {
  const form = new FormData();
  form.append('file', new Blob([content], { type }), name);
  return ok(await call(`/api/v1/files/${query}`, 'POST', form));
}

/** The object key of a file, from the path Open WebUI stored for it (`s3://bucket/key`). */
function keyOf(file: any): string {
  const stored = stack.postgres.sql('openwebui', `SELECT path FROM file WHERE id = '${file.id}'`);
  const prefix = `s3://${bucket}/`;
  expect(stored.startsWith(prefix)).toBe(true);
  return stored.substring(prefix.length);
}

/** The GetObject calls for a file's object since the n-th S3 call. */
function readsOf(file: any, since: number) {
  const key = keyOf(file);
  return stack.fakeAws.s3CallsFor(bucket).slice(since).filter((r) => r.method === 'GET' && r.path === `/${bucket}/${key}`);
}

/** Removes Open WebUI's local copies of uploads, so that only S3 holds the files. */
function forgetLocalCopies(): void {
  const uploads = path.join(stack.webui.env.DATA_DIR, 'uploads');
  for (const f of fs.readdirSync(uploads)) fs.rmSync(path.join(uploads, f), { force: true });
}

test('the container is configured for S3, with the files bucket and the stack region, and no keys', () => {
  const container = openWebUIContainer(stack.deployment.template);
  const names = [...(container.Environment ?? []), ...(container.Secrets ?? [])].map((e: any) => e.Name);
  expect(stack.webui.env).toMatchObject({ STORAGE_PROVIDER: 's3', S3_REGION_NAME: TASK_REGION });
  expect(bucket).toMatch(/^contract-chatopenwebuifiles/);
  expect(names).not.toContain('S3_ACCESS_KEY_ID');
  expect(names).not.toContain('S3_SECRET_ACCESS_KEY');
  expect(names).not.toContain('S3_ENDPOINT_URL');
});

test('an uploaded picture is stored in the bucket, by a signed request in the stack region', async () => {
  const before = stack.fakeAws.s3CallsFor(bucket).length;
  const file = await upload(PICTURE, 'meadow.png', 'image/png', '?process=false');
  const key = keyOf(file);
  expect(key).toMatch(/meadow\.png$/);
  expect(stack.fakeAws.getObject(bucket, key)?.equals(PICTURE)).toBe(true);
  const put = stack.fakeAws.s3CallsFor(bucket).slice(before).find((r) => r.method === 'PUT')!;
  expect(String(put.headers.authorization)).toContain(`/${TASK_REGION}/s3/aws4_request`);
});

test('a file whose local copy is gone is read back from S3', async () => {
  const file = await upload(PICTURE, 'river.png', 'image/png', '?process=false');
  forgetLocalCopies();
  const before = stack.fakeAws.s3CallsFor(bucket).length;
  const res = await call(`/api/v1/files/${file.id}/content`);
  expect(res.status).toBe(200);
  expect(Buffer.from(await res.arrayBuffer()).equals(PICTURE)).toBe(true);
  expect(readsOf(file, before).length).toBeGreaterThan(0);
});

test('a document is embedded from its copy in S3', async () => {
  const text = Array.from({ length: 20 }, (_, i) => `Line ${i}: the ferry leaves the harbour at dawn.`).join('\n\n');
  const file = await upload(text, 'ferry.txt', 'text/plain', '?process=false');
  forgetLocalCopies();
  const before = stack.fakeAws.s3CallsFor(bucket).length;
  await ok(await fetch(`${stack.webui.url}/api/v1/retrieval/process/file`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ file_id: file.id }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  }));
  const count = Number(stack.postgres.sql('openwebui', `SELECT count(*) FROM document_chunk WHERE collection_name = 'file-${file.id}'`));
  expect(count).toBeGreaterThan(0);
  expect(readsOf(file, before).length).toBeGreaterThan(0);
});

test('deleting a file deletes its object', async () => {
  const file = await upload(PICTURE, 'pond.png', 'image/png', '?process=false');
  const key = keyOf(file);
  expect(stack.fakeAws.objectKeys(bucket)).toContain(key);
  await ok(await call(`/api/v1/files/${file.id}`, 'DELETE'));
  expect(stack.fakeAws.objectKeys(bucket)).not.toContain(key);
  expect(stack.fakeAws.s3CallsFor(bucket).some((r) => r.method === 'DELETE' && r.path === `/${bucket}/${key}`)).toBe(true);
});

test('while S3 is unavailable an upload fails with a message and leaves no file record; afterwards uploads work', async () => {
  const filesBefore = stack.postgres.sql('openwebui', 'SELECT count(*) FROM file');
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(PICTURE)]), 'outage.png');
  stack.fakeAws.s3Unavailable = true;
  const started = Date.now();
  let res: Response;
  try {
    res = await call('/api/v1/files/?process=false', 'POST', form);
  } finally {
    stack.fakeAws.s3Unavailable = false;
  }
  const text = await res.text();
  console.log(`upload while S3 is unavailable: HTTP ${res.status} after ${Date.now() - started} ms: ${text.slice(0, 300)}`);
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(JSON.parse(text).detail).toBeTruthy();
  expect(stack.postgres.sql('openwebui', "SELECT count(*) FROM file WHERE filename = 'outage.png'")).toBe('0');
  expect(stack.postgres.sql('openwebui', 'SELECT count(*) FROM file')).toBe(filesBefore);
  const file = await upload(PICTURE, 'after-outage.png', 'image/png', '?process=false');
  expect(stack.fakeAws.getObject(bucket, keyOf(file))?.equals(PICTURE)).toBe(true);
});
