import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { groupPaths, writtenAs } from './prop-names';
import { defaultTaskSubnets } from './validation';
import { InternetEgress } from '../internet-egress';
import type { NetworkOptions } from '../network-options';
import { PrivateBedrockVpc } from '../private-bedrock-vpc';

/**
 * What the network is made from: `BedrockImageChat`'s `vpc` and `network` (whose props errors
 * name as `network.<prop>`), as the user wrote them.
 */
export interface ChatNetworkInput extends NetworkOptions {
  readonly vpc?: ec2.IVpc;
  /** Whether the load balancer faces the internet (and so needs public subnets). */
  readonly internetFacing: boolean;
  /** Whether CloudFront fronts the load balancer (through a VPC origin), and whether the user asked for it. */
  readonly cloudFront: { readonly on: boolean; readonly byDefault: boolean };
}

/**
 * The VPC of `BedrockImageChat`: yours (checked for the subnets the app needs), or a
 * `PrivateBedrockVpc` created in `scope` as `Network` (with an `ssmmessages` endpoint for ECS Exec).
 */
export function createChatNetwork(
  scope: Construct,
  props: ChatNetworkInput,
  options: { egress: InternetEgress; logRetention: logs.RetentionDays; enableExecuteCommand: boolean },
): { vpc: ec2.IVpc; privateVpc?: PrivateBedrockVpc } {
  const { egress } = options;
  if (props.vpc) {
    validateOwnVpc(props);
    return { vpc: props.vpc };
  }
  if (egress === InternetEgress.EXISTING) {
    throw new Error('network.egress is InternetEgress.EXISTING, which needs your own `vpc`; without one, use InternetEgress.NONE, NAT_GATEWAY or NAT_GATEWAY_PER_AZ');
  }
  if (props.maxAzs !== undefined && !Token.isUnresolved(props.maxAzs) && props.maxAzs < 2) {
    throw new Error(
      `network.maxAzs is ${props.maxAzs}; the load balancer and the database need subnets in at least two availability zones, so use 2 or more (network.endpointsInOneAz: true keeps the endpoint cost of one zone)`,
    );
  }
  for (const prop of ['loadBalancerSubnets', 'taskSubnets', 'databaseSubnets'] as const) {
    if (props[prop] !== undefined) {
      throw new Error(`network.${prop} is set, but there is no \`vpc\`; subnet selections apply to your own VPC only (the created VPC places everything itself)`);
    }
  }
  const privateVpc = new PrivateBedrockVpc(scope, 'Network', writtenAs({
    logRetention: options.logRetention,
    egress,
    maxAzs: props.maxAzs,
    endpointsInOneAz: props.endpointsInOneAz,
    additionalEndpoints: options.enableExecuteCommand ? [ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES] : [],
  }, groupPaths('network', ['egress', 'maxAzs', 'endpointsInOneAz'])));
  return { vpc: privateVpc.vpc, privateVpc };
}

function selectOrNone(vpc: ec2.IVpc, selection: ec2.SubnetSelection): ec2.ISubnet[] {
  try {
    return vpc.selectSubnets(selection).subnets;
  } catch {
    return [];
  }
}

/** Checks that a VPC you bring has the subnets the app needs. */
function validateOwnVpc(props: ChatNetworkInput): void {
  const vpc = props.vpc!;
  if (props.maxAzs !== undefined || props.endpointsInOneAz !== undefined) {
    throw new Error(`network.${props.maxAzs !== undefined ? 'maxAzs' : 'endpointsInOneAz'} is set, but it shapes the VPC this construct creates; with your own \`vpc\`, shape that VPC instead and leave it out`);
  }
  if (props.egress === InternetEgress.NAT_GATEWAY || props.egress === InternetEgress.NAT_GATEWAY_PER_AZ) {
    throw new Error(
      `network.egress is InternetEgress.${props.egress}, which adds NAT gateways to the VPC this construct creates; with your own \`vpc\`, use InternetEgress.EXISTING if its task subnets reach the internet, or InternetEgress.NONE if they do not`,
    );
  }
  const check = (prop: string, selection: ec2.SubnetSelection | undefined, fallback: ec2.SubnetSelection | undefined, needed: string) => {
    let subnets: ec2.ISubnet[] = [];
    try {
      subnets = vpc.selectSubnets(selection ?? fallback).subnets;
    } catch {
      subnets = [];
    }
    const zones = new Set(subnets.map((s) => s.availabilityZone));
    if (zones.size < 2) {
      throw new Error(
        `network.${prop} selects ${subnets.length} subnet(s) in ${zones.size} availability zone(s) of your vpc; ${needed} needs subnets in at least two availability zones. Pass network.${prop} (a subnet selection) or give the VPC such subnets`,
      );
    }
  };
  const internetFacing = props.internetFacing;
  if (props.cloudFront.on && vpc.publicSubnets.length === 0) {
    // CloudFront requires an internet gateway attached to the VPC of a VPC origin, even though the
    // origin itself stays private (CloudFront developer guide, "Restrict access with VPC origins").
    throw new Error(
      `frontDoor is ${props.cloudFront.byDefault ? 'FrontDoor.cloudFront() (the default)' : 'FrontDoor.cloudFront'}, and CloudFront reaches the internal load balancer through a VPC origin, which needs an internet gateway in the VPC; your vpc has no public subnet, so it seems to have none. `
      + 'Give the VPC an internet gateway (a public subnet), or serve the app from the load balancer alone with HTTPS: frontDoor: FrontDoor.loadBalancer({ certificate, internetFacing: false }) for an intranet-only app',
    );
  }
  const taskDefault = defaultTaskSubnets(vpc);
  const loadBalancerDefault = internetFacing ? { subnetType: ec2.SubnetType.PUBLIC } : props.taskSubnets ?? taskDefault;
  check('taskSubnets', props.taskSubnets, taskDefault, 'the tasks (private subnets)');
  check('loadBalancerSubnets', props.loadBalancerSubnets, loadBalancerDefault, internetFacing ? 'the internet-facing load balancer (public subnets)' : 'the internal load balancer');
  const loadBalancerSubnets = selectOrNone(vpc, props.loadBalancerSubnets ?? loadBalancerDefault);
  const notPublic = loadBalancerSubnets.filter((s) => !vpc.publicSubnets.includes(s) && [...vpc.privateSubnets, ...vpc.isolatedSubnets].includes(s));
  if (internetFacing && notPublic.length > 0) {
    throw new Error(
      `network.loadBalancerSubnets selects ${notPublic.map((s) => s.node.id).join(', ')}, which ${notPublic.length === 1 ? 'is' : 'are'} not public; the internet-facing load balancer needs public subnets (with a route to an internet gateway), for example { subnetType: ec2.SubnetType.PUBLIC }`,
    );
  }
  const taskSubnets = selectOrNone(vpc, props.taskSubnets ?? taskDefault);
  if (props.egress === InternetEgress.EXISTING && taskSubnets.length > 0 && taskSubnets.every((s) => vpc.isolatedSubnets.includes(s))) {
    throw new Error(
      `network.egress is InternetEgress.EXISTING, but the task subnets (${taskSubnets.map((s) => s.node.id).join(', ')}) are isolated: they have no route to the internet. Choose subnets with a NAT route as network.taskSubnets, or use InternetEgress.NONE (the tasks then reach AWS through VPC endpoints)`,
    );
  }
  check('databaseSubnets', props.databaseSubnets, props.taskSubnets ?? taskDefault, 'the database');
}
