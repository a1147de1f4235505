import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BedrockModel } from './bedrock-model';
import { LiteLLMService } from './litellm-service';
import { OpenWebUIService } from './open-webui-service';
import { acknowledgeRules, cfnOf, skipCheckov } from './private/acknowledgements';
import { defaultTaskSubnets } from './private/validation';
import { InternetEgress, PrivateBedrockVpc } from './private-bedrock-vpc';

/**
 * Properties of a {@link BedrockImageChat}.
 */
export interface BedrockImageChatProps {
  /**
   * Your own VPC to deploy into. It must provide:
   * - public subnets in two or more availability zones for the load balancer (or `loadBalancerSubnets`);
   * - private subnets in two or more zones for the tasks and the database (or `taskSubnets`/`databaseSubnets`);
   * - with `egress: InternetEgress.NONE`, interface endpoints with private DNS for `ecr.api`,
   *   `ecr.dkr`, `logs`, `secretsmanager` and `bedrock-runtime` (plus `ssmmessages` for ECS Exec),
   *   reachable over HTTPS from the tasks, and the S3 gateway endpoint on the task subnets' route
   *   tables; with `InternetEgress.EXISTING`, a route to the internet from the task subnets.
   *
   * @default - a new `PrivateBedrockVpc` (two AZs, no NAT gateway, VPC endpoints)
   */
  readonly vpc?: ec2.IVpc;

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
   * The number of availability zones of the VPC this construct creates. Ignored with `vpc`.
   *
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * Put the VPC endpoints of the VPC this construct creates in one availability zone, to halve
   * their cost (see `PrivateBedrockVpcProps.endpointsInOneAz` for the trade-off). Ignored with `vpc`.
   *
   * @default false
   */
  readonly endpointsInOneAz?: boolean;

  /**
   * The subnets of the load balancer, in your `vpc`.
   *
   * @default - the VPC's public subnets
   */
  readonly loadBalancerSubnets?: ec2.SubnetSelection;

  /**
   * The subnets of the tasks and the file system mount targets, in your `vpc`.
   *
   * @default - the VPC's private subnets (with egress if it has them, else isolated)
   */
  readonly taskSubnets?: ec2.SubnetSelection;

  /**
   * The subnets of the database, in your `vpc` (at least two availability zones).
   *
   * @default - `taskSubnets`
   */
  readonly databaseSubnets?: ec2.SubnetSelection;

  /**
   * The CPU architecture of both services.
   *
   * @default ecs.CpuArchitecture.ARM64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;

  /**
   * Turn on ECS Exec for both services (a shell in a task through SSM, without SSH). The VPC
   * this construct creates then gets an `ssmmessages` endpoint; your own `vpc` needs one (or egress).
   *
   * @default false
   */
  readonly enableExecuteCommand?: boolean;

  /**
   * The container image of LiteLLM, for teams with their own registry. With egress `NONE` it
   * must be an image in ECR of this account.
   *
   * @default - `LiteLLMService.DEFAULT_IMAGE`, copied into ECR at deploy time
   */
  readonly litellmImage?: ecs.ContainerImage;

  /**
   * The container image of Open WebUI, for teams with their own registry. With egress `NONE` it
   * must be an image in ECR of this account.
   *
   * @default - `OpenWebUIService.DEFAULT_IMAGE`, copied into ECR at deploy time
   */
  readonly openWebUIImage?: ecs.ContainerImage;

  /**
   * The certificate of the HTTPS listener.
   *
   * Without it the load balancer serves plain HTTP, and synth warns: passwords and chats would
   * cross the internet unencrypted.
   *
   * @default - HTTP only, with a warning
   */
  readonly certificate?: acm.ICertificate;

  /**
   * The IPv4 ranges allowed to reach the load balancer.
   *
   * @default ['0.0.0.0/0'], with a warning
   */
  readonly allowedCidrs?: string[];

  /**
   * The Bedrock models LiteLLM serves: at least one chat and one embedding model, and an image
   * model for image generation.
   *
   * @default - models the tasks can call from the stack's region with the chosen `egress` (see
   * `LiteLLMServiceProps.models`): Claude Haiku 4.5, Titan Text Embeddings v2, and Stable Image
   * Core v1.1 in us-west-2 where it is reachable; elsewhere chat only, with a warning
   */
  readonly models?: BedrockModel[];

  /**
   * The model Open WebUI generates images with; one of `models`.
   *
   * @default - the first image model in `models` (none: image generation is off)
   */
  readonly imageModel?: BedrockModel;

  /**
   * The model Open WebUI embeds documents with; one of `models`.
   *
   * @default - the first embedding model in `models`
   */
  readonly embeddingModel?: BedrockModel;

  /**
   * The image size Open WebUI asks for, as `WIDTHxHEIGHT`; it must be a size the image model can
   * make (see `OpenWebUIServiceProps.imageSize`).
   *
   * @default '1024x1024'
   */
  readonly imageSize?: string;

  /**
   * Whether chat models use Open WebUI's native function calling, which offers the model its 27
   * built-in tools (0.12.4) on every turn and lets it decide whether to draw (see
   * `OpenWebUIServiceProps.nativeFunctionCalling`).
   *
   * @default false
   */
  readonly nativeFunctionCalling?: boolean;

  /**
   * The email of the first Open WebUI admin. The password is generated; its secret's ARN is a
   * stack output.
   *
   * @default 'admin@example.com'
   */
  readonly adminEmail?: string;

  /**
   * What happens to the database and file system when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How long container and flow logs are kept.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A private chat and image-generation app on AWS: Open WebUI behind an internet-facing
 * Application Load Balancer, a LiteLLM proxy and Amazon Bedrock, on ECS Fargate in private
 * subnets.
 *
 * `new BedrockImageChat(stack, 'Chat')` deploys everything with secure defaults. The parts are
 * public properties, for alarms, grants and extensions.
 */
export class BedrockImageChat extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.IVpc;

  /** The VPC created by this construct; undefined when you passed `vpc`. */
  public readonly privateVpc?: PrivateBedrockVpc;

  /** The ECS cluster. */
  public readonly cluster: ecs.Cluster;

  /** The LiteLLM proxy. */
  public readonly litellm: LiteLLMService;

  /** Open WebUI. */
  public readonly openWebUI: OpenWebUIService;

  /** The internet-facing load balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;

  /** The listener that forwards to Open WebUI (HTTPS when a certificate is given). */
  public readonly listener: elbv2.ApplicationListener;

  /** The bucket of the load balancer's access logs; undefined when the stack has no region. */
  public readonly accessLogsBucket?: s3.IBucket;

  /** The URL of the app (the load balancer's DNS name; point your own domain at it). */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: BedrockImageChatProps = {}) {
    super(scope, id);
    const allowedCidrs = props.allowedCidrs ?? ['0.0.0.0/0'];
    validateCidrs(allowedCidrs);
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;

    const egress = props.egress ?? InternetEgress.NONE;
    const enableExecuteCommand = props.enableExecuteCommand ?? false;
    if (props.vpc) {
      this.vpc = props.vpc;
      validateOwnVpc(props);
    } else {
      if (egress === InternetEgress.EXISTING) {
        throw new Error('egress is InternetEgress.EXISTING, which needs your own `vpc`; without one, use InternetEgress.NONE, NAT_GATEWAY or NAT_GATEWAY_PER_AZ');
      }
      if (props.maxAzs !== undefined && !Token.isUnresolved(props.maxAzs) && props.maxAzs < 2) {
        throw new Error(
          `maxAzs is ${props.maxAzs}; the load balancer and the database need subnets in at least two availability zones, so use 2 or more (endpointsInOneAz: true keeps the endpoint cost of one zone)`,
        );
      }
      for (const prop of ['loadBalancerSubnets', 'taskSubnets', 'databaseSubnets'] as const) {
        if (props[prop] !== undefined) {
          throw new Error(`${prop} is set, but there is no \`vpc\`; subnet selections apply to your own VPC only (the created VPC places everything itself)`);
        }
      }
      this.privateVpc = new PrivateBedrockVpc(this, 'Network', {
        flowLogRetention: logRetention,
        egress,
        maxAzs: props.maxAzs,
        endpointsInOneAz: props.endpointsInOneAz,
        additionalEndpoints: enableExecuteCommand ? [ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES] : [],
      });
      this.vpc = this.privateVpc.vpc;
    }
    const serviceOptions = { egress, cpuArchitecture: props.cpuArchitecture, enableExecuteCommand };

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    this.litellm = new LiteLLMService(this, 'LiteLLM', {
      ...serviceOptions,
      cluster: this.cluster,
      models: props.models,
      image: props.litellmImage,
      vpcSubnets: props.taskSubnets,
      logRetention,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: this.vpc,
      internetFacing: true,
      vpcSubnets: props.loadBalancerSubnets ?? { subnetType: ec2.SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
      // Image generation can take longer than the 60-second default between bytes.
      idleTimeout: Duration.seconds(120),
    });
    if (Token.isUnresolved(Stack.of(this).region)) {
      // The bucket policy for access logs names the region's load-balancing account, so CDK
      // can only write it for a stack with a concrete region.
      Annotations.of(this).addWarningV2(
        'cdk-bedrock-image-chat:noAccessLogs',
        'The stack has no region, so the load balancer has no access logs. Give the stack an env with a region to turn them on.',
      );
      skipCheckov(this.loadBalancer, { CKV_AWS_91: "The stack has no region: access logs need the region's load-balancing account in the bucket policy (a synth warning says so)." });
      acknowledgeRules(cfnOf(this.loadBalancer), {
        'AwsSolutions-ELB2': "The stack has no region: the access-log bucket policy must name the region's load-balancing account, so access logs are on only for a stack with a region (the synth warning says so).",
      });
    } else {
      this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        // Versioned, so that a log file overwritten or deleted by mistake can be recovered for 30 days.
        versioned: true,
        lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
        removalPolicy: RemovalPolicy.RETAIN,
      });
      skipCheckov(this.accessLogsBucket, { CKV_AWS_18: "This bucket receives the load balancer's access logs; logging its own access into itself would log each log delivery." });
      this.loadBalancer.logAccessLogs(this.accessLogsBucket, 'alb');
      acknowledgeRules(cfnOf(this.accessLogsBucket), {
        'AwsSolutions-S1': "This bucket receives the load balancer's access logs; logging its own access into itself would log each log delivery.",
      });
    }

    // The address users open; Open WebUI needs it for links, CORS and secure cookies.
    this.url = `${props.certificate ? 'https' : 'http'}://${this.loadBalancer.loadBalancerDnsName}`;

    this.openWebUI = new OpenWebUIService(this, 'OpenWebUI', {
      ...serviceOptions,
      cluster: this.cluster,
      image: props.openWebUIImage,
      vpcSubnets: props.taskSubnets,
      databaseSubnets: props.databaseSubnets,
      litellm: this.litellm,
      imageModel: props.imageModel,
      embeddingModel: props.embeddingModel,
      imageSize: props.imageSize,
      nativeFunctionCalling: props.nativeFunctionCalling,
      adminEmail: props.adminEmail,
      publicUrl: this.url,
      removalPolicy: props.removalPolicy,
      logRetention,
    });
    if (this.privateVpc) {
      this.privateVpc.allowEndpointAccessFrom(this.litellm);
      this.privateVpc.allowEndpointAccessFrom(this.openWebUI);
    }

    const targetProps: elbv2.AddApplicationTargetsProps = {
      port: OpenWebUIService.PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.openWebUI.service],
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        path: '/health',
        healthyHttpCodes: '200',
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 5,
      },
    };

    let listenerPorts: number[];
    validateCertificate(this, props.certificate);
    if (props.certificate) {
      this.listener = this.loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [props.certificate],
        sslPolicy: elbv2.SslPolicy.TLS13_RES,
        open: false,
      });
      this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443, open: false });
      listenerPorts = [443, 80];
    } else {
      Annotations.of(this).addWarningV2(
        'cdk-bedrock-image-chat:noCertificate',
        'BedrockImageChat has no certificate: the load balancer serves plain HTTP, so passwords and chats cross the internet unencrypted. Pass `certificate` (an ACM certificate for your domain) to serve HTTPS.',
      );
      this.listener = this.loadBalancer.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
      });
      const noCertificate = 'No certificate was given, so the app is served over plain HTTP, with a synth warning; pass `certificate` for HTTPS with a TLS 1.3 policy.';
      skipCheckov(this.listener, { CKV_AWS_2: noCertificate, CKV_AWS_103: noCertificate });
      listenerPorts = [80];
    }
    this.listener.addTargets('OpenWebUI', targetProps);

    for (const cidr of allowedCidrs) {
      for (const port of listenerPorts) {
        this.loadBalancer.connections.allowFrom(ec2.Peer.ipv4(cidr), ec2.Port.tcp(port), `Clients from ${cidr}`);
      }
    }
    if (allowedCidrs.includes('0.0.0.0/0')) {
      if (!props.certificate) {
        skipCheckov(this.loadBalancer.connections.securityGroups[0], {
          CKV_AWS_260: 'HTTP from anywhere only while there is no certificate and allowedCidrs includes 0.0.0.0/0 (both with synth warnings).',
        });
      }
      acknowledgeRules(this.loadBalancer.connections.securityGroups[0], {
        'AwsSolutions-EC23': 'allowedCidrs includes 0.0.0.0/0 (the default, with a synth warning): the app is meant to be reached from the internet, behind its own sign-in. Set allowedCidrs to your ranges to close it.',
      });
      Annotations.of(this).addWarningV2(
        'cdk-bedrock-image-chat:openToInternet',
        'BedrockImageChat is reachable from any address (allowedCidrs includes 0.0.0.0/0). Set `allowedCidrs` to your network ranges if the app is not meant for the whole internet.',
      );
    }

    new CfnOutput(this, 'Url', { value: this.url, description: 'URL of the chat app' });
    new CfnOutput(this, 'AdminEmail', { value: this.openWebUI.adminEmail, description: 'Email of the first admin account' });
    new CfnOutput(this, 'AdminCredentialsSecretArn', {
      value: this.openWebUI.adminSecret.secretArn,
      description: 'Secrets Manager secret with the first admin password (key: password)',
    });
    new CfnOutput(this, 'LiteLLMMasterKeySecretArn', {
      value: this.litellm.masterKey.secretArn,
      description: 'Secrets Manager secret with the LiteLLM master key (sk-...)',
    });
  }
}

function validateCidrs(cidrs: string[]): void {
  if (Token.isUnresolved(cidrs)) {
    throw new Error(
      'allowedCidrs is a list token (a deploy-time list); the load balancer gets one security group rule per range, so the number of ranges must be known at synth. Pass an array whose items may each be a token, for example [param.valueAsString]',
    );
  }
  if (cidrs.length === 0) {
    throw new Error('allowedCidrs is empty, so nobody could reach the app; list the IPv4 ranges of your users, for example [\'203.0.113.0/24\']');
  }
  for (const cidr of cidrs) {
    if (Token.isUnresolved(cidr)) continue;
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!match || match.slice(1, 5).some((o) => Number(o) > 255) || Number(match[5]) > 32) {
      throw new Error(`allowedCidrs contains '${cidr}', which is not an IPv4 CIDR range; use a form like '203.0.113.0/24'`);
    }
  }
}

function selectOrNone(vpc: ec2.IVpc, selection: ec2.SubnetSelection): ec2.ISubnet[] {
  try {
    return vpc.selectSubnets(selection).subnets;
  } catch {
    return [];
  }
}

/**
 * Checks a certificate whose ARN is known at synth: an ACM certificate (the HTTPS listener takes
 * only those), in the stack's region (a load balancer cannot use one from another region).
 */
function validateCertificate(scope: Construct, certificate: acm.ICertificate | undefined): void {
  const arn = certificate?.certificateArn;
  if (arn === undefined || Token.isUnresolved(arn)) return;
  const match = /^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.*)$/.exec(arn);
  if (!match || match[1] !== 'acm' || !match[4].startsWith('certificate/')) {
    throw new Error(`certificate is '${arn}', which is not an ACM certificate ARN; use a certificate from AWS Certificate Manager, for example acm.Certificate.fromCertificateArn(this, 'Cert', 'arn:aws:acm:us-west-2:111122223333:certificate/...')`);
  }
  const region = Stack.of(scope).region;
  if (!Token.isUnresolved(region) && match[2] !== region) {
    throw new Error(
      `certificate is '${arn}', an ACM certificate in ${match[2]}, but the stack is in ${region}; a load balancer uses certificates of its own region only: request or import the certificate in ${region}`,
    );
  }
}

/** Checks that a VPC you bring has the subnets the app needs. */
function validateOwnVpc(props: BedrockImageChatProps): void {
  const vpc = props.vpc!;
  if (props.maxAzs !== undefined || props.endpointsInOneAz !== undefined) {
    throw new Error('maxAzs and endpointsInOneAz shape the VPC this construct creates; with your own `vpc`, set them on that VPC instead');
  }
  if (props.egress === InternetEgress.NAT_GATEWAY || props.egress === InternetEgress.NAT_GATEWAY_PER_AZ) {
    throw new Error(
      `egress is InternetEgress.${props.egress}, which adds NAT gateways to the VPC this construct creates; with your own \`vpc\`, use InternetEgress.EXISTING if its task subnets reach the internet, or InternetEgress.NONE if they do not`,
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
        `${prop} selects ${subnets.length} subnet(s) in ${zones.size} availability zone(s) of your vpc; ${needed} needs subnets in at least two availability zones. Pass ${prop} (a subnet selection) or give the VPC such subnets`,
      );
    }
  };
  check('loadBalancerSubnets', props.loadBalancerSubnets, { subnetType: ec2.SubnetType.PUBLIC }, 'the internet-facing load balancer (public subnets)');
  const loadBalancerSubnets = selectOrNone(vpc, props.loadBalancerSubnets ?? { subnetType: ec2.SubnetType.PUBLIC });
  const notPublic = loadBalancerSubnets.filter((s) => !vpc.publicSubnets.includes(s) && [...vpc.privateSubnets, ...vpc.isolatedSubnets].includes(s));
  if (notPublic.length > 0) {
    throw new Error(
      `loadBalancerSubnets selects ${notPublic.map((s) => s.node.id).join(', ')}, which ${notPublic.length === 1 ? 'is' : 'are'} not public; the internet-facing load balancer needs public subnets (with a route to an internet gateway), for example { subnetType: ec2.SubnetType.PUBLIC }`,
    );
  }
  const taskDefault = defaultTaskSubnets(vpc);
  const taskSubnets = selectOrNone(vpc, props.taskSubnets ?? taskDefault);
  if (props.egress === InternetEgress.EXISTING && taskSubnets.length > 0 && taskSubnets.every((s) => vpc.isolatedSubnets.includes(s))) {
    throw new Error(
      `egress is InternetEgress.EXISTING, but the task subnets (${taskSubnets.map((s) => s.node.id).join(', ')}) are isolated: they have no route to the internet. Choose subnets with a NAT route as taskSubnets, or use InternetEgress.NONE (the tasks then reach AWS through VPC endpoints)`,
    );
  }
  check('taskSubnets', props.taskSubnets, taskDefault, 'the tasks (private subnets)');
  check('databaseSubnets', props.databaseSubnets, props.taskSubnets ?? taskDefault, 'the database');
}
