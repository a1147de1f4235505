import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { FrontDoorSettings } from './private/front-door-settings';
import { WebFirewall } from './web-firewall';

/**
 * What every front door can add to the app's responses and requests.
 */
export interface FrontDoorOptions {
  /**
   * An AWS WAF web ACL in front of the app: `WebFirewall.managedRules()` or
   * `WebFirewall.fromWebAclArn(...)`.
   *
   * @default - none
   */
  readonly webFirewall?: WebFirewall;

  /**
   * The Content-Security-Policy header added to every response, with HSTS (over HTTPS),
   * `X-Content-Type-Options: nosniff` and `X-Frame-Options: SAMEORIGIN`.
   *
   * The default is one Open WebUI works with (the browser test runs the app under it); change it
   * only together with such a test.
   *
   * @default - same-origin resources, inline scripts and styles, data: and blob: URLs, no framing by other sites
   */
  readonly contentSecurityPolicy?: string;
}

/**
 * The name users open, and its certificate.
 */
export interface CustomDomainOptions {
  /**
   * The name users open, for example `chat.example.com`. The app's URL (`url`, the `Url` output,
   * Open WebUI's `WEBUI_URL` and allowed CORS origin) is then `https://<domainName>`.
   *
   * @default - the distribution's `*.cloudfront.net` name, or the load balancer's DNS name
   */
  readonly domainName?: string;

  /**
   * The public hosted zone of `domainName`: the construct requests a DNS-validated ACM
   * certificate for the name and creates an alias record in it (for example
   * `route53.HostedZone.fromLookup(this, 'Zone', { domainName: 'example.com' })`).
   *
   * @default - no DNS record and no certificate are created
   */
  readonly hostedZone?: route53.IHostedZone;

  /**
   * The certificate for `domainName`, when you do not give `hostedZone` (you then point the name
   * at the app yourself).
   *
   * @default - one for `domainName` when `hostedZone` is given
   */
  readonly certificate?: acm.ICertificate;
}

/**
 * Options of {@link FrontDoor.cloudFront}.
 */
export interface CloudFrontFrontDoorOptions extends FrontDoorOptions, CustomDomainOptions {}

/**
 * Options of {@link FrontDoor.loadBalancer}.
 */
export interface LoadBalancerFrontDoorOptions extends FrontDoorOptions, CustomDomainOptions {
  /**
   * Whether the load balancer is reachable from the internet. With `false` it is internal: it
   * lives in the private subnets and answers only inside the VPC and the networks connected to it
   * (VPN, Direct Connect, Transit Gateway), an intranet-only app.
   *
   * @default true
   */
  readonly internetFacing?: boolean;

  /**
   * The IPv4 ranges allowed to reach the load balancer.
   *
   * @default - ['0.0.0.0/0'] (with a warning) when internet-facing, else the VPC's range
   */
  readonly allowedCidrs?: string[];
}

/**
 * Options of {@link FrontDoor.plainHttp}.
 */
export interface PlainHttpFrontDoorOptions extends FrontDoorOptions {
  /**
   * Whether the load balancer is reachable from the internet (see
   * `LoadBalancerFrontDoorOptions.internetFacing`).
   *
   * @default true
   */
  readonly internetFacing?: boolean;

  /**
   * The IPv4 ranges allowed to reach the load balancer.
   *
   * @default - ['0.0.0.0/0'] (with a warning) when internet-facing, else the VPC's range
   */
  readonly allowedCidrs?: string[];
}

/**
 * How users reach the app: the Application Load Balancer in front of Open WebUI, alone or behind
 * Amazon CloudFront.
 */
export abstract class FrontDoor {
  /**
   * Amazon CloudFront in front of an internal load balancer, the default: HTTPS on the
   * distribution's `*.cloudfront.net` name without any certificate of yours, or on `domainName`.
   * The load balancer has no public address; CloudFront reaches it through a CloudFront VPC origin
   * (the VPC needs an internet gateway, which the created VPC has). Nothing is cached.
   *
   * CloudFront reads certificates and web ACLs in us-east-1 only: with `domainName` the construct
   * creates the certificate when the stack is in us-east-1, else pass a `certificate` from
   * us-east-1; `WebFirewall.managedRules()` needs the stack in us-east-1, else pass a CLOUDFRONT
   * web ACL with `WebFirewall.fromWebAclArn(...)`. Restrict viewers with that web ACL.
   *
   * Costs nothing fixed: CloudFront bills requests and data out by use (the cost table of docs/cost.md).
   */
  public static cloudFront(options: CloudFrontFrontDoorOptions = {}): FrontDoor {
    // Only the options of this factory: a JavaScript caller's allowedCidrs would otherwise close
    // the internal load balancer to CloudFront's VPC origin.
    const { domainName, hostedZone, certificate, webFirewall, contentSecurityPolicy } = options;
    return new ChosenFrontDoor({
      kind: 'cloudFront', name: 'FrontDoor.cloudFront', internetFacing: false, domainName, hostedZone, certificate, webFirewall, contentSecurityPolicy,
    });
  }

  /**
   * An Application Load Balancer serving HTTPS itself (TLS 1.3 policy, HTTP redirected), for a
   * `certificate` of yours or a `domainName` in a `hostedZone`; internet-facing or internal.
   */
  public static loadBalancer(options: LoadBalancerFrontDoorOptions): FrontDoor {
    const { domainName, hostedZone, certificate, allowedCidrs, webFirewall, contentSecurityPolicy } = options ?? {};
    return new ChosenFrontDoor({
      kind: 'loadBalancer',
      name: 'FrontDoor.loadBalancer',
      internetFacing: options?.internetFacing ?? true,
      domainName,
      hostedZone,
      certificate,
      allowedCidrs,
      webFirewall,
      contentSecurityPolicy,
    });
  }

  /**
   * An Application Load Balancer serving plain HTTP, with a synth warning: passwords and chats
   * cross the network unencrypted. Only for trials, or an internal load balancer behind a network
   * that encrypts (`internetFacing: false`).
   */
  public static plainHttp(options: PlainHttpFrontDoorOptions = {}): FrontDoor {
    // No certificate or domain, even from a JavaScript caller: this door serves plain HTTP only.
    const { allowedCidrs, webFirewall, contentSecurityPolicy } = options;
    return new ChosenFrontDoor({
      kind: 'plainHttp', name: 'FrontDoor.plainHttp', internetFacing: options.internetFacing ?? true, allowedCidrs, webFirewall, contentSecurityPolicy,
    });
  }

  /** @internal */
  public abstract readonly _settings: FrontDoorSettings;
}

class ChosenFrontDoor extends FrontDoor {
  constructor(public readonly _settings: FrontDoorSettings) {
    super();
  }
}
