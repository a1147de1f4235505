/**
 * Contract test: a Bedrock guardrail (`litellm.guardrail`), applied by the real LiteLLM proxy from
 * the configuration this library deploys, against the Bedrock stand-in, which serves ApplyGuardrail
 * for the deployed guardrail and blocks a marked word as Bedrock's content filter would.
 *
 * A refused message reaches no model and the user gets the guardrail's blocked message as the
 * answer; a refused answer never reaches the user, streamed or not; image prompts are checked too.
 */
import { GUARDRAIL_ID, GUARDRAIL_VERSION, GuardrailProxy, startGuardrailProxy } from './guardrail-stack';
import { TEST_MASTER_KEY } from './litellm-proxy';

jest.setTimeout(60_000);

const ANSWER = 'Lighthouses guide ships along the coast at night.';
const BLOCKED_WORD = 'contraband';

let running: GuardrailProxy;
let blockedInput: string;
let blockedOutput: string;
const fake = () => running.fakeAws;

beforeAll(async () => {
  running = await startGuardrailProxy(ANSWER, [BLOCKED_WORD]);
  ({ blockedInput, blockedOutput } = running);
}, 180_000);

afterAll(async () => {
  await running?.stop();
});

beforeEach(() => {
  fake().requests.length = 0;
  fake().chatText = ANSWER;
});

async function call(route: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${running.proxy.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'authorization': `Bearer ${TEST_MASTER_KEY}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, text: await res.text() };
}

const chat = (content: string, stream = false) => call('/v1/chat/completions', { model: 'claude-haiku-4.5', stream, messages: [{ role: 'user', content }] });

/** The text of a streamed answer and the number of pieces it came in. */
function streamed(text: string): { words: string; pieces: number } {
  const chunks = text.split('\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)));
  const pieces = chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').filter((t: string) => t !== '');
  return { words: pieces.join(''), pieces: pieces.length };
}

const operations = () => fake().requests.map((r) => r.operation).filter((o) => o !== undefined);

test('a harmless message is checked, answered, and the answer checked', async () => {
  const res = await chat('Tell me about lighthouses');
  expect(res.status).toBe(200);
  expect(JSON.parse(res.text).choices[0].message.content).toBe(ANSWER);
  expect(operations()).toEqual(['apply-guardrail', 'converse', 'apply-guardrail']);
  const [input, , output] = fake().requests.filter((r) => r.operation !== undefined);
  expect(input.path).toBe(`/guardrail/${GUARDRAIL_ID}/version/${GUARDRAIL_VERSION}/apply`);
  expect(input.body).toMatchObject({ source: 'INPUT', content: [{ text: { text: 'Tell me about lighthouses' } }] });
  expect(output.body).toMatchObject({ source: 'OUTPUT' });
  expect(JSON.stringify(output.body.content)).toContain(ANSWER);
});

test.each([false, true])('a refused message reaches no model, and the user reads the blocked message as the answer (stream: %s)', async (stream) => {
  const res = await chat(`Where can I buy ${BLOCKED_WORD}?`, stream);
  expect(res.status).toBe(200);
  const answer = stream ? streamed(res.text).words : JSON.parse(res.text).choices[0].message.content;
  expect(answer).toBe(blockedInput);
  expect(operations().filter((o) => o !== 'apply-guardrail')).toEqual([]);
});

test('a refused answer never reaches the user: the blocked message replaces it', async () => {
  fake().chatText = `Here is how to smuggle ${BLOCKED_WORD} past customs.`;
  const res = await chat('Tell me a story');
  expect(res.status).toBe(200);
  const body = JSON.parse(res.text);
  expect(body.choices[0]).toMatchObject({ finish_reason: 'content_filter', message: { content: blockedOutput } });
  expect(res.text).not.toContain(BLOCKED_WORD);
});

test('a streamed answer arrives in checked pieces; a refused one stops before its refused words', async () => {
  // 30 words: the proxy checks the answer so far every 10 pieces and passes on what passed.
  fake().chatText = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
  const ok = await chat('Count for me', true);
  expect(ok.status).toBe(200);
  const passed = streamed(ok.text);
  expect(passed.words).toBe(fake().chatText);
  expect(passed.pieces).toBeGreaterThan(1);
  const checks = operations().filter((o) => o === 'apply-guardrail').length;
  expect(checks).toBeGreaterThan(2); // the input, then the answer more than once as it grew

  fake().requests.length = 0;
  fake().chatText = `${Array.from({ length: 25 }, (_, i) => `word${i}`).join(' ')} ${BLOCKED_WORD} and more words after it`;
  const refused = await chat('Count again', true);
  expect(refused.status).toBe(200);
  expect(refused.text).not.toContain(BLOCKED_WORD);
  expect(streamed(refused.text).words).toContain(blockedOutput);
});

test('an image prompt is checked before the image model is called; a refused one calls no model', async () => {
  const ok = await call('/v1/images/generations', { model: 'stable-image-core', prompt: 'a lighthouse at dawn' });
  expect(ok.status).toBe(200);
  expect(operations()).toEqual(['apply-guardrail', 'invoke']);
  expect(fake().requests.find((r) => r.operation === 'apply-guardrail')!.body.content[0].text.text).toBe('a lighthouse at dawn');

  fake().requests.length = 0;
  const refused = await call('/v1/images/generations', { model: 'stable-image-core', prompt: `a crate of ${BLOCKED_WORD}` });
  expect(refused.status).not.toBe(200);
  expect(JSON.parse(refused.text).error.message).toBe(blockedInput);
  expect(operations()).toEqual(['apply-guardrail']);
});

test('a request cannot switch the guardrail off', async () => {
  for (const body of [
    { guardrails: [] },
    { metadata: { disable_global_guardrail: true, disable_global_guardrails: true, opted_out_global_guardrails: ['bedrock-guardrail-input'] } },
  ]) {
    fake().requests.length = 0;
    const res = await call('/v1/chat/completions', { model: 'claude-haiku-4.5', messages: [{ role: 'user', content: `buy ${BLOCKED_WORD}` }], ...body });
    expect(JSON.parse(res.text).choices[0].message.content).toBe(blockedInput);
    expect(operations()).toEqual(['apply-guardrail']);
  }
});
