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
import { PrivateBedrockVpc } from './private-bedrock-vpc';

/**
 * Properties of a {@link BedrockImageChat}.
 */
export interface BedrockImageChatProps {
  /**
   * The VPC to deploy into. It needs public subnets for the load balancer and private isolated
   * subnets for the tasks, with the VPC endpoints `PrivateBedrockVpc` creates (or egress).
   *
   * @default - a new `PrivateBedrockVpc`: two AZs, no NAT gateway, VPC endpoints
   */
  readonly vpc?: ec2.IVpc;

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
   * The Bedrock models LiteLLM serves: at least one chat, one image and one embedding model.
   *
   * @default - Claude Haiku 4.5 (global inference profile), Stable Image Core v1.1 (us-west-2) and Titan Text Embeddings v2
   */
  readonly models?: BedrockModel[];

  /**
   * The model Open WebUI generates images with; one of `models`.
   *
   * @default - the first image model in `models`
   */
  readonly imageModel?: BedrockModel;

  /**
   * The model Open WebUI embeds documents with; one of `models`.
   *
   * @default - the first embedding model in `models`
   */
  readonly embeddingModel?: BedrockModel;

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

    if (props.vpc) {
      this.vpc = props.vpc;
    } else {
      this.privateVpc = new PrivateBedrockVpc(this, 'Network', { flowLogRetention: logRetention });
      this.vpc = this.privateVpc.vpc;
    }

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    this.litellm = new LiteLLMService(this, 'LiteLLM', {
      cluster: this.cluster,
      models: props.models,
      logRetention,
    });
    this.openWebUI = new OpenWebUIService(this, 'OpenWebUI', {
      cluster: this.cluster,
      litellm: this.litellm,
      imageModel: props.imageModel,
      embeddingModel: props.embeddingModel,
      adminEmail: props.adminEmail,
      removalPolicy: props.removalPolicy,
      logRetention,
    });
    if (this.privateVpc) {
      this.privateVpc.allowEndpointAccessFrom(this.litellm);
      this.privateVpc.allowEndpointAccessFrom(this.openWebUI);
    }

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: this.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
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
    } else {
      this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        enforceSSL: true,
        lifecycleRules: [{ expiration: Duration.days(365) }],
        removalPolicy: RemovalPolicy.RETAIN,
      });
      this.loadBalancer.logAccessLogs(this.accessLogsBucket, 'alb');
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
      this.url = `https://${this.loadBalancer.loadBalancerDnsName}`;
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
      listenerPorts = [80];
      this.url = `http://${this.loadBalancer.loadBalancerDnsName}`;
    }
    this.listener.addTargets('OpenWebUI', targetProps);

    for (const cidr of allowedCidrs) {
      for (const port of listenerPorts) {
        this.loadBalancer.connections.allowFrom(ec2.Peer.ipv4(cidr), ec2.Port.tcp(port), `Clients from ${cidr}`);
      }
    }
    if (allowedCidrs.includes('0.0.0.0/0')) {
      Annotations.of(this).addWarningV2(
        'cdk-bedrock-image-chat:openToInternet',
        'BedrockImageChat is reachable from any address (allowedCidrs includes 0.0.0.0/0). Set `allowedCidrs` to your network ranges if the app is not meant for the whole internet.',
      );
    }

    new CfnOutput(this, 'Url', { value: this.url, description: 'URL of the chat app' });
    new CfnOutput(this, 'AdminCredentialsSecretArn', {
      value: this.openWebUI.adminSecret.secretArn,
      description: 'Secrets Manager secret with the first admin email and password',
    });
    new CfnOutput(this, 'LiteLLMMasterKeySecretArn', {
      value: this.litellm.masterKey.secretArn,
      description: 'Secrets Manager secret with the LiteLLM master key (sk-...)',
    });
  }
}

function validateCidrs(cidrs: string[]): void {
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
