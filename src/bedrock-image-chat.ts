import { CfnOutput, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BedrockModel } from './bedrock-model';
import { DataBackupOptions } from './data-backup';
import { DatabaseOptions } from './database-options';
import { DeploymentSize } from './deployment-size';
import { FileStorage } from './file-storage';
import { FrontDoor } from './front-door';
import { InternetEgress } from './internet-egress';
import { LiteLLMOptions, LiteLLMService } from './litellm-service';
import { MonitoringOptions } from './monitoring';
import { NetworkOptions } from './network-options';
import { OffHoursSchedule } from './off-hours';
import { OpenWebUIOptions, OpenWebUIService } from './open-webui-service';
import { validateCdn } from './private/cdn';
import { createChatNetwork } from './private/chat-network';
import { checkProps, frontDoorWebAcl, LITELLM_OPTIONS, OPEN_WEBUI_OPTIONS, sizeServices } from './private/chat-options';
import { createFrontDoor, FrontDoorOptions, serveOpenWebUI } from './private/front-door';
import { scheduleOffHours } from './private/off-hours';
import { OIDC_CALLBACK_PATH } from './private/open-webui-environment';
import { createOperations } from './private/operations';
import { groupPaths, writtenAs } from './private/prop-names';
import { defaultTaskSubnets } from './private/validation';
import { PrivateBedrockVpc } from './private-bedrock-vpc';
import { SignIn } from './sign-in';

/**
 * Properties of a {@link BedrockImageChat}. Every prop is optional: `new BedrockImageChat(stack, 'Chat')`
 * deploys the app with HTTPS, no NAT gateway and models callable from the stack's region.
 */
export interface BedrockImageChatProps {
  /**
   * Your own VPC to deploy into. It must provide:
   * - private subnets in two or more availability zones for the tasks and the database
   *   (or `network.taskSubnets`/`network.databaseSubnets`);
   * - an internet gateway (a public subnet) for CloudFront's VPC origin, or public subnets in two
   *   zones for an internet-facing load balancer (or `network.loadBalancerSubnets`);
   * - with `network.egress` `InternetEgress.NONE`, interface endpoints with private DNS for `ecr.api`,
   *   `ecr.dkr`, `logs`, `secretsmanager` and `bedrock-runtime` (plus `ssmmessages` for ECS Exec),
   *   reachable over HTTPS from the tasks, and the S3 gateway endpoint on the task subnets' route
   *   tables; with `InternetEgress.EXISTING`, a route to the internet from the task subnets.
   *
   * @default - a new `PrivateBedrockVpc` (two AZs, no NAT gateway, VPC endpoints)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * How the tasks reach the internet, and where they, the load balancer and the database run.
   *
   * @default - no internet egress; the subnets of the created VPC
   */
  readonly network?: NetworkOptions;

  /**
   * The Bedrock models LiteLLM serves: at least one chat and one embedding model, and an image
   * model for image generation.
   *
   * @default - models the tasks can call from the stack's region with the chosen egress (see
   * `LiteLLMServiceProps.models`): Claude Haiku 4.5, Titan Text Embeddings v2, and Stable Image
   * Core v1.1 in us-west-2 where it is reachable; elsewhere chat only, with a warning
   */
  readonly models?: BedrockModel[];

  /**
   * Sign-in through an OpenID Connect identity provider, next to the email and password form:
   * `SignIn.google(...)`, `SignIn.microsoftEntraId(...)`, `SignIn.cognito(...)` (your user pool),
   * `SignIn.newCognitoUserPool()` (a pool created with the app) or `SignIn.oidc(...)`.
   *
   * Needs internet egress (`network: { egress: InternetEgress.NAT_GATEWAY }`): Open WebUI talks to
   * the provider itself. Register the `OAuthRedirectUri` output at the provider.
   *
   * @default - email and password only
   */
  readonly signIn?: SignIn;

  /**
   * How users reach the app: `FrontDoor.cloudFront(...)` (HTTPS through CloudFront to an internal
   * load balancer), `FrontDoor.loadBalancer(...)` (HTTPS on the load balancer with your
   * certificate or domain; internet-facing or internal) or `FrontDoor.plainHttp(...)`.
   *
   * CloudFront is the default because it gives HTTPS without a domain or a certificate: with the
   * load balancer alone, HTTPS needs a certificate for a name you own, and without one passwords
   * and chats would cross the internet unencrypted. It has no fixed monthly cost.
   *
   * @default FrontDoor.cloudFront()
   */
  readonly frontDoor?: FrontDoor;

  /**
   * How much the deployment runs: tasks and their size, the database, and Redis when Open WebUI
   * runs more than one task (see `DeploymentSize` for the table). `litellm`, `openWebUI` and
   * `database` override single values of the size.
   *
   * @default DeploymentSize.SMALL
   */
  readonly size?: DeploymentSize;

  /**
   * The LiteLLM proxy: its tasks (image, CPU, memory, scaling, Spot) and providers outside Bedrock.
   *
   * @default - the tasks of `size`, Bedrock only
   */
  readonly litellm?: LiteLLMOptions;

  /**
   * Open WebUI: its tasks (image, CPU, memory, scaling, Spot, Redis), the models it draws and embeds
   * with, who may use which chat model (`modelAccess`), the first admin and its settings.
   *
   * @default - the tasks of `size`, every chat model open to every user
   */
  readonly openWebUI?: OpenWebUIOptions;

  /**
   * The PostgreSQL database: instance type, Multi-AZ standby, automated backups.
   *
   * @default - from `size`
   */
  readonly database?: DatabaseOptions;

  /**
   * Where the files users upload live: an EFS file system or an S3 bucket (see `FileStorage`).
   *
   * @default FileStorage.EFS
   */
  readonly fileStorage?: FileStorage;

  /**
   * The daily AWS Backup plan of the database and the file system, in its own vault, with an
   * optional copy to another region (see `DataBackupOptions`).
   *
   * @default - daily at 03:00 UTC, kept 7 days, no copy
   */
  readonly backup?: DataBackupOptions;

  /**
   * Alarms (with an optional SNS topic or email) and a CloudWatch dashboard.
   *
   * @default - alarms and dashboard, notifying nobody
   */
  readonly monitoring?: MonitoringOptions;

  /**
   * Fewer tasks outside working hours: both services scale to no task (one with `keepOneTask`) at
   * `stop` and back at `start`, in the schedule's time zone. With no task the load balancer
   * answers with a fixed "closed" page instead of a bare 503. The database, Redis and the load
   * balancer keep running (and costing).
   *
   * @default - the same tasks around the clock
   */
  readonly offHours?: OffHoursSchedule;

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
   * What happens to the database and file system when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How long container, web ACL and flow logs are kept.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A private chat and image-generation app on AWS: Open WebUI behind HTTPS (Amazon CloudFront in
 * front of an internal Application Load Balancer by default), a LiteLLM proxy and Amazon Bedrock,
 * on ECS Fargate in private subnets.
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

  /** The load balancer in front of Open WebUI (internal behind CloudFront). */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;

  /** The listener that forwards to Open WebUI (HTTPS with `FrontDoor.loadBalancer`). */
  public readonly listener: elbv2.ApplicationListener;

  /** The alarms (empty with `monitoring.alarms: false`). */
  public readonly alarms: cloudwatch.Alarm[];

  /** The topic the alarms notify, when one was given or created for `monitoring.alarmEmail`. */
  public readonly alarmTopic?: sns.ITopic;

  /** The CloudWatch dashboard; undefined with `monitoring.dashboard: false`. */
  public readonly dashboard?: cloudwatch.Dashboard;

  /** The CloudFront distribution in front of the load balancer, with `FrontDoor.cloudFront` (the default). */
  public readonly distribution?: cloudfront.Distribution;

  /** The bucket of the load balancer's access logs; undefined when the stack has no region. */
  public readonly accessLogsBucket?: s3.IBucket;

  /**
   * The Amazon Cognito user pool created for sign-in by `SignIn.newCognitoUserPool()`; undefined
   * with any other sign-in.
   */
  public readonly userPool?: cognito.IUserPool;

  /**
   * The URL of the app: `https://<domainName>`; else, behind CloudFront (the default),
   * `https://<distribution domain name>`; else the load balancer's DNS name (`http://` only with
   * `FrontDoor.plainHttp`).
   */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: BedrockImageChatProps = {}) {
    super(scope, id);
    const door = checkProps(props);
    const network = props.network ?? {};
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    const egress = network.egress ?? InternetEgress.NONE;
    const enableExecuteCommand = props.enableExecuteCommand ?? false;
    const cloudFront = door.kind === 'cloudFront';
    if (cloudFront) validateCdn(this, { ...door, ...frontDoorWebAcl(door) });
    const sized = sizeServices(props);
    const built = createChatNetwork(this, {
      ...network,
      // Endpoints in a second zone keep nothing up that is not already down with one zone: one
      // Open WebUI task and a single-zone database (the SMALL size).
      endpointsInOneAz: network.endpointsInOneAz
        ?? (props.vpc === undefined && sized.openWebUIRange.maxTasks === 1 && !sized.database.multiAz ? true : undefined),
      vpc: props.vpc,
      internetFacing: door.internetFacing,
      cloudFront: { on: cloudFront, byDefault: props.frontDoor === undefined },
    }, { egress, logRetention, enableExecuteCommand });
    this.vpc = built.vpc;
    this.privateVpc = built.privateVpc;
    const serviceOptions = { egress, cpuArchitecture: props.cpuArchitecture, enableExecuteCommand };

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    this.litellm = new LiteLLMService(this, 'LiteLLM', writtenAs({
      ...serviceOptions,
      ...props.litellm,
      ...sized.litellm,
      cluster: this.cluster,
      models: props.models,
      taskSubnets: network.taskSubnets,
      logRetention,
    }, { ...groupPaths('litellm', LITELLM_OPTIONS), egress: 'network.egress' }));
    const frontDoorOptions: FrontDoorOptions = {
      ...frontDoorWebAcl(door),
      name: door.name,
      vpc: this.vpc,
      internetFacing: door.internetFacing,
      subnets: network.loadBalancerSubnets
        ?? (door.internetFacing ? { subnetType: ec2.SubnetType.PUBLIC } : network.taskSubnets ?? defaultTaskSubnets(this.vpc)),
      // An internal load balancer answers inside the VPC (and the networks routed to it) by default.
      allowedCidrs: door.allowedCidrs ?? (door.internetFacing ? ['0.0.0.0/0'] : [this.vpc.vpcCidrBlock]),
      certificate: door.certificate,
      domainName: door.domainName,
      hostedZone: door.hostedZone,
      contentSecurityPolicy: door.contentSecurityPolicy,
      cloudFront,
      logRetention,
    };
    const frontDoor = createFrontDoor(this, frontDoorOptions);
    this.loadBalancer = frontDoor.loadBalancer;
    this.accessLogsBucket = frontDoor.accessLogsBucket;
    this.distribution = frontDoor.distribution;
    // The address users open; Open WebUI needs it for links, OAuth redirects, CORS and secure cookies.
    this.url = frontDoor.url;

    this.openWebUI = new OpenWebUIService(this, 'OpenWebUI', writtenAs({
      ...serviceOptions,
      ...props.openWebUI,
      ...sized.openWebUI,
      cluster: this.cluster,
      taskSubnets: network.taskSubnets,
      databaseSubnets: network.databaseSubnets,
      litellm: this.litellm,
      database: sized.database,
      backup: props.backup,
      fileStorage: props.fileStorage,
      signIn: props.signIn,
      publicUrl: this.url,
      removalPolicy: props.removalPolicy,
      logRetention,
    }, { ...groupPaths('openWebUI', OPEN_WEBUI_OPTIONS), egress: 'network.egress' }));
    this.userPool = this.openWebUI.userPool;
    if (this.privateVpc) {
      this.privateVpc.allowEndpointAccessFrom(this.litellm);
      this.privateVpc.allowEndpointAccessFrom(this.openWebUI);
    }

    const { listener, targetGroup } = serveOpenWebUI(this, frontDoor, frontDoorOptions, this.openWebUI, OpenWebUIService.PORT);
    this.listener = listener;
    if (props.offHours !== undefined) {
      scheduleOffHours(this, props.offHours, [
        { scalable: this.openWebUI, ...sized.openWebUIRange },
        { scalable: this.litellm, ...sized.litellmRange },
      ], listener, targetGroup);
    }

    const operations = createOperations(this, {
      ...props.monitoring,
      litellm: this.litellm,
      openWebUI: this.openWebUI,
      loadBalancer: this.loadBalancer,
      targetGroup,
      databaseInstanceType: sized.database.instanceType,
    });
    this.alarms = operations.alarms;
    this.alarmTopic = operations.alarmTopic;
    this.dashboard = operations.dashboard;

    this.addOutputs(props.signIn !== undefined);
  }

  /** The stack outputs: the URL, the redirect URI to register, and where the first admin's and the proxy's secrets are. */
  private addOutputs(signIn: boolean): void {
    new CfnOutput(this, 'Url', { value: this.url, description: 'URL of the chat app' });
    if (signIn) {
      new CfnOutput(this, 'OAuthRedirectUri', {
        value: `${this.url}${OIDC_CALLBACK_PATH}`,
        description: 'Redirect URI to register at the identity provider',
      });
    }
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

