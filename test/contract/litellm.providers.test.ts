/**
 * A chat model provider outside Bedrock (OpenAI-compatible, as AI Singapore's SEA-LION API is),
 * served by the real LiteLLM from the configuration this library deploys: the provider's base URL
 * and API key reach LiteLLM only as environment variables (`os.environ/...`), and Open WebUI's
 * one gateway key reaches the provider's model. The provider is a stand-in on 127.0.0.1.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { TASK_REGION } from './contract-stack';
import { FakeAws, solidPng } from './fake-aws';
import { LiteLLMProxy, TEST_MASTER_KEY } from './litellm-proxy';
import { InternetEgress, LiteLLMService } from '../../src';

jest.setTimeout(60_000);

const PROVIDER_KEY = 'sk-sealion-contract-0123456789';
const PROVIDER_MODEL = 'aisingapore/Gemma-SEA-LION-v3-9B-IT';
const ANSWER = 'Selamat pagi from the stand-in provider.';

interface Seen { readonly path: string; readonly authorization?: string; readonly body: any }

let assemblyDir: string;
let template: any;
let fakeAws: FakeAws;
let provider: http.Server;
let providerUrl: string;
let proxy: LiteLLMProxy;
const seen: Seen[] = [];

/** An OpenAI-compatible chat completions endpoint that checks the key, streamed or not. */
async function startProvider(): Promise<void> {
  provider = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => { raw += d; });
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : {};
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
      if (req.headers.authorization !== `Bearer ${PROVIDER_KEY}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'bad key' } }));
        return;
      }
      const base = { id: 'chatcmpl-contract', created: 1_700_000_000, model: body.model };
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const word of ANSWER.split(/(?<= )/)) {
          res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: word }, finish_reason: null }] })}\n\n`);
        }
        res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
        res.end('data: [DONE]\n\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: ANSWER }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
      }));
    });
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  providerUrl = `http://127.0.0.1:${(provider.address() as any).port}/v1`;
}

beforeAll(async () => {
  assemblyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-providers-'));
  const app = new App({ outdir: assemblyDir });
  const stack = new Stack(app, 'Providers');
  // The base URL is a deploy-time value here, so that the harness can point it at 127.0.0.1 (a
  // literal URL is written into the configuration as it is).
  const baseUrl = new CfnParameter(stack, 'ProviderUrl').valueAsString;
  new LiteLLMService(stack, 'LiteLLM', {
    cluster: new ecs.Cluster(stack, 'Cluster'),
    egress: InternetEgress.NAT_GATEWAY,
    providers: [{ name: 'sealion', baseUrl, apiKey: secretsmanager.Secret.fromSecretNameV2(stack, 'Key', 'sealion-key'), models: [PROVIDER_MODEL] }],
  });
  template = app.synth().getStackByName('Providers').template;
  const refs: Record<string, string> = { 'AWS::Region': TASK_REGION };
  for (const [id, resource] of Object.entries<any>(template.Resources)) {
    if (resource.Type === 'AWS::S3::Bucket') refs[id] = `contract-${id.toLowerCase()}`;
  }
  await startProvider();
  refs.ProviderUrl = providerUrl;
  fakeAws = await FakeAws.start({ chatText: 'Bedrock stand-in', png: solidPng(4, [0, 0, 0]), embeddingLength: 1024 });
  proxy = await LiteLLMProxy.start({ template, assemblyDir, fakeAws, refs, secrets: { PROVIDER_0_API_KEY: PROVIDER_KEY } });
}, 180_000);

afterAll(async () => {
  await proxy?.stop();
  await fakeAws?.stop();
  await new Promise((resolve) => (provider ? provider.close(resolve) : resolve(undefined)));
  fs.rmSync(assemblyDir, { recursive: true, force: true });
});

async function chat(stream: boolean): Promise<Response> {
  return fetch(`${proxy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'authorization': `Bearer ${TEST_MASTER_KEY}` },
    body: JSON.stringify({ model: `sealion/${PROVIDER_MODEL}`, stream, messages: [{ role: 'user', content: 'Good morning' }] }),
    signal: AbortSignal.timeout(20_000),
  });
}

test('the configuration names the URL and the key only as environment variables', () => {
  const container = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::ECS::TaskDefinition').Properties.ContainerDefinitions[0];
  expect(container.Secrets.map((s: any) => s.Name).sort()).toEqual(['LITELLM_MASTER_KEY', 'PROVIDER_0_API_KEY']);
  expect(container.Environment.find((e: any) => e.Name === 'PROVIDER_0_URL').Value).toEqual({ Ref: 'ProviderUrl' });
});

test('Open WebUI\'s model list shows the provider\'s model next to the Bedrock ones', async () => {
  const res = await fetch(`${proxy.url}/v1/models`, { headers: { authorization: `Bearer ${TEST_MASTER_KEY}` }, signal: AbortSignal.timeout(20_000) });
  const ids = ((await res.json()) as any).data.map((m: any) => m.id);
  expect(ids).toEqual(expect.arrayContaining([`sealion/${PROVIDER_MODEL}`, 'claude-haiku-4.5']));
});

test('a chat reaches the provider with its key and its model id, and the answer comes back', async () => {
  const res = await chat(false);
  const text = await res.text();
  expect({ status: res.status, text: res.status === 200 ? '' : `${text}\n${proxy.output.slice(-2000)}` }).toEqual({ status: 200, text: '' });
  expect(JSON.parse(text).choices[0].message.content).toBe(ANSWER);
  const request = seen.filter((s) => s.path.endsWith('/chat/completions')).pop()!;
  expect(request).toMatchObject({ path: '/v1/chat/completions', authorization: `Bearer ${PROVIDER_KEY}`, body: { model: PROVIDER_MODEL } });
});

test('a streamed chat streams through', async () => {
  const res = await chat(true);
  expect(res.status).toBe(200);
  const body = await res.text();
  const words = body.split('\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)).choices[0]?.delta?.content ?? '').join('');
  expect(words).toBe(ANSWER);
});

test('the provider\'s key is in no log', () => {
  expect(proxy.output).not.toContain(PROVIDER_KEY);
});
