import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { BedrockImageChat, BedrockImageChatProps, InternetEgress, SignIn } from '../src';
import { containers, envOf, newStack, secretsOf } from './util';

const ENV = { env: { account: '111111111111', region: 'us-west-2' } };
const zone = (s: Stack) => route53.HostedZone.fromHostedZoneAttributes(s, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' });
const secret = (s: Stack) => secretsmanager.Secret.fromSecretNameV2(s, 'ClientSecret', 'chat/oidc-client-secret');

/** What sign-in needs: HTTPS at your domain, and internet egress to reach the provider. */
const reachable = (s: Stack): BedrockImageChatProps => ({ domainName: 'chat.example.com', hostedZone: zone(s), egress: InternetEgress.NAT_GATEWAY });

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
});

describe('sign-in errors', () => {
  test.each<[string, (s: Stack) => BedrockImageChatProps, RegExp]>([
    ['no internet egress', (s) => ({ domainName: 'chat.example.com', hostedZone: zone(s), signIn: SignIn.google({ clientId: 'x', clientSecret: secret(s) }) }),
      /^signIn is set, but egress is InternetEgress.NONE: Open WebUI reads the identity provider's discovery document .* Set egress to InternetEgress.NAT_GATEWAY/],
    ['no HTTPS', (s) => ({ egress: InternetEgress.NAT_GATEWAY, signIn: SignIn.google({ clientId: 'x', clientSecret: secret(s) }) }),
      /^signIn is set, but publicUrl is 'http:\/\/.*': the identity provider redirects back to an https:\/\/ address/],
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
