/**
 * Contract test: the real Open WebUI, started with the environment and secrets the construct
 * synthesizes, signs users in, chats, draws and embeds through the real LiteLLM proxy and a local
 * Bedrock stand-in, with PostgreSQL and pgvector as its database. Everything listens on
 * 127.0.0.1. Needs `npx projen litellm:venv` and `npx projen openwebui:venv`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { BrowserSocket } from './browser-socket';
import { CONTRACT_IMAGE_SIZE } from './contract-stack';
import { IMAGE_TOOL, solidPng } from './fake-aws';
import { startHeaderProxy } from './header-proxy';
import { TEST_MASTER_KEY } from './litellm-proxy';
import { ADMIN_PASSWORD, DATABASE_PASSWORD, LocalStack, signIn as signInTo, WEBUI_SECRET_KEY } from './local-stack';
import { installedOpenWebUIVersion, openWebUIContainer } from './open-webui';
import { BedrockModel, BedrockModelKind, OpenWebUIService } from '../../src';

jest.setTimeout(120_000);

const CHAT_TEXT = 'The contract stand-in says hello from Bedrock.';
// The stand-in's picture: large enough to be seen in the browser test's screenshot.
const PNG = solidPng(192, [30, 120, 200]);
const PICTURE = solidPng(4, [250, 200, 10]);
const EMBEDDING_LENGTH = 1024;
const REQUEST_TIMEOUT_MS = 60_000;

let stack: LocalStack;
let token: string;

beforeAll(async () => {
  stack = await LocalStack.start({ chatText: CHAT_TEXT, png: PNG, embeddingLength: EMBEDDING_LENGTH });
  token = await signIn(stack.adminEmail, ADMIN_PASSWORD);
}, 420_000);

afterAll(async () => {
  await stack?.stop();
});

/** Calls Open WebUI with the admin's token (or none) and a bounded timeout. */
async function call(route: string, body?: unknown, auth = true): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth) headers.authorization = `Bearer ${token}`;
  return fetch(`${stack.webui.url}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

async function ok(res: Response): Promise<any> {
  const text = await res.text();
  if (res.status !== 200) {
    throw new Error(`HTTP ${res.status} for ${res.url}: ${text}\n--- Open WebUI ---\n${stack.webui.output.slice(-3000)}\n--- LiteLLM ---\n${stack.proxy.output.slice(-2000)}`);
  }
  return JSON.parse(text);
}

async function signIn(email: string, password: string): Promise<string> {
  const body = await signInTo(stack.webui.url, email, password, REQUEST_TIMEOUT_MS);
  expect(body.role).toBe('admin');
  return body.token;
}

const chatModels = () => stack.deployment.models.filter((m) => m.kind === BedrockModelKind.CHAT).map((m) => m.displayName).sort();
const lastInvoke = (modelId: string) => stack.fakeAws.callsFor(modelId).filter((r) => r.operation === 'invoke').pop();

describe('the deployment matches the pinned Open WebUI', () => {
  test('the container image tag is the installed PyPI release', () => {
    expect(OpenWebUIService.DEFAULT_IMAGE).toBe(`ghcr.io/open-webui/open-webui:v${installedOpenWebUIVersion()}`);
  });

  test("the container's health check passes against the running Open WebUI", () => {
    expect(stack.webui.runHealthCheck()).toBe(0);
  });

  test('the only secrets are the ones the construct injects from Secrets Manager', () => {
    expect((openWebUIContainer(stack.deployment.template).Secrets as any[]).map((s) => s.Name).sort()).toEqual([
      'DATABASE_PASSWORD', 'DATABASE_USER', 'IMAGES_OPENAI_API_KEY', 'OPENAI_API_KEY', 'RAG_OPENAI_API_KEY',
      'WEBUI_ADMIN_PASSWORD', 'WEBUI_SECRET_KEY',
    ]);
  });
});

describe('accounts', () => {
  test('the admin from the admin secret signs in with a password full of punctuation', async () => {
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const me = await ok(await call('/api/v1/auths/'));
    expect(me).toMatchObject({ email: stack.adminEmail, role: 'admin' });
  });

  test('a wrong password is refused', async () => {
    const res = await fetch(`${stack.webui.url}/api/v1/auths/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: stack.adminEmail, password: 'not-the-password' }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    expect(res.status).toBe(400);
  });

  test('signup is refused, and no account is created', async () => {
    const res = await call('/api/v1/auths/signup', { name: 'Mallory', email: 'mallory@example.com', password: 'Mallory-pass-1' }, false);
    expect(res.status).toBe(403);
    const users = stack.postgres.sql('openwebui', 'SELECT email FROM "user" ORDER BY email');
    expect(users.split('\n')).toEqual([stack.adminEmail]);
  });

  test('the API refuses a request without a token', async () => {
    expect((await call('/api/models', undefined, false)).status).toBe(401);
  });
});

describe('models', () => {
  test('the model list holds exactly the chat models: no image, embedding or arena model', async () => {
    const body = await ok(await call('/api/models'));
    expect(body.data.map((m: any) => m.id).sort()).toEqual(chatModels());
  });
});

describe('chat', () => {
  test('a chat answers with the text Bedrock sent', async () => {
    const body = await ok(await call('/api/chat/completions', { model: 'claude-haiku-4.5', stream: false, messages: [{ role: 'user', content: 'hello through Open WebUI' }] }));
    expect(body.choices[0].message.content).toBe(CHAT_TEXT);
    const sent = stack.fakeAws.callsFor(BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL.modelId).pop()!;
    expect(JSON.stringify(sent.body.messages)).toContain('hello through Open WebUI');
  });

  test('a streamed chat arrives in several chunks that add up to the text', async () => {
    const res = await call('/api/chat/completions', { model: 'nova-pro', stream: true, messages: [{ role: 'user', content: 'stream through Open WebUI' }] });
    expect(res.status).toBe(200);
    const events = (await res.text()).split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.substring(6));
    const deltas = events.filter((e) => e !== '[DONE]').map((e) => JSON.parse(e)).map((c) => c.choices?.[0]?.delta?.content ?? '').filter((t) => t !== '');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(CHAT_TEXT);
    expect(stack.fakeAws.callsFor(BedrockModel.AMAZON_NOVA_PRO_V1.modelId).pop()!.operation).toBe('converse-stream');
  });

  test.each([
    ['as a data URL', async () => `data:image/png;base64,${PICTURE.toString('base64')}`],
    ['as an uploaded file, as the chat UI sends it', async () => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(PICTURE)], { type: 'image/png' }), 'picture.png');
      const uploaded = await ok(await fetch(`${stack.webui.url}/api/v1/files/?process=false`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }));
      return `/api/v1/files/${uploaded.id}/content`;
    }],
  ])('a picture sent with a question (%s) reaches the vision model as an image block (image analysis)', async (_form, pictureUrl) => {
    const body = await ok(await call('/api/chat/completions', {
      model: 'claude-sonnet-4.5',
      stream: false,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url: await pictureUrl() } }] }],
    }));
    expect(body.choices[0].message.content).toBe(CHAT_TEXT);
    const sent = stack.fakeAws.callsFor(BedrockModel.ANTHROPIC_CLAUDE_SONNET_4_5_GLOBAL.modelId).pop()!;
    const blocks = sent.body.messages.flatMap((m: any) => m.content);
    const image = blocks.find((b: any) => b.image !== undefined);
    expect(image.image.format).toBe('png');
    expect(Buffer.from(image.image.source.bytes, 'base64').equals(PICTURE)).toBe(true);
    expect(blocks.some((b: any) => b.text === 'What is in this picture?')).toBe(true);
  });
});

describe('what one chat turn costs', () => {
  test('the title, tags and follow-up suggestions of a new chat go to the task model, not to the chat\'s', async () => {
    const taskModel = stack.deployment.models.find((m) => m.displayName === stack.webui.env.TASK_MODEL_EXTERNAL)!;
    const chatModel = BedrockModel.ANTHROPIC_CLAUDE_OPUS_4_5_GLOBAL;
    expect(taskModel.kind).toBe(BedrockModelKind.CHAT);
    expect(taskModel.displayName).not.toBe(chatModel.displayName);
    const browser = await BrowserSocket.open(stack.webui.url, token);
    try {
      const before = stack.fakeAws.requests.length;
      const { messageId } = await browser.startChat(stack.webui.url, 'Which harbour has red boats?', { model: chatModel.displayName, backgroundTasks: true });
      expect((await browser.answerEnd(messageId, 60_000))?.data.data.done).toBe(true);
      // The tasks run after the answer: wait until the calls stop (two quiet seconds, at most 30 s).
      const converse = () => stack.fakeAws.requests.slice(before).filter((r) => r.operation?.startsWith('converse'));
      for (let seen = -1, quiet = 0, i = 0; i < 60 && quiet < 4; i++, await new Promise((r) => setTimeout(r, 500))) {
        quiet = converse().length === seen ? quiet + 1 : 0;
        seen = converse().length;
      }
      const calls = converse();
      const byModel = (id: string) => calls.filter((r) => r.modelId === id).length;
      console.log(`a new chat's first turn: ${calls.length} Bedrock calls, ${byModel(chatModel.modelId)} to ${chatModel.displayName} `
        + `(the answer) and ${byModel(taskModel.modelId)} to the task model ${taskModel.displayName}`);
      expect(byModel(chatModel.modelId)).toBe(1);
      // Title and tags (one call or two) and the follow-up suggestions.
      expect(byModel(taskModel.modelId)).toBeGreaterThanOrEqual(2);
      expect(byModel(chatModel.modelId) + byModel(taskModel.modelId)).toBe(calls.length);
    } finally {
      browser.close();
    }
  });
});

describe('images', () => {
  const stabilityCore = BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1.modelId;

  test('the image button of a chat draws the picture Bedrock sent, in the configured size', async () => {
    const before = stack.fakeAws.callsFor(stabilityCore).length;
    const body = await ok(await call('/api/chat/completions', {
      model: 'claude-haiku-4.5',
      stream: false,
      chat_id: 'local:contract-image-chat',
      id: 'contract-image-message',
      features: { image_generation: true },
      messages: [{ role: 'user', content: 'Draw a lighthouse at dusk' }],
    }));
    expect(body.choices[0].message.content).toBe(CHAT_TEXT);
    expect(stack.fakeAws.callsFor(stabilityCore).length).toBe(before + 1);
    // Legacy function calling (the default): the model is offered no tools at all.
    const answer = stack.fakeAws.callsFor(BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL.modelId).pop()!;
    expect(answer.body.toolConfig).toBeUndefined();
    const sent = lastInvoke(stabilityCore)!;
    expect(sent.body.prompt).toContain('lighthouse');
    // 1024x576 reaches Stability as its own parameter, the aspect ratio 16:9.
    expect(CONTRACT_IMAGE_SIZE).toBe('1024x576');
    expect(sent.body.aspect_ratio).toBe('16:9');
    expect(sent.body).not.toHaveProperty('size');

    // The picture is kept as a file of the user's, byte for byte what Bedrock sent.
    const files = await ok(await call('/api/v1/files/?content=false'));
    // The newest image file that the user did not upload (the vision test uploads picture.png).
    const images = (files.items ?? files)
      .filter((f: any) => (f.meta?.content_type ?? '').startsWith('image/') && f.filename !== 'picture.png')
      .sort((a: any, b: any) => b.created_at - a.created_at);
    expect(images.length).toBeGreaterThan(0);
    const content = await call(`/api/v1/files/${images[0].id}/content`);
    expect(Buffer.from(await content.arrayBuffer()).equals(PNG)).toBe(true);
  });

  test('with native function calling the model calls generate_image, and the picture Bedrock sent is kept', async () => {
    const chatModel = BedrockModel.ANTHROPIC_CLAUDE_OPUS_4_5_GLOBAL.modelId;
    const before = stack.fakeAws.callsFor(stabilityCore).length;
    const firstCall = stack.fakeAws.requests.length;
    // Open WebUI offers its built-in tools only to a chat with a browser session (session_id); it
    // then answers at once and runs the turn in the background, so the test follows the stand-in.
    const res = await call('/api/chat/completions', {
      model: 'claude-opus-4.5',
      stream: true,
      chat_id: 'local:contract-native-chat',
      id: 'contract-native-message',
      session_id: 'contract-native-session',
      features: { image_generation: true },
      params: { function_calling: 'native' },
      messages: [{ role: 'user', content: 'Paint a harbour with red boats' }],
    });
    expect(res.status).toBe(200);
    await res.text();
    // This test's turns only: other tests call the same model.
    const turns = () => stack.fakeAws.requests.slice(firstCall).filter((r) => r.modelId === chatModel && r.operation?.startsWith('converse'));
    const answered = () => turns().some((t) => JSON.stringify(t.body.messages).includes('toolResult'));
    for (let i = 0; i < 120 && !answered(); i++) await new Promise((r) => setTimeout(r, 250));
    // First turn: the model is offered Open WebUI's tools, generate_image among them, and calls it.
    const offered = (turns()[0].body.toolConfig?.tools ?? []).map((t: any) => t.toolSpec.name);
    expect(offered).toContain(IMAGE_TOOL);
    expect(stack.fakeAws.callsFor(stabilityCore).length).toBe(before + 1);
    expect(lastInvoke(stabilityCore)!.body).toMatchObject({ prompt: 'Paint a harbour with red boats', aspect_ratio: '16:9' });
    // Second turn: the tool's result goes back to the model, which answers in text.
    expect(answered()).toBe(true);
    // The cost the default avoids: every native turn carries Open WebUI's built-in tools (27 in 0.12.4).
    expect(offered.length).toBeGreaterThan(20);
  });

  test('the image endpoint returns the PNG Bedrock sent, byte for byte', async () => {
    const images = await ok(await call('/api/v1/images/generations', { prompt: 'a red kite over the sea' }));
    expect(images).toHaveLength(1);
    const res = await call(images[0].url);
    expect(res.headers.get('content-type')).toContain('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    expect(lastInvoke(stabilityCore)!.body).toMatchObject({ prompt: 'a red kite over the sea', aspect_ratio: '16:9' });
  });
});

describe('documents (RAG)', () => {
  test('an uploaded document is embedded by Titan Text Embeddings v2 into pgvector, 1024 dimensions', async () => {
    const embedModel = BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2.modelId;
    const before = stack.fakeAws.callsFor(embedModel).length;
    const text = Array.from({ length: 40 }, (_, i) => `Paragraph ${i}: the lighthouse keeper logs the weather every evening.`).join('\n\n');
    const form = new FormData();
    form.append('file', new Blob([text], { type: 'text/plain' }), 'lighthouse.txt');
    const uploaded = await ok(await fetch(`${stack.webui.url}/api/v1/files/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    }));
    let status = '';
    for (let i = 0; i < 120 && status !== 'completed' && status !== 'failed'; i++) {
      status = (await ok(await call(`/api/v1/files/${uploaded.id}/process/status`))).status;
      if (status !== 'completed') await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe('completed');
    const rows = stack.postgres.sql('openwebui', `SELECT count(*), min(vector_dims(vector)), max(vector_dims(vector)) FROM document_chunk WHERE collection_name = 'file-${uploaded.id}'`);
    const [count, minDims, maxDims] = rows.split('|').map(Number);
    expect(count).toBeGreaterThan(0);
    expect([minDims, maxDims]).toEqual([EMBEDDING_LENGTH, EMBEDDING_LENGTH]);
    const embedCalls = stack.fakeAws.callsFor(embedModel).slice(before);
    expect(embedCalls.length).toBeGreaterThanOrEqual(count);
    expect(embedCalls.some((c) => String(c.body.inputText).includes('lighthouse keeper'))).toBe(true);
  });
});

/** Closes the dialogs Open WebUI greets a first sign-in with ("what's new"). */
async function dismissDialogs(page: import('playwright-core').Page): Promise<void> {
  const dialog = page.locator('div[role="dialog"]');
  for (let i = 0; i < 10; i++) {
    await page.waitForTimeout(500);
    if ((await dialog.count()) === 0 || !(await dialog.first().isVisible())) return;
    const confirm = dialog.first().getByRole('button', { name: /okay|let's go|close|dismiss/i });
    if ((await confirm.count()) > 0) await confirm.last().click();
    else await page.keyboard.press('Escape');
  }
  throw new Error('a dialog stayed open');
}

describe('a real browser (headless Chromium)', () => {
  const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const SCREENSHOT = path.join(__dirname, '..', '..', 'test-output', 'browser-image-chat.png');

  test('a colleague the admin added signs in, asks for an image in a new chat and sees it rendered', async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH`);
    }
    // The people the app is for: a user the admin adds in the admin panel, not the admin.
    const colleague = { name: 'Browser Colleague', email: 'browser.colleague@example.com', password: 'Browser-colleague-pass-1' };
    await ok(await call('/api/v1/auths/add', { ...colleague, role: 'user' }));
    const stabilityCore = BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1.modelId;
    const before = stack.fakeAws.callsFor(stabilityCore).length;
    // The flags keep Chromium from calling home: this machine has no internet.
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      timeout: 60_000,
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // The load balancer's response headers, from the template's HTTPS listener, on every response
    // (as the load balancer adds them); the content security policy must not block anything the
    // app does.
    const headers = responseHeaders(stack.deployment.template);
    expect(Object.keys(headers).sort()).toEqual(['content-security-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options']);
    const front = await startHeaderProxy(stack.webui.url, headers);
    await page.addInitScript({
      content: "window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));",
    });
    const consoleViolations: string[] = [];
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) consoleViolations.push(message.text());
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
    try {
      page.setDefaultTimeout(60_000);
      await page.goto(`${front.url}/auth`);
      await page.fill('input[type="email"]', colleague.email);
      await page.fill('input[type="password"]', colleague.password);
      await page.click('button[type="submit"]');
      await page.waitForURL((u) => !u.pathname.startsWith('/auth'));

      // A new chat with the image button on (Open WebUI's own URL parameters) and the prompt typed.
      const prompt = 'Draw a lighthouse at dusk, please';
      await page.goto(`${front.url}/?models=claude-haiku-4.5&image-generation=true&q=${encodeURIComponent(prompt)}`);
      const input = page.locator('#chat-input');
      await input.waitFor({ state: 'visible' });
      await dismissDialogs(page);
      await input.click();
      await page.keyboard.press('Enter');

      const image = page.locator('img[src*="/api/v1/files/"]').first();
      await image.waitFor({ state: 'visible' });
      // Runs in the page: the image has loaded and has pixels.
      const loaded = (img: any) => img.complete && img.naturalWidth > 0;
      await page.waitForFunction(loaded, await image.elementHandle());
      expect(await image.evaluate((img: any) => img.naturalWidth)).toBe(192);
      await page.getByText(CHAT_TEXT).first().waitFor({ state: 'visible' });
      expect(stack.fakeAws.callsFor(stabilityCore).length).toBeGreaterThan(before);
      expect(lastInvoke(stabilityCore)!.body.prompt).toContain('lighthouse');
      expect(await page.evaluate('window.__violations')).toEqual([]);
      expect(consoleViolations).toEqual([]);
      const health = await fetch(`${front.url}/health`);
      expect(health.headers.get('content-security-policy')).toBe(headers['content-security-policy']);
      expect(health.headers.get('server')).toBeNull();
    } finally {
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      fs.writeFileSync(
        path.join(path.dirname(SCREENSHOT), 'browser-console.txt'),
        [...consoleViolations, JSON.stringify(await page.evaluate('window.__violations').catch(() => 'n/a')), ...consoleErrors].join('\n'),
      );
      await page.screenshot({ path: SCREENSHOT });
      await browser.close();
      await front.close();
    }
  });
});

describe('restart and secrets', () => {
  test('after a restart on the same database, the admin and the settings are unchanged', async () => {
    const configBefore = await ok(await call('/api/v1/auths/admin/config'));
    const imagesBefore = await ok(await call('/api/v1/images/config'));
    await stack.restartOpenWebUI();
    token = await signIn(stack.adminEmail, ADMIN_PASSWORD);
    expect(await ok(await call('/api/v1/auths/admin/config'))).toEqual(configBefore);
    expect(await ok(await call('/api/v1/images/config'))).toEqual(imagesBefore);
    // The first admin is not created a second time (the browser test added one colleague).
    expect(stack.postgres.sql('openwebui', 'SELECT count(*) FROM "user" WHERE role = \'admin\'')).toBe('1');
  });

  test('no secret value appears in any log (Open WebUI, LiteLLM, PostgreSQL)', () => {
    const all = stack.allOutput();
    expect(all.length).toBeGreaterThan(1000);
    for (const secret of [ADMIN_PASSWORD, DATABASE_PASSWORD, TEST_MASTER_KEY, WEBUI_SECRET_KEY]) {
      expect(all.includes(secret)).toBe(false);
    }
  });
});

/**
 * The response headers the load balancer's HTTPS listener adds (its listener attributes in the
 * template), as header name -> value.
 */
function responseHeaders(template: any): Record<string, string> {
  const names: Record<string, string> = {
    'routing.http.response.strict_transport_security.header_value': 'strict-transport-security',
    'routing.http.response.x_content_type_options.header_value': 'x-content-type-options',
    'routing.http.response.x_frame_options.header_value': 'x-frame-options',
    'routing.http.response.content_security_policy.header_value': 'content-security-policy',
  };
  const https = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::ElasticLoadBalancingV2::Listener' && r.Properties.Protocol === 'HTTPS');
  return Object.fromEntries((https.Properties.ListenerAttributes as any[]).filter((a) => names[a.Key]).map((a) => [names[a.Key], a.Value]));
}
