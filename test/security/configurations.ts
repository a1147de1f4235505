import { App, CfnResource, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import {
  BedrockGuardrail, BedrockImageChat, BedrockModel, DeploymentSize, FileStorage, FrontDoor, InternetEgress, LiteLLMService,
  OpenWebUIService, PrivateBedrockVpc, SensitiveInformationAction, SignIn, WebFirewall,
} from '../../src';

/**
 * The example configurations the security gate checks: the one-line default, HTTPS with allowed
 * ranges and off hours, NAT egress with files in S3 in another region, a brought VPC, your domain with a web ACL, a Cognito user pool
 * created with the app, CloudFront alone and with a web ACL, the MEDIUM size (Redis,
 * autoscaling, Multi-AZ, Spot, mailed alarms, a Bedrock guardrail, chat retention), an internal load balancer, and the parts composed by hand.
 */
export const CONFIGURATIONS: Record<string, (stack: Stack) => void> = {
  'default': (stack) => {
    new BedrockImageChat(stack, 'Chat');
  },
  'https': (stack) => {
    new BedrockImageChat(stack, 'Chat', {
      offHours: { stop: { hour: '20', minute: '0', weekDay: 'MON-FRI' }, start: { hour: '7', minute: '0', weekDay: 'MON-FRI' }, timeZone: TimeZone.EUROPE_LISBON },
      openWebUI: { adminEmail: 'it@example.com' },
      frontDoor: FrontDoor.loadBalancer({ certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', `arn:aws:acm:${stack.region}:111111111111:certificate/0a1b2c3d-0000-4000-8000-000000000000`), allowedCidrs: ['203.0.113.0/24'] }),
    });
  },
  'nat': (stack) => {
    new BedrockImageChat(stack, 'Chat', {
      fileStorage: FileStorage.S3,
      models: [
        BedrockModel.ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL,
        BedrockModel.STABILITY_STABLE_IMAGE_ULTRA_V1_1,
        BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2,
      ],
      network: { egress: InternetEgress.NAT_GATEWAY },
    });
  },
  'brought-vpc': (stack) => {
    const vpc = new ec2.Vpc(stack, 'Mine', {
      natGateways: 0,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
      flowLogs: { All: {} },
    });
    // The user's own flow-log group: a user would record their own skip (or use a KMS key).
    const flowLogGroup = vpc.node.findChild('All').node.findChild('LogGroup').node.defaultChild as CfnResource;
    flowLogGroup.addMetadata('checkov', { skip: [{ id: 'CKV_AWS_158', comment: 'Example VPC of the gate: AWS-managed encryption' }] });
    new BedrockImageChat(stack, 'Chat', { vpc });
  },
  'domain-waf': (stack) => {
    new BedrockImageChat(stack, 'Chat', {
      frontDoor: FrontDoor.loadBalancer({ domainName: 'chat.example.com', hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' }), webFirewall: WebFirewall.managedRules() }),
    });
  },
  'cognito': (stack) => {
    new BedrockImageChat(stack, 'Chat', {
      signIn: SignIn.newCognitoUserPool(),
      network: { egress: InternetEgress.NAT_GATEWAY },
      frontDoor: FrontDoor.loadBalancer({ domainName: 'chat.example.com', hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' }) }),
    });
  },
  'cloudfront': (stack) => {
    new BedrockImageChat(stack, 'Chat', { frontDoor: FrontDoor.cloudFront() });
  },
  'cloudfront-waf': (stack) => {
    new BedrockImageChat(stack, 'Chat', {
      frontDoor: FrontDoor.cloudFront({ domainName: 'chat.example.com', hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' }), webFirewall: WebFirewall.managedRules() }),
    });
  },
  'medium': (stack) => {
    new BedrockImageChat(stack, 'Chat', {
      size: DeploymentSize.MEDIUM,
      monitoring: { alarmEmail: 'ops@example.com' },
      litellm: {
        spot: true,
        guardrail: BedrockGuardrail.create({
          deniedTopics: [{ name: 'Investment advice', definition: 'Recommendations on which assets to buy or sell.' }],
          sensitiveInformation: [{ type: 'EMAIL', action: SensitiveInformationAction.ANONYMIZE }],
        }),
      },
      openWebUI: { spot: true, chatRetention: Duration.days(90) },
      frontDoor: FrontDoor.plainHttp({ allowedCidrs: ['203.0.113.0/24'] }),
    });
  },
  'internal': (stack) => {
    new BedrockImageChat(stack, 'Chat', { frontDoor: FrontDoor.plainHttp({ internetFacing: false, allowedCidrs: ['10.0.0.0/8'] }) });
  },
  'composed': (stack) => {
    const network = new PrivateBedrockVpc(stack, 'Network');
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: network.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const litellm = new LiteLLMService(stack, 'LiteLLM', { cluster });
    const webui = new OpenWebUIService(stack, 'WebUI', { cluster, litellm, publicUrl: 'https://chat.example.com' });
    network.allowEndpointAccessFrom(litellm);
    network.allowEndpointAccessFrom(webui);
  },
};

/** The region each configuration is checked in (the default and the composed parts also without one). */
export const REGIONS: Record<string, string | undefined> = {
  'default': undefined,
  'https': 'us-west-2',
  'nat': 'us-east-1',
  'brought-vpc': 'eu-west-1',
  'domain-waf': 'eu-central-1',
  'cognito': 'eu-west-1',
  'cloudfront': 'eu-west-1',
  'cloudfront-waf': 'us-east-1',
  'medium': 'us-west-2',
  'internal': 'ap-southeast-2',
  'composed': 'us-west-2',
};

/** A synthesized stack of one configuration. */
export function synthesize(name: string, outdir?: string): { app: App; stack: Stack } {
  const app = new App(outdir === undefined ? {} : { outdir });
  const region = REGIONS[name];
  const stack = new Stack(app, `Gate-${name}`, region === undefined ? {} : { env: { account: '111111111111', region } });
  CONFIGURATIONS[name](stack);
  app.synth();
  return { app, stack };
}
