/**
 * The people the app is for, not its admin: the real Open WebUI, started with the synthesized
 * deployment's environment, secrets and start command (PostgreSQL with pgvector, the real
 * LiteLLM, a Bedrock stand-in), used by a colleague the admin added, a pending account the admin
 * approved, and colleagues who sign in through an OpenID Connect provider (a stand-in on
 * 127.0.0.1) whose `groups` claim decides who may use the one chat model kept for a group.
 */
import * as fs from 'fs';
import * as path from 'path';
import { synthContractDeployment } from './contract-stack';
import { solidPng } from './fake-aws';
import { contractSignIn, FakeOidcProvider, OidcUser, signInThroughProvider } from './fake-oidc';
import { TEST_MASTER_KEY } from './litellm-proxy';
import { ADMIN_PASSWORD, callAs, DATABASE_PASSWORD, LocalStack, signIn, WEBUI_SECRET_KEY } from './local-stack';
import { OPENWEBUI_VENV } from './open-webui';
import { BedrockModel, BedrockModelKind } from '../../src';

jest.setTimeout(180_000);

const CLIENT_ID = 'chat-colleagues';
const CLIENT_SECRET = 'colleagues-oidc-client-secret-0123456789';
const CHAT_TEXT = 'The stand-in answers a colleague.';
const PNG = solidPng(16, [200, 40, 40]);
const REQUEST_TIMEOUT_MS = 60_000;

/** The chat model kept for one group, and the group. */
const KEPT = BedrockModel.ANTHROPIC_CLAUDE_OPUS_4_5_GLOBAL;
const GROUP = 'research';
/** The chat model everybody uses here. */
const OPEN = BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL;
const STABILITY_CORE = BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1.modelId;
const EMBEDDINGS = BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2.modelId;

type Who = 'added' | 'approved' | 'oidc';
interface Colleague { readonly id: string; readonly email: string; token: string }

let idp: FakeOidcProvider;
let stack: LocalStack;
let adminToken: string;
const people = {} as Record<Who | 'member', Colleague>;
/** What the pending account got from the model list before the admin approved it. */
let pendingModelsStatus: number;
/** Each colleague's files: the generated picture and the uploaded document. */
const filesOf: Partial<Record<Who, { image?: string; document?: string }>> = {};

/** Calls Open WebUI as `token`, with a bounded timeout. */
const api = (token: string, route: string, body?: unknown) => callAs(stack.webui.url, token, route, body, REQUEST_TIMEOUT_MS);

async function ok(res: Response): Promise<any> {
  const text = await res.text();
  if (res.status !== 200) {
    throw new Error(`HTTP ${res.status} for ${res.url}: ${text}\n--- Open WebUI ---\n${stack.webui.output.slice(-3000)}`);
  }
  return JSON.parse(text);
}

async function signInAs(user: OidcUser): Promise<Colleague> {
  const { jar } = await signInThroughProvider(idp, stack.webui.url, user);
  const token = jar.get('token');
  if (!token) throw new Error(`no session for ${user.email}:\n${stack.webui.output.slice(-3000)}`);
  const me = await ok(await api(token, '/api/v1/auths/'));
  return { id: me.id, email: me.email, token };
}

const chatModels = () => stack.deployment.models.filter((m) => m.kind === BedrockModelKind.CHAT).map((m) => m.displayName);
const modelIds = async (token: string) => (await ok(await api(token, '/api/models'))).data.map((m: any) => m.id).sort();

beforeAll(async () => {
  idp = await FakeOidcProvider.start(CLIENT_ID, CLIENT_SECRET);
  const deployment = synthContractDeployment({
    signIn: contractSignIn(CLIENT_ID, { roleClaim: 'roles', adminRoles: ['chat-admins'], groupClaim: 'groups' }),
    modelAccess: [{ model: KEPT, groups: [GROUP] }],
  });
  stack = await LocalStack.start({ chatText: CHAT_TEXT, png: PNG, embeddingLength: 1024 }, OPENWEBUI_VENV, {
    deployment,
    environment: { OPENID_PROVIDER_URL: idp.discoveryUrl },
    secrets: { OAUTH_CLIENT_SECRET: CLIENT_SECRET },
  });
  adminToken = (await signIn(stack.webui.url, stack.adminEmail, ADMIN_PASSWORD)).token;

  // A colleague the admin adds in the admin panel (Users > Add user), with a password.
  const password = 'Ada-colleague-pass-1';
  const added = await ok(await api(adminToken, '/api/v1/auths/add', { name: 'Ada', email: 'ada@example.com', password, role: 'user' }));
  people.added = { id: added.id, email: 'ada@example.com', token: (await signIn(stack.webui.url, 'ada@example.com', password)).token };

  // A first sign-in through the provider with no role: a pending account, which the admin approves.
  const pending = await signInAs({ sub: 'u-pat', email: 'pat@example.com', name: 'Pat', roles: [], groups: [] });
  pendingModelsStatus = (await api(pending.token, '/api/models')).status;
  await ok(await api(adminToken, `/api/v1/users/${pending.id}/update`, { role: 'user' }));
  people.approved = await signInAs({ sub: 'u-pat', email: 'pat@example.com', name: 'Pat', roles: [], groups: [] });

  // Colleagues through the provider, with the role `user`: one outside the group, one in it.
  people.oidc = await signInAs({ sub: 'u-olga', email: 'olga@example.com', name: 'Olga', roles: ['staff'], groups: ['sales'] });
  people.member = await signInAs({ sub: 'u-mia', email: 'mia@example.com', name: 'Mia', roles: ['staff'], groups: [GROUP] });
}, 600_000);

afterAll(async () => {
  await stack?.stop();
  await idp?.stop();
});

test('every colleague is a user, not an admin, and the pending account was refused the models before approval', async () => {
  for (const who of ['added', 'approved', 'oidc', 'member'] as const) {
    expect(await ok(await api(people[who].token, '/api/v1/auths/'))).toMatchObject({ email: people[who].email, role: 'user' });
  }
  expect([401, 403]).toContain(pendingModelsStatus);
});

describe.each<Who>(['added', 'approved', 'oidc'])('a colleague (%s)', (who) => {
  const token = () => people[who].token;

  test('sees every chat model except the one kept for a group', async () => {
    expect(await modelIds(token())).toEqual(chatModels().filter((m) => m !== KEPT.displayName).sort());
  });

  test('chats, and gets the text Bedrock sent', async () => {
    const body = await ok(await api(token(), '/api/chat/completions', {
      model: OPEN.displayName, stream: false, messages: [{ role: 'user', content: `hello from ${who}` }],
    }));
    expect(body.choices[0].message.content).toBe(CHAT_TEXT);
    expect(JSON.stringify(stack.fakeAws.callsFor(OPEN.modelId).pop()!.body.messages)).toContain(`hello from ${who}`);
  });

  test('chats streamed, in several chunks that add up to the text', async () => {
    const res = await api(token(), '/api/chat/completions', {
      model: 'nova-pro', stream: true, messages: [{ role: 'user', content: `stream for ${who}` }],
    });
    expect(res.status).toBe(200);
    const deltas = (await res.text()).split('\n').filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
      .map((l) => JSON.parse(l.substring(6)).choices?.[0]?.delta?.content ?? '').filter((t: string) => t !== '');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(CHAT_TEXT);
  });

  test('asks for an image in a chat, and the picture Bedrock sent is kept as their file', async () => {
    const before = stack.fakeAws.callsFor(STABILITY_CORE).length;
    const body = await ok(await api(token(), '/api/chat/completions', {
      model: OPEN.displayName,
      stream: false,
      chat_id: `local:colleague-image-${who}`,
      id: `colleague-image-message-${who}`,
      features: { image_generation: true },
      messages: [{ role: 'user', content: `Draw a lighthouse for ${who}` }],
    }));
    expect(body.choices[0].message.content).toBe(CHAT_TEXT);
    expect(stack.fakeAws.callsFor(STABILITY_CORE).length).toBe(before + 1);
    expect(stack.fakeAws.callsFor(STABILITY_CORE).pop()!.body.prompt).toContain(`lighthouse for ${who}`);
    const files = await ok(await api(token(), '/api/v1/files/?content=false'));
    const images = (files.items ?? files).filter((f: any) => (f.meta?.content_type ?? '').startsWith('image/'));
    expect(images).toHaveLength(1);
    expect(Buffer.from(await (await api(token(), `/api/v1/files/${images[0].id}/content`)).arrayBuffer()).equals(PNG)).toBe(true);
    filesOf[who] = { ...filesOf[who], image: images[0].id };
  });

  test('uploads a document and asks about it: the model is sent the document with the question', async () => {
    const secret = `The ${who} lighthouse keeper logs the weather at 19:${who.length}0 every evening.`;
    const form = new FormData();
    form.append('file', new Blob([`Keeper's notes.\n\n${secret}\n`], { type: 'text/plain' }), `notes-${who}.txt`);
    const uploaded = await ok(await fetch(`${stack.webui.url}/api/v1/files/`, {
      method: 'POST', headers: { authorization: `Bearer ${token()}` }, body: form, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    }));
    let status = '';
    for (let i = 0; i < 120 && status !== 'completed' && status !== 'failed'; i++) {
      status = (await ok(await api(token(), `/api/v1/files/${uploaded.id}/process/status`))).status;
      if (status !== 'completed') await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe('completed');
    expect(stack.fakeAws.callsFor(EMBEDDINGS).some((c) => String(c.body.inputText).includes(secret))).toBe(true);
    filesOf[who] = { ...filesOf[who], document: uploaded.id };

    const body = await ok(await api(token(), '/api/chat/completions', {
      model: OPEN.displayName,
      stream: false,
      messages: [{ role: 'user', content: `When does the ${who} keeper log the weather?` }],
      files: [{ type: 'file', id: uploaded.id }],
    }));
    expect(body.choices[0].message.content).toBe(CHAT_TEXT);
    const sent = JSON.stringify(stack.fakeAws.callsFor(OPEN.modelId).pop()!.body);
    expect(sent).toContain(`When does the ${who} keeper log the weather?`);
    expect(sent).toContain(secret);
  });

  test('gets no answer from the model kept for a group, and Bedrock is not called', async () => {
    const before = stack.fakeAws.callsFor(KEPT.modelId).length;
    const res = await api(token(), '/api/chat/completions', {
      model: KEPT.displayName, stream: false, messages: [{ role: 'user', content: 'may I?' }],
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await res.text()).not.toContain(CHAT_TEXT);
    expect(stack.fakeAws.callsFor(KEPT.modelId).length).toBe(before);
  });
});

describe('model access by group', () => {
  test("a member by the provider's groups claim sees the kept model and gets answers from it", async () => {
    expect(await modelIds(people.member.token)).toEqual([...chatModels()].sort());
    const body = await ok(await api(people.member.token, '/api/chat/completions', {
      model: KEPT.displayName, stream: false, messages: [{ role: 'user', content: 'a member asks' }],
    }));
    expect(body.choices[0].message.content).toBe(CHAT_TEXT);
    expect(JSON.stringify(stack.fakeAws.callsFor(KEPT.modelId).pop()!.body.messages)).toContain('a member asks');
  });

  test('the group exists once, created at start, and its members came from the claim', async () => {
    const groups = await ok(await api(adminToken, '/api/v1/groups/'));
    expect(groups.map((g: any) => g.name)).toEqual([GROUP]);
    const members = await ok(await api(adminToken, `/api/v1/groups/id/${groups[0].id}/users`, {}));
    expect(members.map((u: any) => u.email)).toEqual([people.member.email]);
  });

  test('a colleague the admin puts into the group in the admin panel gets the model', async () => {
    const [group] = await ok(await api(adminToken, '/api/v1/groups/'));
    await ok(await api(adminToken, `/api/v1/groups/id/${group.id}/users/add`, { user_ids: [people.added.id] }));
    try {
      expect(await modelIds(people.added.token)).toContain(KEPT.displayName);
    } finally {
      await ok(await api(adminToken, `/api/v1/groups/id/${group.id}/users/remove`, { user_ids: [people.added.id] }));
    }
    expect(await modelIds(people.added.token)).not.toContain(KEPT.displayName);
  });
});

describe('between colleagues', () => {
  test("one colleague cannot read another's chat", async () => {
    const chat = await ok(await api(people.added.token, '/api/v1/chats/new', {
      chat: { title: 'Ada private', messages: [{ id: 'm1', role: 'user', content: 'my private question' }], history: { messages: {}, currentId: null } },
    }));
    expect((await api(people.added.token, `/api/v1/chats/${chat.id}`)).status).toBe(200);
    for (const other of [people.oidc, people.approved]) {
      const res = await api(other.token, `/api/v1/chats/${chat.id}`);
      expect([401, 403, 404]).toContain(res.status);
      expect(await res.text()).not.toContain('my private question');
    }
  });

  test.each<Who>(['added', 'approved', 'oidc'])('nobody else reads the files or generated picture of a colleague (%s)', async (owner) => {
    const others = (['added', 'approved', 'oidc'] as const).filter((w) => w !== owner);
    const files = filesOf[owner]!;
    expect(files.image).toBeDefined();
    expect(files.document).toBeDefined();
    const served: string[] = [];
    for (const id of [files.image!, files.document!]) {
      expect((await api(people[owner].token, `/api/v1/files/${id}/content`)).status).toBe(200);
      for (const other of others) {
        for (const route of [`/api/v1/files/${id}`, `/api/v1/files/${id}/content`]) {
          const status = (await api(people[other].token, route)).status;
          if (![401, 403, 404].includes(status)) served.push(`${other} ${route}: HTTP ${status}`);
        }
      }
    }
    expect(served).toEqual([]);
  });

  test('no route a colleague can reach returns the proxy key or another secret (the admin can reach the key)', async () => {
    const routes = parameterlessGetRoutes();
    expect(routes.length).toBeGreaterThan(50);
    const secrets = [TEST_MASTER_KEY, DATABASE_PASSWORD, WEBUI_SECRET_KEY, CLIENT_SECRET, ADMIN_PASSWORD];
    const leaks: string[] = [];
    for (const route of routes) {
      const text = await bodyOf(people.oidc.token, route);
      for (const secret of secrets) if (text.includes(secret)) leaks.push(`${route} returns ${secret.slice(0, 6)}...`);
    }
    expect(leaks).toEqual([]);
    // The walk can find the key: the admin's view of the OpenAI connection holds it.
    expect(await bodyOf(adminToken, '/openai/config')).toContain(TEST_MASTER_KEY);
  });
});

describe('the CDK app decides who may use a model (persistentConfig false)', () => {
  test('an admin opens the kept model to everyone; after a restart, the access the app declares holds again', async () => {
    await ok(await api(adminToken, '/api/v1/models/model/access/update', {
      id: KEPT.displayName, access_grants: [{ principal_type: 'user', principal_id: '*', permission: 'read' }],
    }));
    console.log(stack.postgres.sql('openwebui', "SELECT resource_id, principal_type, principal_id FROM access_grant WHERE resource_id = 'claude-opus-4.5'"));
    // Open WebUI keeps each user's base model list for MODELS_CACHE_TTL (1 s); its /openai/models
    // route (which the route walk above calls) writes the user's filtered list into that cache, so
    // the change can take a second to show.
    let ids: string[] = [];
    for (let i = 0; i < 20 && !ids.includes(KEPT.displayName); i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 250));
      ids = await modelIds(people.oidc.token);
    }
    expect(ids).toContain(KEPT.displayName);

    await stack.restartOpenWebUI();
    expect(await modelIds(people.oidc.token)).not.toContain(KEPT.displayName);
    expect(await modelIds(people.member.token)).toContain(KEPT.displayName);
    expect(await modelIds(people.approved.token)).toEqual(chatModels().filter((m) => m !== KEPT.displayName).sort());
  }, 600_000);
});

/** The response body of a GET, or what arrived of it within a few seconds (event streams). */
async function bodyOf(token: string, route: string): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  let text = '';
  try {
    const res = await fetch(`${stack.webui.url}${route}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
  } catch (e) {
    if (!controller.signal.aborted) throw e;
  } finally {
    clearTimeout(timer);
  }
  return text;
}

/**
 * Every GET route of the installed Open WebUI without a path parameter: the routers' routes under
 * the prefixes `main.py` mounts them at, and the app's own.
 */
function parameterlessGetRoutes(): string[] {
  const lib = path.join(OPENWEBUI_VENV, 'lib');
  const pkg = path.join(lib, fs.readdirSync(lib).find((d) => d.startsWith('python'))!, 'site-packages', 'open_webui');
  const main = fs.readFileSync(path.join(pkg, 'main.py'), 'utf8');
  const gets = (source: string, object: string) => [...source.matchAll(new RegExp(`@${object}\\.get\\(\\s*'([^']*)'`, 'g'))].map((m) => m[1]);
  const routes = gets(main, 'app');
  for (const [, module, prefix] of main.matchAll(/app\.include_router\((\w+)\.router, prefix='([^']+)'/g)) {
    const file = path.join(pkg, 'routers', `${module}.py`);
    if (fs.existsSync(file)) routes.push(...gets(fs.readFileSync(file, 'utf8'), 'router').map((r) => `${prefix}${r}`));
  }
  // Signing out would end the session the walk uses.
  return [...new Set(routes)].filter((r) => !r.includes('{') && !/signout/.test(r)).sort();
}
