import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { BedrockImageChat, BedrockImageChatProps, FrontDoor, InternetEgress, SignIn } from '../src';
import { containers, envOf, newStack, secretsOf } from './util';

const ENV = { env: { account: '111111111111', region: 'us-west-2' } };
const zone = (s: Stack) => route53.HostedZone.fromHostedZoneAttributes(s, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' });
const secret = (s: Stack) => secretsmanager.Secret.fromSecretNameV2(s, 'ClientSecret', 'chat/oidc-client-secret');

/** What sign-in needs: HTTPS at your domain, and internet egress to reach the provider. */
const reachable = (s: Stack): BedrockImageChatProps => ({ network: { egress: InternetEgress.NAT_GATEWAY }, frontDoor: FrontDoor.loadBalancer({ domainName: 'chat.example.com', hostedZone: zone(s) }) });

function synth(props: (s: Stack) => BedrockImageChatProps): Template {
  const stack = newStack(ENV);
  new BedrockImageChat(stack, 'Chat', props(stack));
  return Template.fromStack(stack);
}

describe('Google sign-in, your domain, NAT egress (the Ajuda Digital setup)', () => {
  const template = synth((s) => ({
    ...reachable(s),
    signIn: SignIn.google({ clientId: '1234.apps.googleusercontent.com', clientSecret: secret(s), allowedEmailDomains: ['example.com'] }),
  }));
  const webui = () => containers(template)['open-webui'];

  test('Open WebUI gets the provider, the client id, an https redirect URI and the allowed domain', () => {
    expect(envOf(webui())).toMatchObject({
      OPENID_PROVIDER_URL: 'https://accounts.google.com/.well-known/openid-configuration',
      OAUTH_CLIENT_ID: '1234.apps.googleusercontent.com',
      OAUTH_PROVIDER_NAME: 'Google',
      OAUTH_SCOPES: 'openid email profile',
      OPENID_REDIRECT_URI: 'https://chat.example.com/oauth/oidc/login/callback',
      OAUTH_ALLOWED_DOMAINS: 'example.com',
      ENABLE_OAUTH_SIGNUP: 'true',
      OAUTH_MERGE_ACCOUNTS_BY_EMAIL: 'true',
      ENABLE_LOGIN_FORM: 'true',
      DEFAULT_USER_ROLE: 'pending',
      WEBUI_URL: 'https://chat.example.com',
    });
    expect(envOf(webui())).not.toHaveProperty('ENABLE_OAUTH_ROLE_MANAGEMENT');
  });

  test('the client secret is an ECS secret, never a plain variable', () => {
    expect(envOf(webui())).not.toHaveProperty('OAUTH_CLIENT_SECRET');
    expect(JSON.stringify(secretsOf(webui()).OAUTH_CLIENT_SECRET)).toContain('secret:chat/oidc-client-secret');
  });

  test('the redirect URI to register is an output', () => {
    const outputs = template.findOutputs('*');
    expect(Object.entries(outputs).find(([k]) => k.startsWith('ChatOAuthRedirectUri'))![1].Value).toBe('https://chat.example.com/oauth/oidc/login/callback');
  });
});

test('Microsoft Entra ID with app roles that make admins, and no password form', () => {
  const template = synth((s) => ({
    ...reachable(s),
    signIn: SignIn.microsoftEntraId({
      tenantId: '0a1b2c3d-0000-4000-8000-000000000000',
      clientId: 'app-id',
      clientSecret: secret(s),
      roleClaim: 'roles',
      adminRoles: ['ChatAdmin'],
      passwordSignIn: false,
      createAccounts: false,
    }),
  }));
  expect(envOf(containers(template)['open-webui'])).toMatchObject({
    OPENID_PROVIDER_URL: 'https://login.microsoftonline.com/0a1b2c3d-0000-4000-8000-000000000000/v2.0/.well-known/openid-configuration',
    OAUTH_PROVIDER_NAME: 'Microsoft',
    ENABLE_OAUTH_ROLE_MANAGEMENT: 'true',
    OAUTH_ROLES_CLAIM: 'roles',
    OAUTH_ADMIN_ROLES: 'ChatAdmin',
    OAUTH_ALLOWED_ROLES: '*',
    ENABLE_LOGIN_FORM: 'false',
    ENABLE_OAUTH_SIGNUP: 'false',
  });
  // Without groupClaim, groups are kept in the admin panel.
  expect(envOf(containers(template)['open-webui'])).not.toHaveProperty('ENABLE_OAUTH_GROUP_MANAGEMENT');
});

test("groupClaim: each user's Open WebUI groups follow the provider's claim, and no group is created from it", () => {
  const template = synth((s) => ({
    ...reachable(s),
    signIn: SignIn.oidc({ discoveryUrl: 'https://idp.example.com/.well-known/openid-configuration', clientId: 'x', clientSecret: secret(s), groupClaim: 'groups' }),
  }));
  expect(envOf(containers(template)['open-webui'])).toMatchObject({
    ENABLE_OAUTH_GROUP_MANAGEMENT: 'true',
    OAUTH_GROUPS_CLAIM: 'groups',
    ENABLE_OAUTH_GROUP_CREATION: 'false',
  });
});

describe('sign-in errors', () => {
  test.each<[string, (s: Stack) => BedrockImageChatProps, RegExp]>([
    ['no internet egress', (s) => ({ signIn: SignIn.google({ clientId: 'x', clientSecret: secret(s) }), frontDoor: FrontDoor.loadBalancer({ domainName: 'chat.example.com', hostedZone: zone(s) }) }),
      /^signIn is set, but network.egress is InternetEgress.NONE: Open WebUI reads the identity provider's discovery document .* Set network.egress to InternetEgress.NAT_GATEWAY/],
    ['no HTTPS (FrontDoor.plainHttp)', (s) => ({ signIn: SignIn.google({ clientId: 'x', clientSecret: secret(s) }), network: { egress: InternetEgress.NAT_GATEWAY }, frontDoor: FrontDoor.plainHttp() }),
      /^signIn is set, but frontDoor is FrontDoor.plainHttp\(\): the identity provider redirects back to an https:\/\/ address only. Use FrontDoor.cloudFront\(\)/],
    ['a discovery URL that is not one', (s) => ({ signIn: SignIn.oidc({ discoveryUrl: 'http://idp.example.com', clientId: 'x', clientSecret: secret(s) }) }),
      /^discoveryUrl is 'http:\/\/idp.example.com'; use the https URL of the provider's OpenID Connect discovery document/],
    ['scopes without email', (s) => ({ signIn: SignIn.oidc({ discoveryUrl: 'https://idp.example.com/.well-known/openid-configuration', clientId: 'x', clientSecret: secret(s), scopes: ['openid'] }) }),
      /^scopes is \[openid\]; it must include 'openid' and 'email'/],
    ['an email address as a domain', (s) => ({ signIn: SignIn.google({ clientId: 'x', clientSecret: secret(s), allowedEmailDomains: ['@example.com'] }) }),
      /^allowedEmailDomains contains '@example.com', which is not a domain/],
    ['admin roles without a claim', (s) => ({ signIn: SignIn.google({ clientId: 'x', clientSecret: secret(s), adminRoles: ['admins'] }) }),
      /^adminRoles is set, but roleClaim is not/],
    ['a tenant that is not an id', (s) => ({ signIn: SignIn.microsoftEntraId({ tenantId: 'contoso.com', clientId: 'x', clientSecret: secret(s) }) }),
      /^tenantId is 'contoso.com', which is not a directory \(tenant\) id/],
    ['an empty group claim', (s) => ({ signIn: SignIn.google({ clientId: 'x', clientSecret: secret(s), groupClaim: ' ' }) }),
      /^groupClaim is " "; name the ID token claim, for example groupClaim: 'groups'/],
  ])('%s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});

test('an Amazon Cognito user pool, with its groups making admins', () => {
  const template = synth((s) => ({
    ...reachable(s),
    signIn: SignIn.cognito({
      userPool: cognito.UserPool.fromUserPoolArn(s, 'Pool', 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_AbCdEf123'),
      clientId: 'client-123',
      clientSecret: secret(s),
      roleClaim: 'cognito:groups',
      adminRoles: ['chat-admins'],
    }),
  }));
  const env = envOf(containers(template)['open-webui']);
  // https://cognito-idp.<pool region>.<partition's URL suffix>/<pool id>/.well-known/openid-configuration
  expect(env.OPENID_PROVIDER_URL).toEqual({
    'Fn::Join': ['', ['https://cognito-idp.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/eu-west-1_AbCdEf123/.well-known/openid-configuration']],
  });
  expect(env).toMatchObject({
    OAUTH_PROVIDER_NAME: 'Cognito',
    OAUTH_ROLES_CLAIM: 'cognito:groups',
    OAUTH_ADMIN_ROLES: 'chat-admins',
  });
});

describe('a Cognito user pool created with the app', () => {
  const template = synth((s) => ({ ...reachable(s), signIn: SignIn.newCognitoUserPool({ allowedEmailDomains: ['example.com'] }) }));
  const env = () => envOf(containers(template)['open-webui']);

  test('administrators create the users: no self sign-up, email names them, TOTP required, strong passwords, kept on delete', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        DeletionProtection: 'ACTIVE',
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
      }),
    });
  });

  test('the app client has the code grant only, with the https redirect URI of the app, and a secret', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: ['https://chat.example.com/oauth/oidc/login/callback'],
      LogoutURLs: ['https://chat.example.com'],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  test('a sign-in domain unique per account, and the admins and users groups', () => {
    const domains = template.findResources('AWS::Cognito::UserPoolDomain');
    expect(Object.keys(domains)).toHaveLength(1);
    const prefix = JSON.stringify(Object.values(domains)[0].Properties.Domain);
    expect(prefix).toMatch(/^\{"Fn::Join":\["",\["chat-",\{"Ref":"AWS::AccountId"\},"-[0-9a-f]{8}"\]\]\}$/);
    expect(Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName).sort()).toEqual(['admins', 'users']);
  });

  test('Open WebUI reads the pool as its provider; groups decide the role; the client secret comes from Secrets Manager', () => {
    const poolId = Object.keys(template.findResources('AWS::Cognito::UserPool'))[0];
    const clientId = Object.keys(template.findResources('AWS::Cognito::UserPoolClient'))[0];
    expect(env().OPENID_PROVIDER_URL).toEqual({
      'Fn::Join': ['', ['https://cognito-idp.us-west-2.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: poolId }, '/.well-known/openid-configuration']],
    });
    expect(env()).toMatchObject({
      OAUTH_CLIENT_ID: { Ref: clientId },
      OAUTH_PROVIDER_NAME: 'Cognito',
      ENABLE_OAUTH_ROLE_MANAGEMENT: 'true',
      OAUTH_ROLES_CLAIM: 'cognito:groups',
      OAUTH_ADMIN_ROLES: 'admins',
      OAUTH_ALLOWED_DOMAINS: 'example.com',
      // The pool's groups are the users' Open WebUI groups too (model access by group).
      ENABLE_OAUTH_GROUP_MANAGEMENT: 'true',
      OAUTH_GROUPS_CLAIM: 'cognito:groups',
      ENABLE_OAUTH_GROUP_CREATION: 'false',
    });
    const secretId = Object.entries(template.findResources('AWS::SecretsManager::Secret'))
      .find(([, r]) => JSON.stringify(r.Properties.SecretString ?? '').includes('UserPoolClient.ClientSecret'))![0];
    expect(JSON.stringify(secretsOf(containers(template)['open-webui']).OAUTH_CLIENT_SECRET)).toContain(secretId);
  });

  test('the construct exposes the pool for users and groups', () => {
    const stack = newStack(ENV);
    const chat = new BedrockImageChat(stack, 'Chat', { ...reachable(stack), signIn: SignIn.newCognitoUserPool() });
    expect(chat.userPool).toBe(chat.openWebUI.userPool);
    expect(chat.userPool).toBeInstanceOf(cognito.UserPool);
    const other = new BedrockImageChat(newStack(ENV), 'Chat');
    expect(other.userPool).toBeUndefined();
  });

  test('optional MFA, your domain prefix, and a pool that goes with the stack when asked', () => {
    const t = synth((s) => ({
      ...reachable(s),
      signIn: SignIn.newCognitoUserPool({ domainPrefix: 'chat-example-corp', mfa: cognito.Mfa.OPTIONAL, removalPolicy: RemovalPolicy.DESTROY }),
    }));
    t.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'chat-example-corp' });
    t.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ MfaConfiguration: 'OPTIONAL', DeletionProtection: 'INACTIVE' }) });
  });

  test.each([
    ['Chat', /^domainPrefix is 'Chat'; a Cognito domain prefix has 1-63 lowercase letters/],
    ['my-aws-chat', /^domainPrefix is 'my-aws-chat'; .* must not contain 'aws', 'amazon' or 'cognito'/],
    ['-chat', /^domainPrefix is '-chat'/],
  ])('domainPrefix %s is refused', (domainPrefix, message) => {
    expect(() => SignIn.newCognitoUserPool({ domainPrefix })).toThrow(message);
  });

  test('still needs HTTPS and a route to the internet (the token exchange goes to the Cognito domain)', () => {
    expect(() => synth((s) => ({ signIn: SignIn.newCognitoUserPool(), frontDoor: FrontDoor.loadBalancer({ domainName: 'chat.example.com', hostedZone: zone(s) }) })))
      .toThrow(/^signIn is set, but network.egress is InternetEgress.NONE/);
  });
});
