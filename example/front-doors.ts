// Example apps for the notable front doors, each a stack of its own: your domain with Google
// sign-in (NAT egress), a Cognito user pool created with the app, an intranet-only app behind an
// internal load balancer, and CloudFront with AWS WAF. `npx ts-node --project example/tsconfig.json
// example/front-doors.ts` synthesizes them to cdk.out/front-doors/ without AWS credentials and
// prints a summary of each; test/examples.test.ts checks what each is for.
import * as path from 'path';
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { summarize } from './summary';
import { BedrockImageChat, FrontDoor, InternetEgress, SignIn, WebFirewall } from '../src';

/** Where the examples deploy: your account (from the CLI's profile), a fixed region. */
const env = (region: string): StackProps['env'] => ({ account: process.env.CDK_DEFAULT_ACCOUNT, region });

/** Your public hosted zone, by id and name (HostedZone.fromLookup would need AWS credentials at synth). */
const zone = (stack: Stack) => route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' });

/** The example stacks, by name. */
export const FRONT_DOORS: Record<string, (app: App) => Stack> = {
  /** chat.example.com over HTTPS, Google Workspace accounts of example.com; Open WebUI reaches Google through NAT. */
  GoogleSignIn: (app) => {
    const stack = new Stack(app, 'ChatWithGoogleSignIn', { env: env('eu-west-1') });
    new BedrockImageChat(stack, 'Chat', {
      signIn: SignIn.google({
        clientId: '1234567890-abc.apps.googleusercontent.com',
        clientSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'GoogleClientSecret', 'chat/google-client-secret'),
        allowedEmailDomains: ['example.com'],
        passwordSignIn: false,
      }),
      network: { egress: InternetEgress.NAT_GATEWAY },
      frontDoor: FrontDoor.loadBalancer({ domainName: 'chat.example.com', hostedZone: zone(stack) }),
    });
    return stack;
  },

  /** A Cognito user pool created with the app: you create the users and put them in `admins` or `users`. */
  CognitoUserPool: (app) => {
    const stack = new Stack(app, 'ChatWithCognito', { env: env('us-west-2') });
    new BedrockImageChat(stack, 'Chat', {
      signIn: SignIn.newCognitoUserPool(),
      network: { egress: InternetEgress.NAT_GATEWAY },
      frontDoor: FrontDoor.loadBalancer({ domainName: 'chat.example.com', hostedZone: zone(stack) }),
    });
    return stack;
  },

  /** Intranet only: an internal load balancer answering your corporate ranges (VPN, Direct Connect), no internet egress. */
  Intranet: (app) => {
    const stack = new Stack(app, 'ChatOnTheIntranet', { env: env('us-west-2') });
    new BedrockImageChat(stack, 'Chat', {
      frontDoor: FrontDoor.loadBalancer({ domainName: 'chat.example.com', hostedZone: zone(stack), internetFacing: false, allowedCidrs: ['10.0.0.0/8'] }),
    });
    return stack;
  },

  /** CloudFront in front (the load balancer has no public address), AWS WAF on CloudFront: a us-east-1 stack. */
  CloudFrontWithWaf: (app) => {
    const stack = new Stack(app, 'ChatBehindCloudFront', { env: env('us-east-1') });
    new BedrockImageChat(stack, 'Chat', {
      frontDoor: FrontDoor.cloudFront({ domainName: 'chat.example.com', hostedZone: zone(stack), webFirewall: WebFirewall.managedRules() }),
    });
    return stack;
  },
};

if (require.main === module) {
  const outdir = path.join(__dirname, '..', 'cdk.out', 'front-doors');
  const app = new App({ outdir });
  const stacks = Object.values(FRONT_DOORS).map((build) => build(app));
  const assembly = app.synth();
  for (const stack of stacks) {
    const artifact = assembly.getStackByName(stack.stackName);
    console.log(`\n${stack.stackName}: ${path.relative(process.cwd(), path.join(outdir, artifact.templateFile))}`);
    console.log(summarize(artifact.template, outdir));
  }
}
