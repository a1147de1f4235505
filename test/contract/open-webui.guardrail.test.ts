/**
 * A guardrail as a colleague meets it: the real Open WebUI (started with the synthesized
 * deployment's environment and start command, on PostgreSQL with pgvector) in front of the real
 * LiteLLM, whose configuration applies `BedrockGuardrail.create()`, against the Bedrock stand-in,
 * which serves ApplyGuardrail for the deployed guardrail and blocks a marked word.
 *
 * The colleague reads the guardrail's blocked message as the answer, in the chat and when asking
 * for a picture; what was refused reaches no model, and no picture is made of it.
 */
import { GUARDRAIL_ID, GUARDRAIL_VERSION, synthContractDeployment } from './contract-stack';
import { solidPng } from './fake-aws';
import { ADMIN_PASSWORD, callAs, LocalStack, signIn } from './local-stack';
import { OPENWEBUI_VENV } from './open-webui';
import { BedrockGuardrail, BedrockModel } from '../../src';

jest.setTimeout(180_000);

const CHAT_TEXT = 'Lighthouses guide ships along the coast at night.';
const BLOCKED_WORD = 'contraband';
const REQUEST_TIMEOUT_MS = 60_000;
const CHAT = BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL;
const STABILITY_CORE = BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1.modelId;

let stack: LocalStack;
let token: string;
let blockedInput: string;
let blockedOutput: string;

const api = (route: string, body?: unknown) => callAs(stack.webui.url, token, route, body, REQUEST_TIMEOUT_MS);

async function ok(res: Response): Promise<any> {
  const text = await res.text();
  if (res.status !== 200) {
    throw new Error(`HTTP ${res.status} for ${res.url}: ${text}\n--- Open WebUI ---\n${stack.webui.output.slice(-3000)}`);
  }
  return JSON.parse(text);
}

/** Asks for a picture in a chat, as the image button of the message box does. */
const askForPicture = async (prompt: string, chatId: string) => ok(await api('/api/chat/completions', {
  model: CHAT.displayName,
  stream: false,
  chat_id: `local:${chatId}`,
  id: `${chatId}-message`,
  features: { image_generation: true },
  messages: [{ role: 'user', content: prompt }],
}));

/** What a model was sent, as text, in every call to it. */
const sentTo = (modelId: string) => stack.fakeAws.callsFor(modelId).map((c) => JSON.stringify(c.body));

beforeAll(async () => {
  const deployment = synthContractDeployment({ guardrail: BedrockGuardrail.create() });
  const guardrail = Object.values<any>(deployment.template.Resources).find((r) => r.Type === 'AWS::Bedrock::Guardrail');
  blockedInput = guardrail.Properties.BlockedInputMessaging;
  blockedOutput = guardrail.Properties.BlockedOutputsMessaging;
  stack = await LocalStack.start({ chatText: CHAT_TEXT, png: solidPng(16, [40, 90, 200]), embeddingLength: 1024 }, OPENWEBUI_VENV, { deployment });
  stack.fakeAws.guardrail = {
    id: GUARDRAIL_ID,
    version: GUARDRAIL_VERSION,
    blockedWords: [BLOCKED_WORD],
    blockedInputMessage: blockedInput,
    blockedOutputsMessage: blockedOutput,
  };
  // A colleague the admin adds, not the admin.
  const adminToken = (await signIn(stack.webui.url, stack.adminEmail, ADMIN_PASSWORD)).token;
  const password = 'Gus-colleague-pass-1';
  await ok(await callAs(stack.webui.url, adminToken, '/api/v1/auths/add', { name: 'Gus', email: 'gus@example.com', password, role: 'user' }));
  token = (await signIn(stack.webui.url, 'gus@example.com', password)).token;
}, 600_000);

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => {
  stack.fakeAws.chatText = CHAT_TEXT;
});

test('a harmless message is checked and answered', async () => {
  const before = stack.fakeAws.requests.filter((r) => r.operation === 'apply-guardrail').length;
  const body = await ok(await api('/api/chat/completions', {
    model: CHAT.displayName, stream: false, messages: [{ role: 'user', content: 'Tell me about lighthouses' }],
  }));
  expect(body.choices[0].message.content).toBe(CHAT_TEXT);
  expect(stack.fakeAws.requests.filter((r) => r.operation === 'apply-guardrail').length).toBeGreaterThanOrEqual(before + 2);
});

test.each([false, true])('a refused message reaches no model; the colleague reads the blocked message (stream: %s)', async (stream) => {
  const res = await api('/api/chat/completions', {
    model: CHAT.displayName, stream, messages: [{ role: 'user', content: `Where can I buy ${BLOCKED_WORD}? (${stream})` }],
  });
  const text = await res.text();
  expect(res.status).toBe(200);
  const answer = stream
    ? text.split('\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.substring(6)).choices?.[0]?.delta?.content ?? '').join('')
    : JSON.parse(text).choices[0].message.content;
  expect(answer).toBe(blockedInput);
  expect(sentTo(CHAT.modelId).some((s) => s.includes(BLOCKED_WORD))).toBe(false);
});

test('a refused answer never reaches the colleague: the blocked message replaces it', async () => {
  stack.fakeAws.chatText = `Here is how to smuggle ${BLOCKED_WORD} past customs.`;
  const res = await api('/api/chat/completions', {
    model: CHAT.displayName, stream: false, messages: [{ role: 'user', content: 'Tell me a story' }],
  });
  const text = await res.text();
  expect(res.status).toBe(200);
  expect(JSON.parse(text).choices[0].message.content).toBe(blockedOutput);
  expect(text).not.toContain(BLOCKED_WORD);
});

test('a refused picture request makes no picture; the colleague reads the blocked message', async () => {
  const pictures = stack.fakeAws.callsFor(STABILITY_CORE).length;
  const body = await askForPicture(`Draw a crate of ${BLOCKED_WORD}`, 'guardrail-image');
  expect(body.choices[0].message.content).toBe(blockedInput);
  expect(stack.fakeAws.callsFor(STABILITY_CORE).length).toBe(pictures);
  expect(sentTo(CHAT.modelId).some((s) => s.includes(BLOCKED_WORD))).toBe(false);
  const files = await ok(await api('/api/v1/files/?content=false'));
  expect((files.items ?? files).filter((f: any) => (f.meta?.content_type ?? '').startsWith('image/'))).toEqual([]);
});

test('a harmless picture request still makes its picture', async () => {
  const pictures = stack.fakeAws.callsFor(STABILITY_CORE).length;
  const body = await askForPicture('Draw a lighthouse at dawn', 'guardrail-image-ok');
  expect(body.choices[0].message.content).toBe(CHAT_TEXT);
  expect(stack.fakeAws.callsFor(STABILITY_CORE).length).toBe(pictures + 1);
});
