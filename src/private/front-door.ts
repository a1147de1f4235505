import { Annotations, ArnFormat, Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { acknowledgeRules, AWS_MANAGED_KEY_REASON, cfnOf, skipCheckov } from './acknowledgements';
import { createDistribution } from './cdn';
import { SCALE_IN_COOLDOWN } from './scaling';
import type { ChatService } from '../chat-service';
import type { ManagedRulesOptions } from '../web-firewall';

/** What the front door of `BedrockImageChat` is built from (its `frontDoor`, checked). */
export interface FrontDoorOptions {
  /** The factory the user chose, as errors name it: `FrontDoor.loadBalancer`. */
  readonly name: string;
  readonly vpc: ec2.IVpc;
  readonly internetFacing: boolean;
  readonly subnets: ec2.SubnetSelection;
  readonly allowedCidrs: string[];
  readonly certificate?: acm.ICertificate;
  readonly domainName?: string;
  readonly hostedZone?: route53.IHostedZone;
  readonly contentSecurityPolicy?: string;
  /** The web ACL to create (`WebFirewall.managedRules`). */
  readonly managedRules?: ManagedRulesOptions;
  /** The web ACL to attach (`WebFirewall.fromWebAclArn`). */
  readonly webAclArn?: string;
  /** Whether a CloudFront distribution fronts the (then internal) load balancer. */
  readonly cloudFront: boolean;
  readonly logRetention: logs.RetentionDays;
}

/** The load balancer, its access logs and the address users open. */
export interface BuiltFrontDoor {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly accessLogsBucket?: s3.IBucket;
  /** The certificate of the load balancer's HTTPS listener (none behind CloudFront). */
  readonly certificate?: acm.ICertificate;
  readonly distribution?: cloudfront.Distribution;
  readonly url: string;
}

/**
 * A content security policy Open WebUI 0.12 works with (the browser test runs the app under it):
 * its SvelteKit pages use inline scripts and styles and `eval` in the code editor; images, audio
 * and files come as data: and blob: URLs; Socket.IO connects back to the same host.
 */
export const DEFAULT_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "frame-src 'self' blob: data:",
  "frame-ancestors 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * The response headers the listener adds (listener attributes of the load balancer); HSTS only
 * over HTTPS, where browsers honour it.
 */
export function securityHeaders(contentSecurityPolicy: string, https: boolean): Record<string, string> {
  return {
    ...(https ? { 'routing.http.response.strict_transport_security.header_value': 'max-age=31536000; includeSubDomains' } : {}),
    'routing.http.response.x_content_type_options.header_value': 'nosniff',
    'routing.http.response.x_frame_options.header_value': 'SAMEORIGIN',
    'routing.http.response.content_security_policy.header_value': contentSecurityPolicy,
    'routing.http.response.server.enabled': 'false',
  };
}

/** The AWS managed rule groups of the optional web ACL, by priority. */
const MANAGED_RULE_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'];

/**
 * Creates the internet-facing load balancer of `BedrockImageChat` in `scope` (the construct
 * itself, so that construct and logical ids stay the same), its access logs, the certificate for
 * `domainName` if needed, and the web ACL; returns the address users open.
 */
export function createFrontDoor(scope: Construct, options: FrontDoorOptions): BuiltFrontDoor {
  validateFrontDoor(scope, options);
  const loadBalancer = new elbv2.ApplicationLoadBalancer(scope, 'LoadBalancer', {
    vpc: options.vpc,
    internetFacing: options.internetFacing,
    vpcSubnets: options.subnets,
    dropInvalidHeaderFields: true,
    // Image generation can take longer than the 60-second default between bytes.
    idleTimeout: Duration.seconds(120),
  });
  const accessLogsBucket = createAccessLogs(scope, loadBalancer);

  if (options.cloudFront) {
    // CloudFront terminates TLS and carries the web ACL; the load balancer is internal.
    const { distribution, url } = createDistribution(scope, {
      loadBalancer,
      domainName: options.domainName,
      hostedZone: options.hostedZone,
      certificate: options.certificate,
      webAclArn: createWebAcl(scope, options, 'CLOUDFRONT') ?? options.webAclArn,
      contentSecurityPolicy: options.contentSecurityPolicy ?? DEFAULT_CONTENT_SECURITY_POLICY,
    });
    return { loadBalancer, accessLogsBucket, distribution, url };
  }

  const certificate = options.certificate ?? (options.domainName !== undefined && options.hostedZone !== undefined
    ? new acm.Certificate(scope, 'Certificate', {
      domainName: options.domainName,
      validation: acm.CertificateValidation.fromDns(options.hostedZone),
    })
    : undefined);
  if (options.domainName !== undefined && options.hostedZone !== undefined) {
    // IPv4 only: the load balancer is not dual-stack (the VPC has no IPv6), so an AAAA alias
    // would have nothing to answer with.
    new route53.ARecord(scope, 'AliasRecord', {
      zone: options.hostedZone,
      recordName: options.domainName,
      target: route53.RecordTarget.fromAlias(new route53targets.LoadBalancerTarget(loadBalancer)),
    });
  }
  const webAclArn = createWebAcl(scope, options, 'REGIONAL') ?? options.webAclArn;
  if (webAclArn !== undefined) {
    new wafv2.CfnWebACLAssociation(scope, 'WebAclAssociation', { resourceArn: loadBalancer.loadBalancerArn, webAclArn });
  }

  const host = options.domainName ?? loadBalancer.loadBalancerDnsName;
  return { loadBalancer, accessLogsBucket, certificate, url: `${certificate ? 'https' : 'http'}://${host}` };
}

/**
 * Adds the listeners that forward to Open WebUI: HTTPS with a TLS 1.3 policy and the security
 * headers, plus a redirect from HTTP; or plain HTTP without a certificate, with a warning.
 * Opens them to `allowedCidrs`.
 */
export function addListeners(
  scope: Construct, frontDoor: BuiltFrontDoor, options: FrontDoorOptions, targets: elbv2.AddApplicationTargetsProps,
): { listener: elbv2.ApplicationListener; targetGroup: elbv2.ApplicationTargetGroup } {
  const { loadBalancer, certificate } = frontDoor;
  let listener: elbv2.ApplicationListener;
  let ports: number[];
  if (certificate) {
    listener = loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [certificate],
      sslPolicy: elbv2.SslPolicy.TLS13_RES,
      open: false,
    });
    loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443, open: false });
    ports = [443, 80];
  } else if (frontDoor.distribution !== undefined) {
    listener = loadBalancer.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, open: false });
    const behindCloudFront = 'CloudFront terminates TLS for viewers and reaches this internal load balancer through its VPC origin, inside the VPC.';
    skipCheckov(listener, { CKV_AWS_2: behindCloudFront, CKV_AWS_103: behindCloudFront });
    ports = [80];
  } else {
    Annotations.of(scope).addWarningV2(
      'cdk-bedrock-image-chat:noCertificate',
      `frontDoor is ${options.name}: the load balancer serves plain HTTP, so passwords and chats cross the network unencrypted. Use FrontDoor.cloudFront() (the default) or FrontDoor.loadBalancer({ certificate }) to serve HTTPS.`,
    );
    listener = loadBalancer.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, open: false });
    const noCertificate = 'FrontDoor.plainHttp() asks for plain HTTP by name, with a synth warning; FrontDoor.loadBalancer({ certificate }) serves HTTPS with a TLS 1.3 policy.';
    skipCheckov(listener, { CKV_AWS_2: noCertificate, CKV_AWS_103: noCertificate });
    ports = [80];
  }
  const headers = securityHeaders(options.contentSecurityPolicy ?? DEFAULT_CONTENT_SECURITY_POLICY, certificate !== undefined);
  for (const [key, value] of Object.entries(headers)) {
    listener.setAttribute(key, value);
  }
  const targetGroup = listener.addTargets('OpenWebUI', targets);

  for (const cidr of options.allowedCidrs) {
    for (const port of ports) {
      loadBalancer.connections.allowFrom(ec2.Peer.ipv4(cidr), ec2.Port.tcp(port), `Clients from ${cidr}`);
    }
  }
  if (options.allowedCidrs.includes(options.vpc.vpcCidrBlock) && Token.isUnresolved(options.vpc.vpcCidrBlock)) {
    acknowledgeRules(loadBalancer.connections.securityGroups[0], {
      'AwsSolutions-EC23': frontDoor.distribution !== undefined
        ? "The internal load balancer admits the VPC's own range, where CloudFront's VPC origin reaches it; the range is a deploy-time value the check cannot read."
        : "The internal load balancer admits the VPC's own range (the default of an internal load balancer); the range is a deploy-time value the check cannot read.",
    });
  }
  if (options.internetFacing && options.allowedCidrs.includes('0.0.0.0/0')) {
    const securityGroup = loadBalancer.connections.securityGroups[0];
    skipCheckov(securityGroup, {
      CKV_AWS_260: certificate
        ? 'Port 80 is open to allowedCidrs (0.0.0.0/0) only to redirect to HTTPS; it serves nothing else.'
        : 'HTTP from anywhere only with FrontDoor.plainHttp() and allowedCidrs including 0.0.0.0/0 (both with synth warnings).',
    });
    acknowledgeRules(securityGroup, {
      'AwsSolutions-EC23': 'allowedCidrs includes 0.0.0.0/0 (the default, with a synth warning): the app is meant to be reached from the internet, behind its own sign-in. Set allowedCidrs to your ranges to close it.',
    });
    Annotations.of(scope).addWarningV2(
      'cdk-bedrock-image-chat:openToInternet',
      `BedrockImageChat is reachable from any address (the allowedCidrs of ${options.name} include 0.0.0.0/0). Set allowedCidrs to your network ranges if the app is not meant for the whole internet.`,
    );
  }
  return { listener, targetGroup };
}

function createAccessLogs(scope: Construct, loadBalancer: elbv2.ApplicationLoadBalancer): s3.IBucket | undefined {
  if (Token.isUnresolved(Stack.of(scope).region)) {
    // The bucket policy for access logs names the region's load-balancing account, so CDK
    // can only write it for a stack with a concrete region.
    Annotations.of(scope).addWarningV2(
      'cdk-bedrock-image-chat:noAccessLogs',
      'The stack has no region, so the load balancer has no access logs. Give the stack an env with a region to turn them on.',
    );
    skipCheckov(loadBalancer, { CKV_AWS_91: "The stack has no region: access logs need the region's load-balancing account in the bucket policy (a synth warning says so)." });
    acknowledgeRules(cfnOf(loadBalancer), {
      'AwsSolutions-ELB2': "The stack has no region: the access-log bucket policy must name the region's load-balancing account, so access logs are on only for a stack with a region (the synth warning says so).",
    });
    return undefined;
  }
  const bucket = new s3.Bucket(scope, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    // Versioned, so that a log file overwritten or deleted by mistake can be recovered for 30 days.
    versioned: true,
    lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const why = "This bucket receives the load balancer's access logs; logging its own access into itself would log each log delivery.";
  skipCheckov(bucket, { CKV_AWS_18: why });
  acknowledgeRules(cfnOf(bucket), { 'AwsSolutions-S1': why });
  loadBalancer.logAccessLogs(bucket, 'alb');
  return bucket;
}

/**
 * The optional web ACL: AWS's common rule set (its 8 KB body-size rule only counts, because
 * prompts and uploads are larger), known bad inputs, Amazon's IP reputation list, and a per-IP
 * rate limit; its decisions logged. Returns its ARN, or undefined without `WebFirewall.managedRules()`.
 */
function createWebAcl(scope: Construct, options: FrontDoorOptions, aclScope: 'REGIONAL' | 'CLOUDFRONT'): string | undefined {
  if (options.managedRules === undefined) return undefined;
  const visibility = (name: string) => ({ cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true });
  const managed: wafv2.CfnWebACL.RuleProperty[] = MANAGED_RULE_GROUPS.map((name, priority) => ({
    name,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        ...(name === 'AWSManagedRulesCommonRuleSet' ? { ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] } : {}),
      },
    },
    visibilityConfig: visibility(name),
  }));
  const acl = new wafv2.CfnWebACL(scope, 'WebAcl', {
    scope: aclScope,
    defaultAction: { allow: {} },
    visibilityConfig: visibility('BedrockImageChat'),
    rules: [
      ...managed,
      {
        name: 'RateLimitPerIp',
        priority: managed.length,
        action: { block: {} },
        statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: options.managedRules.rateLimit ?? 2000, evaluationWindowSec: 300 } },
        visibilityConfig: visibility('RateLimitPerIp'),
      },
    ],
  });
  // The web ACL's decisions go to CloudWatch Logs (the group name must start with aws-waf-logs-).
  const logGroupName = `aws-waf-logs-${Names.uniqueResourceName(acl, { maxLength: 200 })}`;
  const wafLogs = new logs.LogGroup(scope, 'WebAclLogs', { logGroupName, retention: options.logRetention, removalPolicy: RemovalPolicy.RETAIN });
  skipCheckov(wafLogs, { CKV_AWS_158: AWS_MANAGED_KEY_REASON });
  const logging = new wafv2.CfnLoggingConfiguration(scope, 'WebAclLogging', {
    resourceArn: acl.attrArn,
    logDestinationConfigs: [Stack.of(scope).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
  });
  logging.node.addDependency(wafLogs);
  return acl.attrArn;
}

function validateFrontDoor(scope: Construct, options: FrontDoorOptions): void {
  const { domainName, hostedZone, certificate } = options;
  if (hostedZone !== undefined && domainName === undefined) {
    throw new Error(`${options.name}: hostedZone is set (${hostedZone.zoneName}), but domainName is not; give the name users open, for example domainName: 'chat.${Token.isUnresolved(hostedZone.zoneName) ? 'example.com' : hostedZone.zoneName}'`);
  }
  if (domainName !== undefined && !Token.isUnresolved(domainName)) {
    if (!/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/.test(domainName)) {
      throw new Error(`${options.name}: domainName is '${domainName}', which is not a lowercase DNS name; use a form like 'chat.example.com' (no scheme, no path)`);
    }
    if (hostedZone === undefined && certificate === undefined) {
      throw new Error(
        `${options.name}: domainName is '${domainName}', but there is neither a hostedZone (to create the certificate and the DNS record) nor a certificate; pass hostedZone: route53.HostedZone.fromLookup(...), or a certificate for ${domainName} and create the DNS record yourself`,
      );
    }
    const zone = hostedZone?.zoneName.replace(/\.$/, '');
    if (zone !== undefined && !Token.isUnresolved(zone) && domainName !== zone && !domainName.endsWith(`.${zone}`)) {
      throw new Error(`${options.name}: domainName is '${domainName}', which is not in the hosted zone ${zone}; use a name in that zone, for example 'chat.${zone}', or the zone of ${domainName}`);
    }
  }
  if (!options.cloudFront && options.webAclArn !== undefined && !Token.isUnresolved(options.webAclArn)
    && !/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[\w-]+\/[\w-]+$/.test(options.webAclArn)) {
    throw new Error(`${options.name}: webFirewall is WebFirewall.fromWebAclArn('${options.webAclArn}'), which is not the ARN of a regional AWS WAF web ACL; expected a form like 'arn:aws:wafv2:us-west-2:111122223333:regional/webacl/name/id'`);
  }
  const limit = options.managedRules?.rateLimit;
  if (limit !== undefined && !Token.isUnresolved(limit) && (!Number.isInteger(limit) || limit < 10 || limit > 2_000_000_000)) {
    throw new Error(`${options.name}: webFirewall is WebFirewall.managedRules({ rateLimit: ${limit} }); AWS WAF accepts a whole number of requests per IP in 5 minutes from 10 to 2,000,000,000 (the default is 2000)`);
  }
  // Behind CloudFront, its us-east-1 rules apply instead (validateCdn).
  if (!options.cloudFront) validateCertificate(scope, options.name, certificate);
}

/**
 * Checks a certificate whose ARN is known at synth: an ACM certificate (the HTTPS listener takes
 * only those), in the stack's region (a load balancer cannot use one from another region).
 */
function validateCertificate(scope: Construct, name: string, certificate: acm.ICertificate | undefined): void {
  const arn = certificate?.certificateArn;
  if (arn === undefined || Token.isUnresolved(arn)) return;
  const match = /^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.*)$/.exec(arn);
  if (!match || match[1] !== 'acm' || !match[4].startsWith('certificate/')) {
    throw new Error(`${name}: certificate is '${arn}', which is not an ACM certificate ARN; use a certificate from AWS Certificate Manager, for example acm.Certificate.fromCertificateArn(this, 'Cert', 'arn:aws:acm:us-west-2:111122223333:certificate/...')`);
  }
  const region = Stack.of(scope).region;
  if (!Token.isUnresolved(region) && match[2] !== region) {
    throw new Error(
      `${name}: certificate is '${arn}', an ACM certificate in ${match[2]}, but the stack is in ${region}; a load balancer uses certificates of its own region only: request or import the certificate in ${region}`,
    );
  }
}

/**
 * The requests a minute one Open WebUI task serves before the load balancer's count adds a task
 * (a page load is some 30 requests, a chat turn a handful).
 */
const OPEN_WEBUI_REQUESTS_PER_TASK = 1000;

/**
 * Serves Open WebUI through the front door: its target group (health check on `/health`), the
 * listeners, and, when its task count scales, a scaling step on requests per task.
 */
export function serveOpenWebUI(
  scope: Construct, frontDoor: BuiltFrontDoor, options: FrontDoorOptions, openWebUI: ChatService, port: number,
): { listener: elbv2.ApplicationListener; targetGroup: elbv2.ApplicationTargetGroup } {
  const served = addListeners(scope, frontDoor, options, {
    port,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targets: [openWebUI.service],
    // A task that scales in keeps serving its open requests for two minutes (streamed answers,
    // image generations); a single task is only replaced on deployments, which this would slow.
    deregistrationDelay: Duration.seconds(openWebUI.taskCount !== undefined ? 120 : 30),
    healthCheck: {
      path: '/health',
      healthyHttpCodes: '200',
      interval: Duration.seconds(30),
      timeout: Duration.seconds(5),
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 5,
    },
  });
  // Page loads and API calls through the load balancer also decide the Open WebUI task count.
  openWebUI.taskCount?.scaleOnRequestCount('Requests', {
    requestsPerTarget: OPEN_WEBUI_REQUESTS_PER_TASK,
    targetGroup: served.targetGroup,
    scaleInCooldown: SCALE_IN_COOLDOWN,
    scaleOutCooldown: Duration.minutes(1),
  });
  return served;
}
