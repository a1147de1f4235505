import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeRules, cfnOf, skipCheckov } from './acknowledgements';

/** CloudFront reads its certificates and web ACLs in this region only. */
export const CLOUDFRONT_REGION = 'us-east-1';

/** What the distribution in front of the load balancer is built from. */
export interface CdnOptions {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly domainName?: string;
  readonly hostedZone?: route53.IHostedZone;
  /** The viewer certificate, in us-east-1. */
  readonly certificate?: acm.ICertificate;
  /** A web ACL of scope CLOUDFRONT (in us-east-1), by ARN. */
  readonly webAclArn?: string;
  readonly contentSecurityPolicy: string;
}

/**
 * An Amazon CloudFront distribution that reaches the internal load balancer through a CloudFront
 * VPC origin, so the load balancer has no public address: HTTPS for viewers (on your domain, or on
 * the distribution's own `*.cloudfront.net` name), nothing cached (every response is a user's
 * own), all headers, cookies and query strings forwarded (sessions, Socket.IO), the security
 * headers set by a response-headers policy, and access logs in an encrypted, TLS-only bucket.
 */
export function createDistribution(scope: Construct, options: CdnOptions): { distribution: cloudfront.Distribution; url: string } {
  const { domainName, hostedZone } = options;
  const certificate = options.certificate ?? (domainName !== undefined && hostedZone !== undefined
    ? new acm.Certificate(scope, 'Certificate', { domainName, validation: acm.CertificateValidation.fromDns(hostedZone) })
    : undefined);

  const responseHeaders = new cloudfront.ResponseHeadersPolicy(scope, 'SecurityHeaders', {
    comment: 'Security headers of the chat app',
    securityHeadersBehavior: {
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.SAMEORIGIN, override: true },
      contentSecurityPolicy: { contentSecurityPolicy: options.contentSecurityPolicy, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
    },
    removeHeaders: ['Server'],
  });

  const logs = new s3.Bucket(scope, 'CdnAccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    // CloudFront's standard logs are written with an ACL that gives the bucket owner the objects.
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    versioned: true,
    lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const why = "This bucket receives the distribution's access logs; logging its own access into itself would log each log delivery.";
  skipCheckov(logs, { CKV_AWS_18: why });
  acknowledgeRules(cfnOf(logs), { 'AwsSolutions-S1': why });

  const distribution = new cloudfront.Distribution(scope, 'Distribution', {
    comment: 'Chat app (Open WebUI)',
    defaultBehavior: {
      origin: origins.VpcOrigin.withApplicationLoadBalancer(options.loadBalancer, {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY,
        // Image generation can take longer than the 30-second default; 60 seconds is the most
        // CloudFront allows without a quota increase.
        readTimeout: Duration.seconds(60),
      }),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: responseHeaders,
      compress: false,
    },
    domainNames: domainName !== undefined ? [domainName] : undefined,
    certificate,
    // Only with a certificate of your own: CloudFront's default certificate has a fixed policy, and
    // newer aws-cdk-lib releases warn when one is set without a certificate.
    minimumProtocolVersion: certificate !== undefined ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
    httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    webAclId: options.webAclArn,
    enableLogging: true,
    logBucket: logs,
    logFilePrefix: 'cloudfront/',
  });
  acknowledgeRules(cfnOf(distribution), {
    'AwsSolutions-CFR1': 'The app is for the people your sign-in admits, wherever they are; restrict countries with a web ACL (WebFirewall.fromWebAclArn) if you need to.',
    'AwsSolutions-CFR5': "CloudFront reaches the internal load balancer through a VPC origin, over AWS's network inside the VPC; the load balancer has no public address.",
    ...(certificate === undefined ? {
      'AwsSolutions-CFR4': "Without domainName, viewers use the distribution's *.cloudfront.net name and CloudFront's certificate, whose security policy CloudFront sets (TLSv1 minimum); give domainName and a certificate for TLS 1.2 at least.",
    } : {}),
    ...(options.webAclArn === undefined ? {
      'AwsSolutions-CFR2': 'No web ACL was asked for (webFirewall); a CloudFront web ACL lives in us-east-1: WebFirewall.managedRules() (stack in us-east-1) or WebFirewall.fromWebAclArn().',
    } : {}),
  });
  skipCheckov(distribution, {
    ...(options.webAclArn === undefined ? { CKV_AWS_68: 'No web ACL was asked for (webFirewall); a CloudFront web ACL lives in us-east-1: WebFirewall.managedRules() (stack in us-east-1) or WebFirewall.fromWebAclArn().' } : {}),
    ...(certificate === undefined ? {
      CKV_AWS_174: "Without domainName, viewers use the distribution's *.cloudfront.net name and CloudFront's certificate, whose TLS policy CloudFront sets; give domainName and a certificate for TLS 1.2 at least.",
    } : {}),
  });
  if (domainName !== undefined && hostedZone !== undefined) {
    const target = route53.RecordTarget.fromAlias(new route53targets.CloudFrontTarget(distribution));
    new route53.ARecord(scope, 'AliasRecord', { zone: hostedZone, recordName: domainName, target });
    new route53.AaaaRecord(scope, 'AliasRecordIpv6', { zone: hostedZone, recordName: domainName, target });
  }
  return { distribution, url: `https://${domainName ?? distribution.distributionDomainName}` };
}

/**
 * Checks what CloudFront needs: its certificate and web ACL in us-east-1. Errors name the
 * front door as the user wrote it (`FrontDoor.cloudFront`).
 */
export function validateCdn(scope: Construct, options: {
  certificate?: acm.ICertificate;
  domainName?: string;
  hostedZone?: route53.IHostedZone;
  managedRules?: object;
  webAclArn?: string;
}): void {
  const name = 'FrontDoor.cloudFront';
  const region = Stack.of(scope).region;
  const inCloudFrontRegion = !Token.isUnresolved(region) && region === CLOUDFRONT_REGION;
  const where = Token.isUnresolved(region) ? 'no fixed region' : region;
  if (options.managedRules !== undefined && !inCloudFrontRegion) {
    throw new Error(
      `${name}: webFirewall is WebFirewall.managedRules(), but the stack is in ${where}; a web ACL for CloudFront must be created in us-east-1. Deploy this stack to us-east-1, or create the web ACL (scope CLOUDFRONT) in a us-east-1 stack and pass WebFirewall.fromWebAclArn(arn)`,
    );
  }
  const acl = options.webAclArn;
  if (acl !== undefined && !Token.isUnresolved(acl) && !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/.test(acl)) {
    throw new Error(`${name}: webFirewall is WebFirewall.fromWebAclArn('${acl}'); CloudFront takes a web ACL of scope CLOUDFRONT, in us-east-1, like 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/name/id'`);
  }
  const arn = options.certificate?.certificateArn;
  if (arn !== undefined && !Token.isUnresolved(arn)) {
    const match = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/.+$/.exec(arn);
    if (!match) {
      throw new Error(`${name}: certificate is '${arn}', which is not an ACM certificate ARN; CloudFront takes a certificate from AWS Certificate Manager in us-east-1`);
    }
    if (match[1] !== CLOUDFRONT_REGION) {
      throw new Error(`${name}: certificate is '${arn}', an ACM certificate in ${match[1]}; CloudFront uses certificates from us-east-1 only: request or import the certificate for your domain in us-east-1`);
    }
  }
  if (options.certificate !== undefined && options.domainName === undefined) {
    throw new Error(`${name}: certificate is set, but domainName is not; CloudFront serves a certificate only for the names it is given: set domainName`);
  }
  if (options.domainName !== undefined && options.certificate === undefined && !inCloudFrontRegion) {
    throw new Error(
      `${name}: domainName is '${options.domainName}', but there is no certificate and the stack is in ${where}; CloudFront needs a certificate from us-east-1: deploy this stack to us-east-1 (the construct then creates it), or create it in a us-east-1 stack and pass it as certificate`,
    );
  }
}
