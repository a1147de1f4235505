/**
 * Sign-in through an OpenID Connect provider, end to end: the real Open WebUI, started from a
 * synthesized deployment with `signIn: SignIn.oidc(...)`, against a stand-in provider on
 * 127.0.0.1 (only the discovery URL is replaced: the provider is on the internet in production).
 * The browser's part is played by fetch with a cookie jar.
 */
import { synthContractDeployment } from './contract-stack';
import { solidPng } from './fake-aws';
import { contractSignIn, FakeOidcProvider, OidcUser, signInThroughProvider } from './fake-oidc';
import { ADMIN_PASSWORD, LocalStack } from './local-stack';
import { OPENWEBUI_VENV } from './open-webui';

jest.setTimeout(600_000);

const CLIENT_ID = 'chat-contract';
const CLIENT_SECRET = 'contract-oidc-client-secret-0123456789';

let idp: FakeOidcProvider;
let stack: LocalStack;

beforeAll(async () => {
  idp = await FakeOidcProvider.start(CLIENT_ID, CLIENT_SECRET);
  const deployment = synthContractDeployment({
    signIn: contractSignIn(CLIENT_ID, {
      providerName: 'Contract IdP',
      allowedEmailDomains: ['example.com'],
      roleClaim: 'roles',
      adminRoles: ['chat-admins'],
    }),
  });
  stack = await LocalStack.start({ chatText: 'hi', png: solidPng(8, [0, 0, 0]), embeddingLength: 1024 }, OPENWEBUI_VENV, {
    deployment,
    environment: { OPENID_PROVIDER_URL: idp.discoveryUrl },
    secrets: { OAUTH_CLIENT_SECRET: CLIENT_SECRET },
  });
});

afterAll(async () => {
  await stack?.stop();
  await idp?.stop();
});

/** Signs `user` in through the provider, as a browser would. */
function signInAs(user: OidcUser) {
  return signInThroughProvider(idp, stack.webui.url, user);
}

async function me(token: string): Promise<any> {
  const res = await fetch(`${stack.webui.url}/api/v1/auths/`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return res.json();
}

test('Open WebUI offers the provider by the configured name', async () => {
  const config: any = await (await fetch(`${stack.webui.url}/api/config`)).json();
  expect(config.oauth.providers).toEqual({ oidc: 'Contract IdP' });
});

test('the redirect URI sent to the provider is the configured one, not one guessed from the request', async () => {
  const { authorizeQuery } = await signInAs({ sub: 'u-1', email: 'alice@example.com', name: 'Alice', roles: [] });
  // The construct's OPENID_REDIRECT_URI (https://<url>/oauth/oidc/login/callback; the harness
  // serves it over http on 127.0.0.1) and the scopes of the sign-in.
  expect(authorizeQuery.redirect_uri).toBe(`${stack.webui.url}/oauth/oidc/login/callback`);
  expect(authorizeQuery.scope).toBe('openid email profile');
  expect(authorizeQuery.client_id).toBe(CLIENT_ID);
  // Open WebUI exchanged the code with the client secret from the ECS secret.
  expect(idp.tokenRequests[idp.tokenRequests.length - 1].redirect_uri).toBe(authorizeQuery.redirect_uri);
});

test('a first sign-in creates the account, as a user (roles decide, and the user has no admin role)', async () => {
  const { jar, finalLocation } = await signInAs({ sub: 'u-2', email: 'bea@example.com', name: 'Bea', roles: ['staff'] });
  expect(finalLocation).toMatch(/\/auth$/);
  const token = jar.get('token')!;
  expect(token).toBeDefined();
  expect(await me(token)).toMatchObject({ email: 'bea@example.com', role: 'user' });
});

test('a role of adminRoles makes an admin', async () => {
  const { jar } = await signInAs({ sub: 'u-3', email: 'chief@example.com', name: 'Chief', roles: ['chat-admins'] });
  expect(await me(jar.get('token')!)).toMatchObject({ email: 'chief@example.com', role: 'admin' });
});

test('an email outside allowedEmailDomains is refused, and no account is created', async () => {
  const { jar, finalLocation } = await signInAs({ sub: 'u-4', email: 'mallory@elsewhere.test', name: 'Mallory', roles: ['chat-admins'] });
  expect(finalLocation).toMatch(/\/auth\?error=/);
  expect(jar.get('token') ?? '').toBe('');
});

test('the first admin signs in through the provider into the same account (merged by email)', async () => {
  const adminByPassword = await fetch(`${stack.webui.url}/api/v1/auths/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: stack.adminEmail, password: ADMIN_PASSWORD }),
  });
  const passwordAccount: any = await adminByPassword.json();
  const { jar } = await signInAs({ sub: 'u-admin', email: stack.adminEmail, name: 'Admin', roles: ['chat-admins'] });
  const viaProvider = await me(jar.get('token')!);
  expect(viaProvider.id).toBe(passwordAccount.id);
  expect(viaProvider.role).toBe('admin');
});
