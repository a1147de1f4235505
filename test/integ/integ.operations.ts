/**
 * Integration test: a deployment as a platform team runs it for the company: the app at its own
 * domain on an internet-facing load balancer (a DNS-validated certificate and an alias record in
 * your hosted zone), a NAT gateway, sign-in through an Amazon Cognito user pool created with it, mailed alarms,
 * a Bedrock guardrail, and chats deleted after 30 days. Checked from outside: the domain answers
 * Open WebUI's health endpoint, both services run their tasks, and the guardrail exists.
 *
 * A maintainer sets INTEG_DOMAIN_NAME, INTEG_HOSTED_ZONE_ID and INTEG_ZONE_NAME (a public hosted
 * zone they own) and INTEG_ALARM_EMAIL before deploying; the committed snapshot uses the example
 * values below.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { expectHealthy } from './expectations';
import { BedrockGuardrail, BedrockImageChat, FrontDoor, InternetEgress, SignIn } from '../../src';

const app = new App();
const stack = new Stack(app, 'integ-operations', { env: { region: 'us-west-2' } });
const guardrail = BedrockGuardrail.create();
const chat = new BedrockImageChat(stack, 'Chat', {
  frontDoor: FrontDoor.loadBalancer({
    domainName: process.env.INTEG_DOMAIN_NAME ?? 'chat.integ.example.com',
    hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
      hostedZoneId: process.env.INTEG_HOSTED_ZONE_ID ?? 'Z0123456789ABC',
      zoneName: process.env.INTEG_ZONE_NAME ?? 'integ.example.com',
    }),
  }),
  // Open WebUI talks to Cognito's endpoints itself: sign-in needs internet egress.
  network: { egress: InternetEgress.NAT_GATEWAY },
  signIn: SignIn.newCognitoUserPool(),
  monitoring: { alarmEmail: process.env.INTEG_ALARM_EMAIL ?? 'chat-ops@example.com' },
  litellm: { guardrail },
  openWebUI: { chatRetention: Duration.days(30) },
  removalPolicy: RemovalPolicy.DESTROY,
});

// The assertions run in a stack of the same region, since they read the app's resources.
const assertions = new Stack(app, 'integ-operations-assertions', { env: { region: 'us-west-2' } });
const integ = new IntegTest(app, 'DomainSignInOperations', { testCases: [stack], regions: ['us-west-2'], assertionStack: assertions });
expectHealthy(integ, chat, { litellm: 1, openWebUI: 1 });
// The guardrail the proxy applies exists and is ready.
integ.assertions.awsApiCall('Bedrock', 'getGuardrail', { guardrailIdentifier: chat.litellm.guardrail!.guardrailId })
  .expect(ExpectedResult.objectLike({ status: 'READY' }));
