/**
 * How the tasks reach the internet.
 */
export enum InternetEgress {
  /**
   * No route to the internet: isolated subnets, and VPC endpoints for the AWS services the tasks
   * call. Images come from ECR; models must be served in the stack's region (or through a
   * cross-region inference profile).
   */
  NONE = 'NONE',
  /** One NAT gateway, shared by all availability zones (about $33 a month plus $0.045 per GB). */
  NAT_GATEWAY = 'NAT_GATEWAY',
  /** One NAT gateway per availability zone, so that losing a zone does not cut the others off. */
  NAT_GATEWAY_PER_AZ = 'NAT_GATEWAY_PER_AZ',
  /**
   * A VPC you bring already routes the task subnets to the internet (a NAT gateway, a transit
   * gateway or a firewall of yours). Only valid with your own `vpc`.
   */
  EXISTING = 'EXISTING',
}
