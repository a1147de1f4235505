import * as crypto from 'crypto';
import * as http from 'http';
import * as net from 'net';
import { Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { OidcSignInProps, SignIn } from '../../src';

/** The discovery URL a contract deployment is synthesized with; the harness replaces it with the stand-in's. */
export const CONTRACT_DISCOVERY_URL = 'https://idp.example.com/.well-known/openid-configuration';

/**
 * `SignIn.oidc` for a contract deployment (`synthContractDeployment({ signIn })`): the client
 * secret is a Secrets Manager secret whose value the harness gives as `OAUTH_CLIENT_SECRET`.
 */
export function contractSignIn(clientId: string, options: Omit<OidcSignInProps, 'discoveryUrl' | 'clientId' | 'clientSecret'>): (stack: Stack) => SignIn {
  return (stack) => SignIn.oidc({
    discoveryUrl: CONTRACT_DISCOVERY_URL,
    clientId,
    clientSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'OidcClientSecret', 'chat/oidc'),
    ...options,
  });
}

/** A user the stand-in identity provider signs in. */
export interface OidcUser {
  readonly sub: string;
  readonly email: string;
  readonly name: string;
  readonly roles: string[];
  /** The `groups` claim, when the provider sends one. */
  readonly groups?: string[];
}

/**
 * An OpenID Connect provider on 127.0.0.1: discovery, authorization (signs in whichever user the
 * test picked, without a form), token (RS256 ID tokens), userinfo and JWKS. It checks what a real
 * provider checks: the client secret, the code, and that the token request's redirect URI is the
 * one the authorization request used.
 */
export class FakeOidcProvider {
  public static async start(clientId: string, clientSecret: string): Promise<FakeOidcProvider> {
    const provider = new FakeOidcProvider(clientId, clientSecret);
    await new Promise<void>((resolve) => provider.server.listen(0, '127.0.0.1', resolve));
    return provider;
  }

  /** The user the next authorization request signs in. */
  public user?: OidcUser;
  /** Every authorization request, as its query parameters. */
  public readonly authorizations: Record<string, string>[] = [];
  /** Every token request, as its form parameters. */
  public readonly tokenRequests: Record<string, string>[] = [];

  private readonly server: http.Server;
  private readonly keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly codes = new Map<string, { user: OidcUser; nonce?: string; redirectUri: string }>();
  private readonly accessTokens = new Map<string, OidcUser>();

  private constructor(private readonly clientId: string, private readonly clientSecret: string) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
    });
  }

  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  public get discoveryUrl(): string {
    return `${this.url}/.well-known/openid-configuration`;
  }

  public async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: this.url,
        authorization_endpoint: `${this.url}/authorize`,
        token_endpoint: `${this.url}/token`,
        userinfo_endpoint: `${this.url}/userinfo`,
        jwks_uri: `${this.url}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'email', 'profile'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        claims_supported: ['sub', 'email', 'email_verified', 'name', 'roles', 'groups'],
      });
    }
    if (url.pathname === '/jwks') {
      return json(200, { keys: [{ ...this.keys.publicKey.export({ format: 'jwk' }), kid: 'contract', alg: 'RS256', use: 'sig' }] });
    }
    if (url.pathname === '/authorize') {
      const query = Object.fromEntries(url.searchParams);
      this.authorizations.push(query);
      if (query.client_id !== this.clientId || !this.user) return json(400, { error: 'invalid_request' });
      const code = crypto.randomBytes(16).toString('hex');
      this.codes.set(code, { user: this.user, nonce: query.nonce, redirectUri: query.redirect_uri });
      const target = new URL(query.redirect_uri);
      target.searchParams.set('code', code);
      if (query.state) target.searchParams.set('state', query.state);
      res.writeHead(302, { location: target.toString() });
      return void res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
      this.tokenRequests.push(form);
      const basic = (req.headers.authorization ?? '').replace(/^Basic /, '');
      const [id, secret] = basic ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent) : [form.client_id, form.client_secret];
      if (id !== this.clientId || secret !== this.clientSecret) return json(401, { error: 'invalid_client' });
      const grant = this.codes.get(form.code);
      if (!grant || grant.redirectUri !== form.redirect_uri) return json(400, { error: 'invalid_grant' });
      this.codes.delete(form.code);
      const accessToken = crypto.randomBytes(16).toString('hex');
      this.accessTokens.set(accessToken, grant.user);
      const now = Math.floor(Date.now() / 1000);
      const idToken = this.sign({
        iss: this.url,
        aud: this.clientId,
        iat: now,
        exp: now + 600,
        nonce: grant.nonce,
        sub: grant.user.sub,
        email: grant.user.email,
        email_verified: true,
        name: grant.user.name,
        roles: grant.user.roles,
        ...(grant.user.groups !== undefined ? { groups: grant.user.groups } : {}),
      });
      return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 600, id_token: idToken, scope: 'openid email profile' });
    }
    if (url.pathname === '/userinfo') {
      const user = this.accessTokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (!user) return json(401, { error: 'invalid_token' });
      return json(200, {
        sub: user.sub,
        email: user.email,
        email_verified: true,
        name: user.name,
        roles: user.roles,
        ...(user.groups !== undefined ? { groups: user.groups } : {}),
      });
    }
    return json(404, { error: 'not_found' });
  }

  private sign(claims: Record<string, unknown>): string {
    const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'contract' })}.${encode(claims)}`;
    return `${input}.${crypto.sign('RSA-SHA256', Buffer.from(input), this.keys.privateKey).toString('base64url')}`;
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

/** A browser's cookies, for one sign-in. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  public store(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...value] = pair.split('=');
      this.cookies.set(name.trim(), value.join('='));
    }
  }
  public get(name: string): string | undefined {
    return this.cookies.get(name);
  }
  public header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** What a sign-in through the provider ended with. */
export interface ProviderSignIn {
  readonly jar: CookieJar;
  /** Where Open WebUI's callback sent the browser. */
  readonly finalLocation: string;
  /** The query of the authorization request Open WebUI sent the browser to. */
  readonly authorizeQuery: Record<string, string>;
}

/**
 * Follows the sign-in as a browser would: Open WebUI -> the provider (which signs `user` in) ->
 * Open WebUI's callback. The session token is the jar's `token` cookie.
 */
export async function signInThroughProvider(idp: FakeOidcProvider, webuiUrl: string, user: OidcUser): Promise<ProviderSignIn> {
  idp.user = user;
  const jar = new CookieJar();
  const step = async (url: string, expected: number[]) => {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() }, signal: AbortSignal.timeout(60_000) });
    jar.store(res);
    if (!expected.includes(res.status)) throw new Error(`${url} answered HTTP ${res.status}, not ${expected.join(' or ')}: ${await res.text()}`);
    return res.headers.get('location')!;
  };
  const authorize = await step(`${webuiUrl}/oauth/oidc/login`, [302]);
  const callback = await step(authorize, [302]);
  const finalLocation = await step(callback, [302, 307]);
  return { jar, finalLocation, authorizeQuery: idp.authorizations[idp.authorizations.length - 1] };
}
