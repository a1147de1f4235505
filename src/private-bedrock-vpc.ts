import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { InternetEgress } from './internet-egress';
import { AWS_MANAGED_KEY_REASON, DEPLOY_TIME_FUNCTION_SKIPS, skipCheckov } from './private/acknowledgements';
import { propName } from './private/prop-names';
import { validateEnumValue, validateLogRetention } from './private/validation';

/**
 * Properties of a {@link PrivateBedrockVpc}.
 */
export interface PrivateBedrockVpcProps {
  /**
   * How the private subnets reach the internet. `InternetEgress.EXISTING` is not valid here.
   *
   * @default InternetEgress.NONE
   */
  readonly egress?: InternetEgress;

  /**
   * The number of availability zones.
   *
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * Put the interface endpoints in the first availability zone only.
   *
   * Halves the endpoint cost with two zones (each endpoint costs about $7.30 a month per zone),
   * but tasks in the other zones then reach AWS through another zone (cross-zone data charges),
   * and lose ECR, Secrets Manager, CloudWatch Logs and Bedrock if that zone fails.
   *
   * @default false
   */
  readonly endpointsInOneAz?: boolean;

  /**
   * More interface endpoints, for example `InterfaceVpcEndpointAwsService.SSM_MESSAGES` (ECS Exec)
   * or `InterfaceVpcEndpointAwsService.BEDROCK` (the Bedrock control plane).
   *
   * @default - none
   */
  readonly additionalEndpoints?: ec2.InterfaceVpcEndpointAwsService[];

  /**
   * The IPv4 range of the VPC.
   *
   * @default ec2.IpAddresses.cidr('10.0.0.0/16')
   */
  readonly ipAddresses?: ec2.IIpAddresses;

  /**
   * How long the VPC's logs (its flow logs) are kept.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A VPC for Bedrock workloads. By default it has no NAT gateway: tasks reach AWS only through VPC
 * endpoints.
 *
 * - Two availability zones; public subnets for the load balancer only; private subnets for tasks
 *   and databases (isolated, or routed through NAT gateways with `egress`).
 * - Interface endpoints with private DNS for `ecr.api`, `ecr.dkr`, `logs`, `secretsmanager` and
 *   `bedrock-runtime`, and the S3 gateway endpoint (image layers, configuration).
 * - The endpoints share one security group that admits nothing until you call
 *   `allowEndpointAccessFrom(...)` for the services that use them.
 * - VPC flow logs to CloudWatch Logs.
 *
 * Each interface endpoint costs about $7.30 a month per AZ plus data: five endpoints in two AZs
 * are about $73 a month.
 */
export class PrivateBedrockVpc extends Construct implements ec2.IConnectable {
  /** The VPC. */
  public readonly vpc: ec2.Vpc;

  /** The security group of the interface endpoints. */
  public readonly endpointSecurityGroup: ec2.SecurityGroup;

  /** The interface endpoints, by service name (`ecr.api`, `ecr.dkr`, `logs`, `secretsmanager`, `bedrock-runtime`). */
  public readonly interfaceEndpoints: ec2.InterfaceVpcEndpoint[];

  /** The S3 gateway endpoint. */
  public readonly s3Endpoint: ec2.GatewayVpcEndpoint;

  /** How the private subnets reach the internet. */
  public readonly egress: InternetEgress;

  /** The private subnets, for tasks and databases. */
  public readonly privateSubnets: ec2.SubnetSelection;

  private readonly endpointSubnets: ec2.SubnetSelection;
  private readonly endpointServices = new Set<string>();

  /** The endpoints' security group, with HTTPS as its default port. */
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: PrivateBedrockVpcProps = {}) {
    super(scope, id);
    validateEnumValue(propName(props, 'egress'), props.egress, InternetEgress, 'InternetEgress');
    validateLogRetention('logRetention', props.logRetention);
    this.egress = props.egress ?? InternetEgress.NONE;
    if (this.egress === InternetEgress.EXISTING) {
      throw new Error(
        'egress is InternetEgress.EXISTING, which describes a VPC you bring; PrivateBedrockVpc creates its VPC, so use InternetEgress.NONE, NAT_GATEWAY or NAT_GATEWAY_PER_AZ',
      );
    }
    const maxAzs = props.maxAzs ?? 2;
    if (Token.isUnresolved(maxAzs)) {
      throw new Error(`${propName(props, 'maxAzs')} is a token (a deploy-time value); the number of availability zones decides how many subnets and endpoints the VPC gets, so it must be a number at synth time, for example 2`);
    }
    if (!Number.isInteger(maxAzs) || maxAzs < 1 || maxAzs > 6) {
      throw new Error(`${propName(props, 'maxAzs')} is ${maxAzs}; use a whole number from 1 to 6 (2 or more keeps the app up when a zone fails)`);
    }
    const privateType = this.egress === InternetEgress.NONE ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS;
    this.privateSubnets = { subnetType: privateType };

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: props.ipAddresses ?? ec2.IpAddresses.cidr('10.0.0.0/16'),
      maxAzs,
      natGateways: { [InternetEgress.NONE]: 0, [InternetEgress.NAT_GATEWAY]: 1, [InternetEgress.NAT_GATEWAY_PER_AZ]: maxAzs }[this.egress],
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'Private', subnetType: privateType, cidrMask: 20 },
      ],
      restrictDefaultSecurityGroup: true,
    });

    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    skipCheckov(flowLogs, { CKV_AWS_158: AWS_MANAGED_KEY_REASON });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    // aws-cdk-lib's handler that removes the default security group's rules (a stack singleton).
    skipCheckov(Stack.of(this).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider')?.node.tryFindChild('Handler'), DEPLOY_TIME_FUNCTION_SKIPS);

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'VPC interface endpoints: HTTPS from the services allowed to use them',
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({
      securityGroups: [this.endpointSecurityGroup],
      defaultPort: ec2.Port.tcp(443),
    });

    this.endpointSubnets = props.endpointsInOneAz
      ? { subnetType: privateType, availabilityZones: [this.vpc.availabilityZones[0]] }
      : this.privateSubnets;
    const services: Array<[string, ec2.InterfaceVpcEndpointAwsService]> = [
      ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
      ['EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
      ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
      ['SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER],
      ['BedrockRuntime', ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME],
    ];
    this.interfaceEndpoints = services.map(([endpointId, service]) => {
      this.endpointServices.add(service.name);
      return this.vpc.addInterfaceEndpoint(endpointId, {
        service,
        subnets: this.endpointSubnets,
        privateDnsEnabled: true,
        securityGroups: [this.endpointSecurityGroup],
        open: false,
      });
    });
    (props.additionalEndpoints ?? []).forEach((service) => this.addInterfaceEndpoint(service));

    this.s3Endpoint = this.vpc.addGatewayEndpoint('S3', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [this.privateSubnets],
    });
  }

  /**
   * Adds an interface endpoint, in the same subnets and security group as the others, unless the
   * VPC has one for that service already.
   */
  public addInterfaceEndpoint(service: ec2.InterfaceVpcEndpointAwsService): void {
    if (this.endpointServices.has(service.name)) {
      return;
    }
    this.endpointServices.add(service.name);
    this.interfaceEndpoints.push(
      this.vpc.addInterfaceEndpoint(endpointIdOf(service), {
        service,
        subnets: this.endpointSubnets,
        privateDnsEnabled: true,
        securityGroups: [this.endpointSecurityGroup],
        open: false,
      }),
    );
  }

  /**
   * Lets `peer` (an ECS service, for example) reach the interface endpoints over HTTPS.
   */
  public allowEndpointAccessFrom(peer: ec2.IConnectable): void {
    this.connections.allowDefaultPortFrom(peer, 'HTTPS to the VPC interface endpoints');
  }
}

function endpointIdOf(service: ec2.InterfaceVpcEndpointAwsService): string {
  // com.amazonaws.us-east-1.ssmmessages -> Ssmmessages; bedrock-agent-runtime -> BedrockAgentRuntime
  const short = service.shortName;
  return short.split(/[^a-zA-Z0-9]/).map((p) => p.charAt(0).toUpperCase() + p.substring(1)).join('');
}
