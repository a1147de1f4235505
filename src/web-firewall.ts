/**
 * Options of {@link WebFirewall.managedRules}.
 */
export interface ManagedRulesOptions {
  /**
   * The requests one IP address may make in 5 minutes before the web ACL blocks it.
   *
   * @default 2000
   */
  readonly rateLimit?: number;
}

/**
 * An AWS WAF web ACL in front of the app: one the construct creates with AWS managed rules, or
 * one of yours.
 */
export abstract class WebFirewall {
  /**
   * A web ACL created with the app: the AWS managed common rule set (with its 8 KB request-body
   * rule only counting, because prompts and uploads are larger), known bad inputs, Amazon's IP
   * reputation list and a per-IP rate limit; its requests are logged to CloudWatch Logs.
   *
   * About $5 a month plus $1 per rule and $0.60 per million requests. Behind CloudFront it must
   * be created in us-east-1, so the stack must be there (else use `fromWebAclArn`).
   */
  public static managedRules(options: ManagedRulesOptions = {}): WebFirewall {
    return new ManagedRulesFirewall(options);
  }

  /**
   * An existing web ACL, by ARN: a regional one in the stack's region in front of a load
   * balancer, or one of scope CLOUDFRONT (in us-east-1) in front of CloudFront.
   */
  public static fromWebAclArn(webAclArn: string): WebFirewall {
    return new ExistingFirewall(webAclArn);
  }

  /** @internal */
  public abstract readonly _managedRules?: ManagedRulesOptions;

  /** @internal */
  public abstract readonly _webAclArn?: string;
}

class ManagedRulesFirewall extends WebFirewall {
  public readonly _webAclArn = undefined;
  constructor(public readonly _managedRules: ManagedRulesOptions) {
    super();
  }
}

class ExistingFirewall extends WebFirewall {
  public readonly _managedRules = undefined;
  constructor(public readonly _webAclArn: string) {
    super();
  }
}
