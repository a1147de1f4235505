/**
 * Contract test: the LiteLLM configuration this library deploys works in the real LiteLLM proxy.
 *
 * The proxy is the pinned PyPI release (the version of the container tag), started from the
 * synthesized template's container definition (environment, secrets, command, S3 configuration)
 * against a local Bedrock-and-S3 stand-in on 127.0.0.1. Needs `npx projen litellm:venv`.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import { join } from 'path';
import { PROVISIONED_MODEL_ARN, synthContractDeployment, ContractDeployment, TASK_REGION } from './contract-stack';
import { FakeAws, solidPng } from './fake-aws';
import { installedLiteLLMVersion, LiteLLMProxy, TEST_ACCESS_KEY_ID, TEST_MASTER_KEY, VENV } from './litellm-proxy';
import { BedrockModel, BedrockModelKind, LiteLLMService } from '../../src';
import { CATALOG } from '../../src/private/catalog-data';

jest.setTimeout(60_000);

const CHAT_TEXT = 'The contract stand-in says hello from Bedrock.';
const PNG = solidPng(8, [200, 40, 90]);
const EMBEDDING_LENGTH = 1024;
const REQUEST_TIMEOUT_MS = 20_000;

let deployment: ContractDeployment;
let fakeAws: FakeAws;
let proxy: LiteLLMProxy;

beforeAll(async () => {
  if (!fs.existsSync(`${VENV}/bin/litellm`)) {
    throw new Error(`${VENV} has no LiteLLM; run 'npx projen litellm:venv' first`);
  }
  deployment = synthContractDeployment();
  fakeAws = await FakeAws.start({ chatText: CHAT_TEXT, png: PNG, embeddingLength: EMBEDDING_LENGTH });
  proxy = await LiteLLMProxy.start({ template: deployment.template, assemblyDir: deployment.assemblyDir, fakeAws, refs: deployment.refs });
}, 180_000);

afterAll(async () => {
  await proxy?.stop();
  await fakeAws?.stop();
  if (deployment) fs.rmSync(deployment.assemblyDir, { recursive: true, force: true });
});

/** Calls the proxy with the master key (or the given headers) and a bounded timeout. */
async function call(path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${TEST_MASTER_KEY}` }): Promise<Response> {
  return fetch(`${proxy.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

async function ok(res: Response): Promise<any> {
  const text = await res.text();
  if (res.status !== 200) {
    throw new Error(`HTTP ${res.status}: ${text}\n--- proxy output ---\n${proxy.output.slice(-3000)}`);
  }
  return JSON.parse(text);
}

/** The region a request was signed for (SigV4 credential scope). */
function signedRegion(headers: Record<string, any>): string {
  const match = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(headers.authorization));
  expect(match?.[1]).toBe(TEST_ACCESS_KEY_ID);
  expect(match?.[3]).toBe('bedrock');
  return match![2];
}

const byKind = (kind: BedrockModelKind) => deployment.models.filter((m) => m.kind === kind);
const lastCallFor = (model: BedrockModel) => {
  const calls = fakeAws.callsFor(model === deployment.provisioned ? PROVISIONED_MODEL_ARN : model.modelId);
  expect(calls.length).toBeGreaterThan(0);
  return calls[calls.length - 1];
};

describe('the deployment matches the pinned LiteLLM', () => {
  test('the container image tag is the installed PyPI release', () => {
    const version = installedLiteLLMVersion();
    expect(LiteLLMService.DEFAULT_IMAGE).toBe(`ghcr.io/berriai/litellm:v${version}`);
  });

  test('the proxy loaded its configuration from the S3 object the task names', () => {
    const s3Gets = fakeAws.requests.filter((r) => r.operation === undefined && r.method === 'GET');
    expect(s3Gets.map((r) => r.path)).toContainEqual(expect.stringMatching(/^\/contract-.*\/litellm\/config-[0-9a-f]{16}\.json$/));
  });

  test("the container's health check passes against the running proxy", () => {
    expect(proxy.runHealthCheck()).toBe(0);
  });
});

describe('the OpenAI-compatible API', () => {
  test('/v1/models lists every configured model name', async () => {
    const body = await ok(await call('/v1/models'));
    expect(body.data.map((m: any) => m.id).sort()).toEqual(deployment.models.map((m) => m.displayName).sort());
  });

  test('a request without the master key gets 401; a wrong key is refused too', async () => {
    expect((await call('/v1/models', undefined, {})).status).toBe(401);
    const request = { model: 'claude-haiku-4.5', messages: [{ role: 'user', content: 'no key' }] };
    expect((await call('/v1/chat/completions', request, {})).status).toBe(401);
    // LiteLLM 1.83.14 without a database answers a key other than the master key with
    // 400 "No connected db." (it would look virtual keys up there): refused all the same.
    const wrong = await call('/v1/chat/completions', request, { authorization: 'Bearer sk-wrong' });
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    expect(wrong.status).toBeLessThan(500);
    expect(fakeAws.requests.filter((r) => r.body?.messages?.[0]?.content?.[0]?.text === 'no key')).toHaveLength(0);
  });
});

describe('image generation, for every image model in the catalog', () => {
  const imageModels = () => byKind(BedrockModelKind.IMAGE);

  test('the catalog has five image models, each exercised below', () => {
    expect(imageModels().map((m) => m.modelId).sort()).toEqual([
      'amazon.nova-canvas-v1:0',
      'amazon.titan-image-generator-v2:0',
      'stability.sd3-5-large-v1:0',
      'stability.stable-image-core-v1:1',
      'stability.stable-image-ultra-v1:1',
    ]);
  });

  test.each(catalogImageModels())(
    '%s returns the PNG Bedrock sent, from a request in its family format',
    async (_name, model) => {
      const prompt = `a lighthouse at dusk, drawn for ${model.displayName}`;
      // Open WebUI's request: it asks for base64 and a size, which drop_params must make harmless.
      const body = await ok(await call('/v1/images/generations', { model: model.displayName, prompt, n: 1, size: '1024x1024', response_format: 'b64_json' }));
      expect(body.data).toHaveLength(1);
      expect(Buffer.from(body.data[0].b64_json, 'base64').equals(PNG)).toBe(true);

      const sent = lastCallFor(model);
      expect(sent.operation).toBe('invoke');
      expect(signedRegion(sent.headers)).toBe(model.region ?? TASK_REGION);
      if (model.modelId.startsWith('amazon.nova-canvas')) {
        expect(sent.body).toMatchObject({ taskType: 'TEXT_IMAGE', textToImageParams: { text: prompt } });
        // Nova Canvas maps the OpenAI size and n.
        expect(sent.body.imageGenerationConfig).toMatchObject({ width: 1024, height: 1024, numberOfImages: 1 });
      } else if (model.modelId.startsWith('amazon.titan-image')) {
        expect(sent.body).toMatchObject({ taskType: 'TEXT_IMAGE', textToImageParams: { text: prompt } });
      } else {
        // Stability SD3 / Stable Image: a flat prompt, none of the OpenAI parameters.
        expect(sent.body.prompt).toBe(prompt);
        expect(sent.body).not.toHaveProperty('text_prompts');
        expect(sent.body).not.toHaveProperty('response_format');
        expect(sent.body).not.toHaveProperty('size');
      }
    },
  );
});

/** The catalog row of a member, by the member's model id. */
const rowOf = (model: BedrockModel) => Object.values(CATALOG).find((e) => e.modelId === model.modelId)!;

/** The runtime API a recorded operation belongs to. */
const apiOf = (operation: string | undefined) => (operation?.startsWith('converse') ? 'CONVERSE' : 'INVOKE');

describe('chat', () => {
  test.each(catalogChatModels())('%s answers with the text Bedrock sent, through an API Bedrock serves it on', async (_name, model) => {
    const body = await ok(await call('/v1/chat/completions', { model: model.displayName, messages: [{ role: 'user', content: `hello ${model.displayName}` }] }));
    expect(body.choices[0].message.content).toBe(CHAT_TEXT);
    const sent = lastCallFor(model);
    // The stand-in refuses any other API (the row's `apis`), so a 200 above already says so.
    expect(rowOf(model).apis).toContain(apiOf(sent.operation));
    expect(sent.operation).toBe('converse');
    expect(sent.body.messages[0].content[0].text).toBe(`hello ${model.displayName}`);
    expect(signedRegion(sent.headers)).toBe(model.region ?? TASK_REGION);
  });

  test('a model Bedrock does not serve on the API LiteLLM calls fails, as it would on Bedrock', async () => {
    const haiku = BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL.modelId;
    const served = fakeAws.servedApis[haiku];
    fakeAws.servedApis[haiku] = ['INVOKE', 'MESSAGES'];
    try {
      const res = await call('/v1/chat/completions', { model: 'claude-haiku-4.5', messages: [{ role: 'user', content: 'wrong route' }] });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("doesn't support the model that you provided");
    } finally {
      fakeAws.servedApis[haiku] = served;
    }
  });

  test.each([false, true])('InvokeModel answers Claude in the Anthropic Messages shape LiteLLM reads (stream: %s)', async (stream) => {
    // LiteLLM's `bedrock/invoke/` route, called through its SDK against the stand-in.
    const script = [
      'import json, sys, litellm',
      `r = litellm.completion(model='bedrock/invoke/${BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL.modelId}', messages=[{'role': 'user', 'content': 'invoke please'}],`,
      `    aws_bedrock_runtime_endpoint=sys.argv[1], aws_region_name='${TASK_REGION}', stream=${stream ? 'True' : 'False'}, num_retries=0, timeout=20)`,
      stream ? "print(json.dumps(''.join((c.choices[0].delta.content or '') for c in r)))" : 'print(json.dumps(r.choices[0].message.content))',
    ].join('\n');
    const text = await new Promise<string>((resolve, reject) => {
      execFile(join(VENV, 'bin', 'python'), ['-c', script, fakeAws.url], {
        timeout: 60_000,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          LITELLM_LOCAL_MODEL_COST_MAP: 'True',
          AWS_ACCESS_KEY_ID: TEST_ACCESS_KEY_ID,
          AWS_SECRET_ACCESS_KEY: 'contract-test-secret-key',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout.trim().split('\n').pop()!)));
    });
    expect(JSON.parse(text)).toBe(CHAT_TEXT);
    const sent = lastCallFor(BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL);
    expect(sent.operation).toBe(stream ? 'invoke-with-response-stream' : 'invoke');
    expect(sent.body).toMatchObject({ anthropic_version: 'bedrock-2023-05-31', messages: [{ role: 'user', content: [{ type: 'text', text: 'invoke please' }] }] });
  });

  test('streaming delivers the text in chunks and ends with [DONE]', async () => {
    const res = await call('/v1/chat/completions', { model: 'claude-haiku-4.5', stream: true, messages: [{ role: 'user', content: 'stream please' }] });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = (await res.text()).split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.substring(6));
    expect(events[events.length - 1]).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    expect(text).toBe(CHAT_TEXT);
    expect(chunks.filter((c) => c.choices[0]?.delta?.content).length).toBeGreaterThan(1);
    expect(lastCallFor(BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL).operation).toBe('converse-stream');
  });

  test('a model given by a deploy-time ARN is invoked by that ARN (model_id from the task environment)', async () => {
    const body = await ok(await call('/v1/chat/completions', { model: 'nova-lite-provisioned', messages: [{ role: 'user', content: 'provisioned' }] }));
    expect(body.choices[0].message.content).toBe(CHAT_TEXT);
    const sent = lastCallFor(deployment.provisioned);
    expect(sent.modelId).toBe(PROVISIONED_MODEL_ARN);
    expect(sent.operation).toBe('converse');
  });
});

describe('embeddings', () => {
  test('the catalog embedding models are all served here', () => {
    expect(catalogOf(BedrockModelKind.EMBEDDING).map(([name]) => name).sort()).toEqual(['AMAZON_NOVA_2_MULTIMODAL_EMBEDDINGS_V1', 'AMAZON_TITAN_EMBED_TEXT_V2']);
  });

  test('Titan Text Embeddings v2 returns a vector', async () => {
    const body = await ok(await call('/v1/embeddings', { model: 'titan-embed-text-v2', input: 'a document about lighthouses' }));
    expect(body.data[0].embedding).toHaveLength(EMBEDDING_LENGTH);
    const sent = lastCallFor(BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2);
    expect(sent.body.inputText).toBe('a document about lighthouses');
  });

  test('Nova 2 Multimodal Embeddings is asked for 1024 dimensions, the length pgvector is set up for', async () => {
    // Open WebUI sends no dimensions; the configuration's `dimensions` must reach Bedrock.
    const body = await ok(await call('/v1/embeddings', { model: 'nova-2-multimodal-embeddings', input: 'a document about harbours' }));
    expect(body.data[0].embedding).toHaveLength(1024);
    const sent = lastCallFor(BedrockModel.AMAZON_NOVA_2_MULTIMODAL_EMBEDDINGS_V1);
    expect(sent.operation).toBe('invoke');
    expect(sent.body).toMatchObject({
      schemaVersion: 'nova-multimodal-embed-v1',
      taskType: 'SINGLE_EMBEDDING',
      singleEmbeddingParams: { embeddingDimension: 1024, text: { value: 'a document about harbours' } },
    });
  });
});

function catalogImageModels(): [string, BedrockModel][] {
  return catalogOf(BedrockModelKind.IMAGE);
}

function catalogChatModels(): [string, BedrockModel][] {
  return catalogOf(BedrockModelKind.CHAT);
}

function catalogOf(kind: BedrockModelKind): [string, BedrockModel][] {
  return Object.entries(BedrockModel)
    .filter((e): e is [string, BedrockModel] => e[1] instanceof BedrockModel && e[1].kind === kind);
}
