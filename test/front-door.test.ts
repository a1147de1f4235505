import { Stack, StackProps } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { BedrockImageChat, BedrockImageChatProps, FrontDoor, WebFirewall } from '../src';
import { containers, envOf, newStack } from './util';

const ENV = { env: { account: '111111111111', region: 'us-west-2' } };

function synth(props: (stack: Stack) => BedrockImageChatProps): { stack: Stack; chat: BedrockImageChat; template: Template } {
  const stack = newStack(ENV);
  const chat = new BedrockImageChat(stack, 'Chat', props(stack));
  return { stack, chat, template: Template.fromStack(stack) };
}

const cert = (stack: Stack) => acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-west-2:111111111111:certificate/abc');
const zone = (stack: Stack) => route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' });

describe('your domain with a hosted zone', () => {
  const { chat, template } = synth((s) => ({ frontDoor: FrontDoor.loadBalancer({ domainName: 'chat.example.com', hostedZone: zone(s), allowedCidrs: ['203.0.113.0/24'] }) }));

  test('a DNS-validated certificate for the name, served with a TLS 1.3 policy', () => {
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'chat.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'chat.example.com', HostedZoneId: 'Z0123456789ABC' }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
      Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('^ChatCertificate') } }],
    });
  });

  test('an alias record points the name at the load balancer', () => {
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'chat.example.com.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABC',
      AliasTarget: { DNSName: Match.objectLike({ 'Fn::Join': Match.anyValue() }) },
    });
  });

  test('the URL is https://<domainName>: the property, the output, and Open WebUI\'s WEBUI_URL and CORS origin', () => {
    expect(chat.url).toBe('https://chat.example.com');
    const outputs = template.findOutputs('*');
    expect(Object.entries(outputs).find(([k]) => k.startsWith('ChatUrl'))![1].Value).toBe('https://chat.example.com');
    const env = envOf(containers(template)['open-webui']);
    expect(env.WEBUI_URL).toBe('https://chat.example.com');
    expect(env.CORS_ALLOW_ORIGIN).toBe('https://chat.example.com');
    expect(env.WEBUI_SESSION_COOKIE_SECURE).toBe('true');
  });

  test('HTTP redirects to HTTPS', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
  });

  test('the HTTPS listener adds HSTS, nosniff, SAMEORIGIN framing and the content security policy, and drops the Server header', () => {
    const https = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::Listener')).find((l: any) => l.Properties.Protocol === 'HTTPS') as any;
    const attributes = Object.fromEntries(https.Properties.ListenerAttributes.map((a: any) => [a.Key, a.Value]));
    expect(attributes).toEqual({
      'routing.http.response.strict_transport_security.header_value': 'max-age=31536000; includeSubDomains',
      'routing.http.response.x_content_type_options.header_value': 'nosniff',
      'routing.http.response.x_frame_options.header_value': 'SAMEORIGIN',
      'routing.http.response.content_security_policy.header_value': expect.stringContaining("default-src 'self'"),
      'routing.http.response.server.enabled': 'false',
    });
    expect(attributes['routing.http.response.content_security_policy.header_value']).toContain("frame-ancestors 'self'");
    expect(attributes['routing.http.response.content_security_policy.header_value']).toContain("object-src 'none'");
  });
});

test('your domain with your own certificate: HTTPS at the name, no DNS record or certificate created', () => {
  const { chat, template } = synth((s) => ({
    frontDoor: FrontDoor.loadBalancer({ domainName: 'chat.example.org', certificate: acm.Certificate.fromCertificateArn(s, 'Cert', 'arn:aws:acm:us-west-2:111111111111:certificate/abc') }),
  }));
  expect(chat.url).toBe('https://chat.example.org');
  template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
  template.resourceCountIs('AWS::Route53::RecordSet', 0);
});

test('a content security policy of your own', () => {
  const { template } = synth((s) => ({ frontDoor: FrontDoor.loadBalancer({ domainName: 'chat.example.com', hostedZone: zone(s), contentSecurityPolicy: "default-src 'self'" }) }));
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
    Protocol: 'HTTPS',
    ListenerAttributes: Match.arrayWith([{ Key: 'routing.http.response.content_security_policy.header_value', Value: "default-src 'self'" }]),
  });
});

test('without a certificate, the HTTP listener still adds the headers, but not HSTS', () => {
  const { template } = synth(() => ({}));
  const http = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::Listener'))[0] as any;
  const keys = http.Properties.ListenerAttributes.map((a: any) => a.Key);
  expect(keys).toContain('routing.http.response.content_security_policy.header_value');
  expect(keys).not.toContain('routing.http.response.strict_transport_security.header_value');
});

describe('AWS WAF', () => {
  test('waf: the managed common rule set with its body-size rule counting, known bad inputs, IP reputation and a per-IP rate limit, on the load balancer', () => {
    const { template } = synth(() => ({ frontDoor: FrontDoor.plainHttp({ webFirewall: WebFirewall.managedRules({ rateLimit: 500 }) }) }));
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Name: 'AWSManagedRulesCommonRuleSet',
          OverrideAction: { None: {} },
          Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet', RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }] } },
        }),
        Match.objectLike({ Name: 'AWSManagedRulesKnownBadInputsRuleSet' }),
        Match.objectLike({ Name: 'AWSManagedRulesAmazonIpReputationList' }),
        Match.objectLike({ Name: 'RateLimitPerIp', Action: { Block: {} }, Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 500, EvaluationWindowSec: 300 } } }),
      ],
    });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: Match.stringLikeRegexp('^ChatLoadBalancer') },
      WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ChatWebAcl'), 'Arn'] },
    });
  });

  test('webAclArn attaches yours and creates none', () => {
    const arn = 'arn:aws:wafv2:us-west-2:111111111111:regional/webacl/shared/0a1b2c3d-0000-4000-8000-000000000000';
    const { template } = synth(() => ({ frontDoor: FrontDoor.plainHttp({ webFirewall: WebFirewall.fromWebAclArn(arn) }) }));
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: arn });
  });

  test('no web ACL by default', () => {
    synth(() => ({})).template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });
});

describe('front door errors', () => {
  test.each<[string, (s: Stack) => BedrockImageChatProps, RegExp]>([
    ['a zone without a name', (s) => ({ frontDoor: FrontDoor.loadBalancer({ hostedZone: zone(s), certificate: cert(s) }) }),
      /^FrontDoor.loadBalancer: hostedZone is set \(example.com\), but domainName is not; give the name users open, for example domainName: 'chat.example.com'/],
    ['a name with neither zone nor certificate', () => ({ frontDoor: FrontDoor.loadBalancer({ domainName: 'chat.example.com' }) }), /^FrontDoor.loadBalancer: domainName is 'chat.example.com', but there is neither a hostedZone .* nor a certificate/],
    ['a name outside the zone', (s) => ({ frontDoor: FrontDoor.loadBalancer({ domainName: 'chat.example.org', hostedZone: zone(s) }) }), /^FrontDoor.loadBalancer: domainName is 'chat.example.org', which is not in the hosted zone example.com/],
    ['a name that is a URL', (s) => ({ frontDoor: FrontDoor.loadBalancer({ domainName: 'https://chat.example.com', hostedZone: zone(s) }) }), /^FrontDoor.loadBalancer: domainName is 'https:\/\/chat.example.com', which is not a lowercase DNS name/],
    ['a load balancer without a certificate', () => ({ frontDoor: FrontDoor.loadBalancer({ allowedCidrs: ['203.0.113.0/24'] }) }),
      /^frontDoor is FrontDoor.loadBalancer\(\) without certificate or domainName, so the load balancer could not serve HTTPS; .* FrontDoor.cloudFront\(\) .* FrontDoor.plainHttp\(\) if plain HTTP is what you want/],
    ['a web ACL ARN of another kind', () => ({ frontDoor: FrontDoor.plainHttp({ webFirewall: WebFirewall.fromWebAclArn('arn:aws:wafv2:us-east-1:111111111111:global/webacl/a/b') }) }),
      /^FrontDoor.plainHttp: webFirewall is WebFirewall.fromWebAclArn\('.*global\/webacl\/a\/b'\), which is not the ARN of a regional AWS WAF web ACL/],
    ['a rate limit out of range', () => ({ frontDoor: FrontDoor.plainHttp({ webFirewall: WebFirewall.managedRules({ rateLimit: 5 }) }) }),
      /^FrontDoor.plainHttp: webFirewall is WebFirewall.managedRules\(\{ rateLimit: 5 \}\); AWS WAF accepts a whole number of requests per IP in 5 minutes from 10/],
    ['a front door that is a plain object', () => ({ frontDoor: { kind: 'cloudFront' } as any }), /^frontDoor is \{"kind":"cloudFront"\}, which is not a FrontDoor; use FrontDoor.cloudFront\(\)/],
    ['a load balancer without options from JavaScript', () => ({ frontDoor: (FrontDoor as any).loadBalancer() }), /^frontDoor is FrontDoor.loadBalancer\(\) without certificate or domainName/],
    ['a web firewall that is a plain object', () => ({ frontDoor: FrontDoor.cloudFront({ webFirewall: { rateLimit: 100 } as any }) }),
      /^FrontDoor.cloudFront: webFirewall is \{"rateLimit":100\}, which is not a WebFirewall; use WebFirewall.managedRules\(\)/],
  ])('%s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});

describe('an internal load balancer (intranet only)', () => {
  const stack = newStack(ENV);
  const chat = new BedrockImageChat(stack, 'Chat', { frontDoor: FrontDoor.plainHttp({ internetFacing: false }) });
  const template = Template.fromStack(stack);

  test('is internal, in the private subnets', () => {
    const lb = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0] as any;
    expect(lb.Properties.Scheme).toBe('internal');
    const privateSubnets = chat.privateVpc!.vpc.selectSubnets(chat.privateVpc!.privateSubnets).subnetIds.map((id) => stack.resolve(id));
    expect(lb.Properties.Subnets).toEqual(privateSubnets);
  });

  test('admits the VPC\'s range by default, with no open-to-internet warning', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIp: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ChatNetworkVpc'), 'CidrBlock'] }, FromPort: 80 })]),
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('reachable from any address'))).toHaveLength(0);
  });

  test('with your VPC, isolated subnets may hold it', () => {
    const own = newStack(ENV);
    const vpc = new ec2.Vpc(own, 'Mine', {
      natGateways: 0,
      subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }, { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    expect(() => new BedrockImageChat(own, 'Chat', { vpc, frontDoor: FrontDoor.plainHttp({ internetFacing: false, allowedCidrs: ['10.20.0.0/16'] }) })).not.toThrow();
  });
});

describe('CloudFront in front, reaching an internal load balancer through a VPC origin', () => {
  const EAST = { env: { account: '111111111111', region: 'us-east-1' } };
  const synthIn = (env: StackProps, props: (s: Stack) => BedrockImageChatProps) => {
    const stack = newStack(env);
    const chat = new BedrockImageChat(stack, 'Chat', props(stack));
    return { stack, chat, template: Template.fromStack(stack) };
  };
  const { stack, chat, template } = synthIn(ENV, () => ({ frontDoor: FrontDoor.cloudFront() }));

  test('the load balancer is internal, in private subnets, reached only from inside the VPC on port 80', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    template.resourcePropertiesCountIs('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' }, 1);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    const groups = template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('LoadBalancer') } });
    const ingress = Object.values(groups).flatMap((g) => g.Properties.SecurityGroupIngress ?? []);
    expect(ingress).toEqual([expect.objectContaining({ CidrIp: { 'Fn::GetAtt': [expect.stringMatching(/^ChatNetworkVpc/), 'CidrBlock'] }, FromPort: 80, ToPort: 80 })]);
  });

  test('the distribution\'s origin is a VPC origin of that load balancer, over HTTP inside the VPC, with a 60-second read timeout', () => {
    const lb = Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0];
    template.hasResourceProperties('AWS::CloudFront::VpcOrigin', { VpcOriginEndpointConfig: Match.objectLike({ Arn: { Ref: lb }, OriginProtocolPolicy: 'http-only' }) });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [Match.objectLike({ VpcOriginConfig: Match.objectLike({ OriginReadTimeout: 60 }) })],
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
          // Managed policies: CachingDisabled, AllViewerExceptHostHeader.
          CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
          OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
        }),
        Logging: { Bucket: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ChatCdnAccessLogs'), 'RegionalDomainName'] }, Prefix: 'cloudfront/' },
      }),
    });
  });

  test('HTTPS without a certificate: the URL is the distribution\'s name, and Open WebUI knows it', () => {
    const url = stack.resolve(chat.url);
    expect(url).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^ChatDistribution/), 'DomainName'] }]] });
    expect(envOf(containers(template)['open-webui']).WEBUI_URL).toEqual(url);
    expect(chat.distribution).toBeDefined();
  });

  test('the security headers come from a response-headers policy, HSTS included', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'SAMEORIGIN', Override: true },
          ContentSecurityPolicy: { ContentSecurityPolicy: Match.stringLikeRegexp("^default-src 'self'"), Override: true },
        }),
      }),
    });
  });

  test('both access logs go to encrypted, TLS-only buckets that are kept', () => {
    const buckets = template.findResources('AWS::S3::Bucket');
    const logBuckets = Object.entries(buckets).filter(([k]) => /^Chat(Cdn)?AccessLogs/.test(k));
    expect(logBuckets).toHaveLength(2);
    for (const [id, bucket] of logBuckets) {
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    }
  });

  test('no certificate, alias record or web ACL of the load balancer', () => {
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('no certificate'));
  });

  test('in us-east-1: your domain gets a certificate and A and AAAA aliases to the distribution, and waf puts a CLOUDFRONT web ACL on it', () => {
    const east = synthIn(EAST, (s) => ({ frontDoor: FrontDoor.cloudFront({ domainName: 'chat.example.com', hostedZone: zone(s), webFirewall: WebFirewall.managedRules() }) }));
    const t = east.template;
    t.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'chat.example.com', ValidationMethod: 'DNS' });
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['chat.example.com'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' }),
        WebACLId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ChatWebAcl'), 'Arn'] },
      }),
    });
    t.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
    t.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    for (const type of ['A', 'AAAA']) {
      t.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'chat.example.com.',
        Type: type,
        AliasTarget: Match.objectLike({ DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ChatDistribution'), 'DomainName'] } }),
      });
    }
    expect(east.chat.url).toBe('https://chat.example.com');
  });

  test('elsewhere: your us-east-1 certificate and CLOUDFRONT web ACL by ARN', () => {
    const acl = 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/chat/0a1b2c3d-0000-4000-8000-000000000000';
    const { template: t } = synthIn(ENV, (s) => ({
      frontDoor: FrontDoor.cloudFront({ domainName: 'chat.example.com', hostedZone: zone(s), certificate: acm.Certificate.fromCertificateArn(s, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-0000-4000-8000-000000000000'), webFirewall: WebFirewall.fromWebAclArn(acl) }),
    }));
    t.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        WebACLId: acl,
        ViewerCertificate: Match.objectLike({ AcmCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-0000-4000-8000-000000000000' }),
      }),
    });
  });

  test.each<[string, StackProps, (s: Stack) => BedrockImageChatProps, RegExp]>([
    ['managed rules outside us-east-1', ENV, () => ({ frontDoor: FrontDoor.cloudFront({ webFirewall: WebFirewall.managedRules() }) }),
      /^FrontDoor.cloudFront: webFirewall is WebFirewall.managedRules\(\), but the stack is in us-west-2; a web ACL for CloudFront must be created in us-east-1/],
    ['managed rules in a stack without a region', {}, () => ({ frontDoor: FrontDoor.cloudFront({ webFirewall: WebFirewall.managedRules() }) }),
      /^FrontDoor.cloudFront: webFirewall is WebFirewall.managedRules\(\), but the stack is in no fixed region/],
    ['a regional web ACL', ENV, () => ({ frontDoor: FrontDoor.cloudFront({ webFirewall: WebFirewall.fromWebAclArn('arn:aws:wafv2:us-west-2:111111111111:regional/webacl/chat/0a1b') }) }),
      /^FrontDoor.cloudFront: webFirewall is WebFirewall.fromWebAclArn\('arn:aws:wafv2:us-west-2:.*'\); CloudFront takes a web ACL of scope CLOUDFRONT, in us-east-1/],
    ['a certificate of another region', ENV, (s) => ({
      frontDoor: FrontDoor.cloudFront({ domainName: 'chat.example.com', certificate: acm.Certificate.fromCertificateArn(s, 'C', 'arn:aws:acm:us-west-2:111111111111:certificate/abc') }),
    }), /^FrontDoor.cloudFront: certificate is 'arn:aws:acm:us-west-2:111111111111:certificate\/abc', an ACM certificate in us-west-2; CloudFront uses certificates from us-east-1 only/],
    ['a domain without a certificate outside us-east-1', ENV, (s) => ({ frontDoor: FrontDoor.cloudFront({ domainName: 'chat.example.com', hostedZone: zone(s) }) }),
      /^FrontDoor.cloudFront: domainName is 'chat.example.com', but there is no certificate and the stack is in us-west-2; CloudFront needs a certificate from us-east-1/],
    ['a certificate without a domain', EAST, (s) => ({
      frontDoor: FrontDoor.cloudFront({ certificate: acm.Certificate.fromCertificateArn(s, 'C', 'arn:aws:acm:us-east-1:111111111111:certificate/abc') }),
    }), /^FrontDoor.cloudFront: certificate is set, but domainName is not/],
  ])('refuses %s', (_name, env, props, message) => {
    expect(() => synthIn(env, props)).toThrow(message);
  });
});

describe('a factory keeps only its own options (JavaScript callers can pass any)', () => {
  test('allowed ranges passed to FrontDoor.cloudFront do not close the internal load balancer to the VPC origin', () => {
    const stack = newStack(ENV);
    const chat = new BedrockImageChat(stack, 'Chat', { frontDoor: FrontDoor.cloudFront({ allowedCidrs: ['203.0.113.0/24'] } as any) });
    const ingress = Template.fromStack(stack).findResources('AWS::EC2::SecurityGroup');
    const lbGroup = Object.values<any>(ingress).find((g) => String(g.Properties.GroupDescription).includes('LoadBalancer'));
    expect(JSON.stringify(lbGroup.Properties.SecurityGroupIngress)).not.toContain('203.0.113.0/24');
    expect(stack.resolve(lbGroup.Properties.SecurityGroupIngress[0].CidrIp)).toEqual(stack.resolve(chat.vpc.vpcCidrBlock));
  });

  test('a certificate passed to FrontDoor.plainHttp does not turn HTTPS on behind the name', () => {
    const stack = newStack(ENV);
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-west-2:111111111111:certificate/abc');
    new BedrockImageChat(stack, 'Chat', { frontDoor: FrontDoor.plainHttp({ certificate } as any) });
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTPS' }, 0);
  });
});

describe('the one-line default serves HTTPS only, in a stack with a region and in an environment-agnostic one', () => {
  test.each<[string, StackProps, string[]]>([
    // Each warning names something the user must act on: a model the region cannot reach, a
    // region for access logs.
    ['environment-agnostic', {}, ['cdk-bedrock-image-chat:modelRegion', 'cdk-bedrock-image-chat:noAccessLogs']],
    ['us-east-1', { env: { account: '111111111111', region: 'us-east-1' } }, ['cdk-bedrock-image-chat:noImageModel']],
    ['us-west-2', ENV, []],
  ])('%s', (_name, env, warnings) => {
    const stack = newStack(env);
    const chat = new BedrockImageChat(stack, 'Chat');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    t.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }) }),
    });
    expect(chat.url).toMatch(/^https:\/\//);
    expect(envOf(containers(t)['open-webui'])).toMatchObject({ WEBUI_SESSION_COOKIE_SECURE: 'true', WEBUI_AUTH_COOKIE_SECURE: 'true' });
    const ids = Annotations.fromStack(stack).findWarning('*', Match.anyValue())
      .map((w) => /\[ack: ([^\]]+)\]/.exec(String(w.entry.data))?.[1]).sort();
    expect(ids).toEqual(warnings);
  });
});
