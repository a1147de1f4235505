import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { InternetEgress } from './internet-egress';

/**
 * Where `BedrockImageChat` runs in its VPC and how its tasks reach the internet.
 */
export interface NetworkOptions {
  /**
   * How the tasks reach the internet.
   *
   * - `NONE`: no route to the internet. Images are copied into ECR, Bedrock is reached through the
   *   VPC endpoint of the stack's region, and every container is configured to start offline.
   * - `NAT_GATEWAY` / `NAT_GATEWAY_PER_AZ`: the VPC this construct creates gets NAT gateways.
   * - `EXISTING`: your `vpc` routes the task subnets to the internet already.
   *
   * @default InternetEgress.NONE
   */
  readonly egress?: InternetEgress;

  /**
   * The number of availability zones of the VPC this construct creates. Not valid with your own `vpc`.
   *
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * Put the VPC endpoints of the VPC this construct creates in one availability zone, to halve
   * their cost (see `PrivateBedrockVpcProps.endpointsInOneAz` for the trade-off). Not valid with
   * your own `vpc`.
   *
   * @default - true when nothing else spans two zones (one Open WebUI task and a database in one
   * zone, as the SMALL size runs), else false
   */
  readonly endpointsInOneAz?: boolean;

  /**
   * The subnets of the load balancer, in your own `vpc`.
   *
   * @default - the VPC's public subnets for an internet-facing load balancer, else `taskSubnets`
   */
  readonly loadBalancerSubnets?: ec2.SubnetSelection;

  /**
   * The subnets of the tasks and the file system mount targets, in your own `vpc`.
   *
   * @default - the VPC's private subnets (with egress if it has them, else isolated)
   */
  readonly taskSubnets?: ec2.SubnetSelection;

  /**
   * The subnets of the database and Redis, in your own `vpc` (at least two availability zones).
   *
   * @default - `taskSubnets`
   */
  readonly databaseSubnets?: ec2.SubnetSelection;
}
