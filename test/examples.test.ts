import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { containers, envOf } from './util';
import { FRONT_DOORS } from '../example/front-doors';

/** Each front-door example app, synthesized, with what it is for asserted. */
function synth(name: string): { template: Template; annotations: Annotations } {
  const stack = FRONT_DOORS[name](new App());
  return { template: Template.fromStack(stack), annotations: Annotations.fromStack(stack) };
}

test('the examples are the four front doors', () => {
  expect(Object.keys(FRONT_DOORS)).toEqual(['GoogleSignIn', 'CognitoUserPool', 'Intranet', 'CloudFrontWithWaf']);
});

test('Google sign-in: HTTPS at the domain, NAT egress for the token exchange, Google accounts of example.com only, no password form', () => {
  const { template } = synth('GoogleSignIn');
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTPS', Port: 443 });
  template.resourceCountIs('AWS::EC2::NatGateway', 1);
  expect(envOf(containers(template)['open-webui'])).toMatchObject({
    OPENID_PROVIDER_URL: 'https://accounts.google.com/.well-known/openid-configuration',
    OPENID_REDIRECT_URI: 'https://chat.example.com/oauth/oidc/login/callback',
    OAUTH_ALLOWED_DOMAINS: 'example.com',
    ENABLE_LOGIN_FORM: 'false',
  });
});

test('Cognito: a retained pool with its domain, a client registered for the app, and groups that decide roles', () => {
  const { template } = synth('CognitoUserPool');
  template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } }) });
  template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  template.hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: ['https://chat.example.com/oauth/oidc/login/callback'] });
  expect(envOf(containers(template)['open-webui'])).toMatchObject({ OAUTH_ROLES_CLAIM: 'cognito:groups', OAUTH_ADMIN_ROLES: 'admins', ENABLE_LOGIN_FORM: 'true' });
});

test('Intranet: an internal load balancer in private subnets, only the corporate range admitted, no NAT, no open-to-internet warning', () => {
  const { template, annotations } = synth('Intranet');
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
  template.resourceCountIs('AWS::EC2::NatGateway', 0);
  const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroup'))
    .flatMap((g) => g.Properties.SecurityGroupIngress ?? [])
    .filter((rule: any) => typeof rule.CidrIp === 'string');
  expect(new Set(ingress.map((rule: any) => rule.CidrIp))).toEqual(new Set(['10.0.0.0/8']));
  annotations.hasNoWarning('*', Match.stringLikeRegexp('reachable from any address'));
});

test('CloudFront with WAF: the load balancer has no public address, CloudFront carries the certificate and a CLOUDFRONT web ACL', () => {
  const { template } = synth('CloudFrontWithWaf');
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
  template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
  template.hasResourceProperties('AWS::CloudFront::Distribution', {
    DistributionConfig: Match.objectLike({ Aliases: ['chat.example.com'], WebACLId: Match.anyValue(), ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021' }) }),
  });
  template.resourceCountIs('AWS::CloudFront::VpcOrigin', 1);
  expect(envOf(containers(template)['open-webui']).WEBUI_URL).toBe('https://chat.example.com');
});
