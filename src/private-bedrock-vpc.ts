import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * Properties of a {@link PrivateBedrockVpc}.
 */
export interface PrivateBedrockVpcProps {
  /**
   * The IPv4 range of the VPC.
   *
   * @default ec2.IpAddresses.cidr('10.0.0.0/16')
   */
  readonly ipAddresses?: ec2.IIpAddresses;

  /**
   * How long VPC flow logs are kept.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly flowLogRetention?: logs.RetentionDays;
}

/**
 * A VPC for Bedrock workloads with no NAT gateway: tasks reach AWS only through VPC endpoints.
 *
 * - Two availability zones; public subnets for the load balancer only; private isolated subnets
 *   for tasks and databases.
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

  /** The endpoints' security group, with HTTPS as its default port. */
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: PrivateBedrockVpcProps = {}) {
    super(scope, id);

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: props.ipAddresses ?? ec2.IpAddresses.cidr('10.0.0.0/16'),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 },
      ],
      restrictDefaultSecurityGroup: true,
    });

    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new logs.LogGroup(this, 'FlowLogs', {
          retention: props.flowLogRetention ?? logs.RetentionDays.THREE_MONTHS,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
      ),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'VPC interface endpoints: HTTPS from the services allowed to use them',
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({
      securityGroups: [this.endpointSecurityGroup],
      defaultPort: ec2.Port.tcp(443),
    });

    const isolated = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    const services: Array<[string, ec2.InterfaceVpcEndpointAwsService]> = [
      ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
      ['EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
      ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
      ['SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER],
      ['BedrockRuntime', ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME],
    ];
    this.interfaceEndpoints = services.map(([endpointId, service]) =>
      this.vpc.addInterfaceEndpoint(endpointId, {
        service,
        subnets: isolated,
        privateDnsEnabled: true,
        securityGroups: [this.endpointSecurityGroup],
        open: false,
      }),
    );

    this.s3Endpoint = this.vpc.addGatewayEndpoint('S3', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [isolated],
    });
  }

  /**
   * Lets `peer` (an ECS service, for example) reach the interface endpoints over HTTPS.
   */
  public allowEndpointAccessFrom(peer: ec2.IConnectable): void {
    this.connections.allowDefaultPortFrom(peer, 'HTTPS to the VPC interface endpoints');
  }
}
