/**
 * The TypeScript twin of the consumer apps in consumers/<language>/: the same stack with the same
 * non-default props. .ci/consumers.sh synthesizes each and compares their templates.
 *
 *   ts-node --project example/tsconfig.json consumers/typescript/app.ts <outdir>
 */
import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { BedrockImageChat, BedrockModel, FrontDoor, InternetEgress, WebFirewall } from '../../src';

const app = new App({ outdir: process.argv[2] ?? 'cdk.out/consumer-typescript' });
const stack = new Stack(app, 'Consumer', { env: { account: '111111111111', region: 'us-west-2' } });
new BedrockImageChat(stack, 'Chat', {
  network: { egress: InternetEgress.NAT_GATEWAY },
  models: [
    BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL,
    BedrockModel.ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL,
    BedrockModel.STABILITY_STABLE_IMAGE_ULTRA_V1_1,
    BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2,
  ],
  frontDoor: FrontDoor.loadBalancer({
    certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', 'arn:aws:acm:us-west-2:111111111111:certificate/consumer'),
    allowedCidrs: ['203.0.113.0/24'],
    webFirewall: WebFirewall.managedRules({ rateLimit: 1000 }),
  }),
  litellm: { scaling: { minTasks: 1, maxTasks: 3 } },
  openWebUI: {
    imageModel: BedrockModel.STABILITY_STABLE_IMAGE_ULTRA_V1_1,
    imageSize: '1024x576',
    adminEmail: 'it@example.com',
    modelAccess: [{ model: BedrockModel.ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL, groups: ['research'] }],
  },
  database: { multiAz: true },
});
app.synth();
