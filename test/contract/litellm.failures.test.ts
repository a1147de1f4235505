/**
 * Contract test: what the real LiteLLM proxy, with the configuration this library deploys, does
 * when Bedrock fails: throttling that passes, throttling that lasts, a refused request, a server
 * error, a call that never answers. The proxy is started as in litellm.contract.test.ts, against
 * the local Bedrock stand-in, which injects each fault. Needs `npx projen litellm:venv`.
 */
import * as fs from 'fs';
import { ContractDeployment, synthContractDeployment } from './contract-stack';
import { BedrockFault, CONTENT_FILTERED, FakeAws, solidPng, THROTTLING } from './fake-aws';
import { LiteLLMProxy, TEST_MASTER_KEY, VENV } from './litellm-proxy';
import { BedrockModel } from '../../src';
import { ROUTER_SETTINGS } from '../../src/private/litellm-config';

jest.setTimeout(120_000);

const CHAT_TEXT = 'The stand-in answers after the storm.';
const MODEL = BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL;
const IMAGE_MODEL = BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1;
const SERVICE_UNAVAILABLE: BedrockFault = { status: 503, type: 'ServiceUnavailableException', message: 'Bedrock is unable to process your request.' };
const ACCESS_DENIED: BedrockFault = { status: 403, type: 'AccessDeniedException', message: "You don't have access to the model with the specified model ID." };
/** The timeouts of the proxy that waits out a stalled call: shortened, so the test takes seconds, not minutes. */
const SHORT_TIMEOUT_S = 3;

let deployment: ContractDeployment;
let fakeAws: FakeAws;
let proxy: LiteLLMProxy;
let shortProxy: LiteLLMProxy;
let shortConfig: any;

beforeAll(async () => {
  if (!fs.existsSync(`${VENV}/bin/litellm`)) {
    throw new Error(`${VENV} has no LiteLLM; run 'npx projen litellm:venv' first`);
  }
  deployment = synthContractDeployment();
  fakeAws = await FakeAws.start({ chatText: CHAT_TEXT, png: solidPng(8, [10, 20, 30]), embeddingLength: 1024 });
  const start = { template: deployment.template, assemblyDir: deployment.assemblyDir, fakeAws, refs: deployment.refs };
  proxy = await LiteLLMProxy.start(start);
  shortProxy = await LiteLLMProxy.start({
    ...start,
    changeConfig: (config) => {
      shortConfig = { ...config, router_settings: { ...config.router_settings, timeout: SHORT_TIMEOUT_S, stream_timeout: SHORT_TIMEOUT_S } };
      return shortConfig;
    },
  });
}, 240_000);

afterEach(() => fakeAws.clearFaults());

afterAll(async () => {
  await proxy?.stop();
  await shortProxy?.stop();
  await fakeAws?.stop();
  if (deployment) fs.rmSync(deployment.assemblyDir, { recursive: true, force: true });
});

interface Outcome {
  readonly status: number;
  readonly text: string;
  /** How long the user waited, in milliseconds. */
  readonly ms: number;
  /** The calls Bedrock received for the model. */
  readonly calls: number;
}

/** A chat completion (or an image) through a proxy, as Open WebUI asks for it. */
async function ask(options: { stream?: boolean; image?: boolean; through?: LiteLLMProxy } = {}): Promise<Outcome> {
  const model = options.image ? IMAGE_MODEL : MODEL;
  const before = fakeAws.callsFor(model.modelId).length;
  const started = Date.now();
  const [path, body] = options.image
    ? ['/v1/images/generations', { model: model.displayName, prompt: 'a lighthouse', n: 1, size: '1024x1024' }]
    : ['/v1/chat/completions', { model: model.displayName, messages: [{ role: 'user', content: 'hello' }], stream: options.stream ?? false }];
  const res = await fetch(`${(options.through ?? proxy).url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'authorization': `Bearer ${TEST_MASTER_KEY}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(100_000),
  });
  const text = await res.text();
  return { status: res.status, text, ms: Date.now() - started, calls: fakeAws.callsFor(model.modelId).length - before };
}

/** The chat answer's text, from a JSON answer or a server-sent event stream. */
function answerText(text: string): string {
  if (!text.startsWith('data:')) return JSON.parse(text).choices[0].message.content;
  return text.split('\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.substring(6)).choices[0]?.delta?.content ?? '').join('');
}

describe('throttling', () => {
  test('that passes: the proxy retries with backoff and the user gets the whole answer', async () => {
    fakeAws.failNext(THROTTLING, 3);
    const r = await ask();
    expect(r.status).toBe(200);
    expect(answerText(r.text)).toBe(CHAT_TEXT);
    expect(r.calls).toBe(4);
    // Backoff, not a tight loop: three retries wait at least a second in all.
    expect(r.ms).toBeGreaterThan(1000);
  });

  test('that passes, streamed: the stream starts once Bedrock answers', async () => {
    fakeAws.failNext(THROTTLING, 2);
    const r = await ask({ stream: true });
    expect(r.status).toBe(200);
    expect(answerText(r.text)).toBe(CHAT_TEXT);
    expect(r.calls).toBe(3);
  });

  test('that lasts: after the retries the user is told Bedrock throttles (HTTP 429), within seconds', async () => {
    fakeAws.failNext(THROTTLING, 10);
    const r = await ask();
    expect(r.status).toBe(429);
    expect(r.text).toContain('Too many requests, please wait before trying again.');
    expect(r.calls).toBe(1 + ROUTER_SETTINGS.retry_policy.RateLimitErrorRetries);
    expect(r.ms).toBeLessThan(30_000);
    console.log(`throttling that lasts: HTTP 429 after ${r.calls} calls and ${r.ms} ms`);
  });
});

test('a Bedrock 503 that passes is retried', async () => {
  fakeAws.failNext(SERVICE_UNAVAILABLE, 2);
  const r = await ask();
  expect(r.status).toBe(200);
  expect(r.calls).toBe(3);
});

test.each<[string, BedrockFault, number]>([
  ['a content filter', CONTENT_FILTERED, 400],
  ['no model access', ACCESS_DENIED, 403],
])('%s is not retried, and the user reads why', async (_name, fault, status) => {
  fakeAws.failNext(fault, 5);
  const r = await ask();
  expect(r.status).toBe(status);
  expect(r.calls).toBe(1);
  expect(r.text).toContain(fault.message.slice(0, 30));
});

test('an image request the content filter refuses is not retried, and the user reads why', async () => {
  fakeAws.failNext(CONTENT_FILTERED, 5);
  const r = await ask({ image: true });
  expect(r.status).toBe(400);
  expect(r.calls).toBe(1);
  expect(r.text).toContain('blocked by our content filters');
});

describe('a call Bedrock never answers', () => {
  test('the deployed configuration bounds it: 60 s for a stream, 120 s otherwise, and no retry', () => {
    expect(ROUTER_SETTINGS.stream_timeout).toBe(60);
    expect(ROUTER_SETTINGS.timeout).toBe(120);
    expect(ROUTER_SETTINGS.retry_policy.TimeoutErrorRetries).toBe(0);
    // The shortened proxy differs from the deployed one in the two timeouts only.
    const { timeout, stream_timeout: streamTimeout } = ROUTER_SETTINGS;
    expect({ ...shortConfig.router_settings, timeout, stream_timeout: streamTimeout }).toEqual(ROUTER_SETTINGS);
  });

  test.each([false, true])('streamed %s: the user gets a timeout error (HTTP 408) once the timeout passes, not a hang', async (stream) => {
    fakeAws.failNext('stall', 5);
    const r = await ask({ stream, through: shortProxy });
    expect(r.status).toBe(408);
    expect(r.text).toMatch(/Read timed out/);
    expect(r.ms).toBeGreaterThanOrEqual(SHORT_TIMEOUT_S * 1000);
    expect(r.ms).toBeLessThan(SHORT_TIMEOUT_S * 1000 * 3);
    // Not retried: the user has waited the whole timeout already.
    expect(r.calls).toBe(1);
    console.log(`stalled call (stream: ${stream}): HTTP ${r.status} after ${r.ms} ms: ${r.text.slice(0, 200)}`);
  });
});
