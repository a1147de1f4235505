/**
 * The LiteLLM configuration `cdk-bedrock-image-chat local` writes, loaded by the real LiteLLM
 * (the pinned release) as the compose file starts it: its command, its environment with the
 * generated master key, the user's credentials and region; Bedrock is the local stand-in.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FakeAws, solidPng } from './fake-aws';
import { VENV } from './litellm-proxy';
import { freePort, ManagedProcess } from './processes';
import { BedrockModel } from '../../src';
import { writeLocalSetup } from '../../src/cli/local';

jest.setTimeout(180_000);

const PNG = solidPng(8, [200, 30, 30]);
let fakeAws: FakeAws;
let litellm: ManagedProcess;
let url: string;
let masterKey: string;

/** `${NAME}`, `${NAME:-default}` and `${NAME:?error}` as compose interpolates them. */
function interpolate(value: string, variables: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::[-?]([^}]*))?\}/g, (_, name: string, fallback?: string) => variables[name] ?? fallback ?? '');
}

beforeAll(async () => {
  fakeAws = await FakeAws.start({ chatText: 'Hello from the laptop.', png: PNG, embeddingLength: 1024 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-setup-'));
  writeLocalSetup({ dir, region: 'us-east-1', port: 3000 });
  const dotenv = Object.fromEntries(fs.readFileSync(path.join(dir, '.env'), 'utf-8').trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
  masterKey = dotenv.LITELLM_MASTER_KEY;
  const service = JSON.parse(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf-8')).services.litellm;

  // The shell's credentials (here test keys) and the .env file, as compose would interpolate them.
  const shell = { ...dotenv, HOME: dir, AWS_ACCESS_KEY_ID: 'AKIALOCALSETUPTEST00', AWS_SECRET_ACCESS_KEY: 'local-setup-secret' };
  const environment = Object.fromEntries(Object.entries<string>(service.environment).map(([k, v]) => [k, interpolate(v, shell)]));
  // The mounted files are where compose mounts them: the config at /app/config.yaml.
  const mounts = Object.fromEntries((service.volumes as string[]).map((v) => v.split(':')).map(([from, to]) => [to, path.resolve(dir, interpolate(from, shell))]));
  const command = (service.command as string[]).map((arg) => mounts[arg] ?? arg);
  const port = await freePort();
  command[command.indexOf('--port') + 1] = String(port);
  litellm = ManagedProcess.start('LiteLLM', path.join(VENV, 'bin', 'litellm'), [...command, '--host', '127.0.0.1'], {
    env: {
      PATH: `${path.join(VENV, 'bin')}:/usr/bin:/bin`,
      HOME: dir,
      LANG: 'C.UTF-8',
      ...environment,
      AWS_CONFIG_FILE: path.join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_BEDROCK_RUNTIME_ENDPOINT: fakeAws.url,
      NO_PROXY: '127.0.0.1,localhost',
    },
  });
  url = `http://127.0.0.1:${port}`;
  await litellm.waitForHttp(`${url}/health/liveliness`, 120_000);
});

afterAll(async () => {
  await litellm?.stop();
  await fakeAws?.stop();
});

async function call(route: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'authorization': `Bearer ${masterKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${route}: ${text}\n${litellm.output.slice(-2000)}`);
  return JSON.parse(text);
}

test('LiteLLM loads the file and serves the region\'s default models, behind the generated master key', async () => {
  const models = await call('/v1/models');
  expect(models.data.map((m: any) => m.id).sort()).toEqual(['claude-haiku-4.5', 'stable-image-core', 'titan-embed-text-v2']);
  const anonymous = await fetch(`${url}/v1/models`, { signal: AbortSignal.timeout(30_000) });
  expect(anonymous.status).toBe(401);
  // LiteLLM answers a wrong key with 400 or 401 (without a database it cannot look the key up).
  const wrong = await fetch(`${url}/v1/models`, { headers: { authorization: 'Bearer sk-wrong' }, signal: AbortSignal.timeout(30_000) });
  expect([400, 401]).toContain(wrong.status);
});

test('a chat reaches Bedrock through the global profile, signed in the user\'s region', async () => {
  const answer = await call('/v1/chat/completions', { model: 'claude-haiku-4.5', messages: [{ role: 'user', content: 'hi from the laptop' }] });
  expect(answer.choices[0].message.content).toBe('Hello from the laptop.');
  const sent = fakeAws.callsFor(BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL.modelId).pop()!;
  expect(String(sent.headers.authorization)).toContain('/us-east-1/bedrock/aws4_request');
});

test('an image is drawn by Stable Image Core, signed for us-west-2', async () => {
  const image = await call('/v1/images/generations', { model: 'stable-image-core', prompt: 'a lighthouse', size: '1024x1024' });
  expect(Buffer.from(image.data[0].b64_json, 'base64').equals(PNG)).toBe(true);
  const sent = fakeAws.callsFor(BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1.modelId).pop()!;
  expect(String(sent.headers.authorization)).toContain('/us-west-2/bedrock/aws4_request');
});
