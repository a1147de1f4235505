import { CfnParameter, Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BedrockImageChat, BedrockImageChatProps, BedrockModel, BedrockModelKind, FrontDoor, InternetEgress, LiteLLMService, LiteLLMServiceProps, OpenWebUIService, OpenWebUIServiceProps, PrivateBedrockVpc } from '../../src';
import { newStack } from '../util';

/**
 * Bad input, table-driven: every case throws at synth with a message that names the prop, shows
 * the value and says what to do instead. (More cases, for the model factories and image sizes,
 * are in bedrock-model.test.ts and image-size.test.ts.)
 */
const { ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL: HAIKU, STABILITY_STABLE_IMAGE_CORE_V1_1: CORE, AMAZON_TITAN_EMBED_TEXT_V2: TITAN } = BedrockModel;
const US_WEST_2 = { env: { account: '111111111111', region: 'us-west-2' } };

function chat(props: (stack: Stack) => BedrockImageChatProps, env = US_WEST_2): () => void {
  return () => {
    const stack = newStack(env);
    new BedrockImageChat(stack, 'Chat', props(stack));
  };
}

/** A VPC of your own: public and isolated subnets in `zones` zones, plus NAT-routed private subnets if `nat`. */
function ownVpc(stack: Stack, zones = 2, nat = false): ec2.Vpc {
  return new ec2.Vpc(stack, 'Mine', {
    maxAzs: zones,
    natGateways: nat ? 1 : 0,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ...(nat ? [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }] : []),
    ],
  });
}

function litellm(props: Partial<LiteLLMServiceProps>): () => void {
  return () => {
    const stack = newStack(US_WEST_2);
    new LiteLLMService(stack, 'LiteLLM', { cluster: new ecs.Cluster(stack, 'Cluster', { vpc: ownVpc(stack) }), ...props });
  };
}

function webui(props: Partial<OpenWebUIServiceProps>): () => void {
  return () => {
    const stack = newStack(US_WEST_2);
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: ownVpc(stack) });
    new OpenWebUIService(stack, 'WebUI', { cluster, litellm: new LiteLLMService(stack, 'LiteLLM', { cluster }), ...props });
  };
}

const cert = (stack: Stack, arn: string) => acm.Certificate.fromCertificateArn(stack, 'Cert', arn);

const CASES: [string, () => void, RegExp][] = [
  // BedrockImageChat: network reach
  ['allowedCidrs empty', chat(() => ({ frontDoor: FrontDoor.plainHttp({ allowedCidrs: [] }) })), /^FrontDoor.plainHttp: allowedCidrs is \[\], so nobody could reach the app; list the IPv4 ranges/],
  ['allowedCidrs prefix too long', chat(() => ({ frontDoor: FrontDoor.plainHttp({ allowedCidrs: ['10.0.0.0/33'] }) })), /^FrontDoor.plainHttp: allowedCidrs contains '10.0.0.0\/33', which is not an IPv4 CIDR range/],
  ['allowedCidrs not a range', chat(() => ({ frontDoor: FrontDoor.plainHttp({ allowedCidrs: ['everyone'] }) })), /^FrontDoor.plainHttp: allowedCidrs contains 'everyone'/],
  ['allowedCidrs a list token', chat((s) => ({ frontDoor: FrontDoor.plainHttp({ allowedCidrs: new CfnParameter(s, 'Cidrs', { type: 'CommaDelimitedList' }).valueAsList }) })), /^FrontDoor.plainHttp: allowedCidrs is a list token .* the number of ranges must be known at synth/],
  ['maxAzs 1', chat(() => ({ network: { maxAzs: 1 } })), /^network.maxAzs is 1; the load balancer and the database need subnets in at least two availability zones, so use 2 or more/],
  ['maxAzs 0', chat(() => ({ network: { maxAzs: 0 } })), /^network.maxAzs is 0;/],
  ['maxAzs 7', chat(() => ({ network: { maxAzs: 7 } })), /^network.maxAzs is 7; use a whole number from 1 to 6/],
  ['maxAzs not whole', chat(() => ({ network: { maxAzs: 2.5 } })), /^network.maxAzs is 2.5; use a whole number/],
  ['maxAzs a token', chat((s) => ({ network: { maxAzs: new CfnParameter(s, 'Azs', { type: 'Number' }).valueAsNumber } })), /^network.maxAzs is a token \(a deploy-time value\); .* must be a number at synth time/],
  ['EXISTING egress without a VPC', chat(() => ({ network: { egress: InternetEgress.EXISTING } })), /^network.egress is InternetEgress.EXISTING, which needs your own `vpc`/],
  ['subnets without a VPC', chat(() => ({ network: { taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } } })), /^network.taskSubnets is set, but there is no `vpc`/],
  // BedrockImageChat: a VPC you bring
  ['own VPC and maxAzs', chat((s) => ({ vpc: ownVpc(s), network: { maxAzs: 3 } })), /^network.maxAzs is set, but it shapes the VPC this construct creates; with your own `vpc`, shape that VPC instead/],
  ['own VPC and NAT egress', chat((s) => ({ vpc: ownVpc(s), network: { egress: InternetEgress.NAT_GATEWAY } })), /^network.egress is InternetEgress.NAT_GATEWAY, which adds NAT gateways .* use InternetEgress.EXISTING/],
  ['own VPC in one zone', chat((s) => ({ vpc: ownVpc(s, 1) })), /^network.taskSubnets selects 1 subnet\(s\) in 1 availability zone\(s\) of your vpc; the tasks \(private subnets\) needs subnets in at least two/],
  ['load balancer in isolated subnets', chat((s) => ({ vpc: ownVpc(s), network: { loadBalancerSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }, frontDoor: FrontDoor.plainHttp({ internetFacing: true }) })), /^network.loadBalancerSubnets selects IsolatedSubnet1, IsolatedSubnet2, which are not public/],
  ['EXISTING egress from isolated subnets', chat((s) => ({ vpc: ownVpc(s), network: { egress: InternetEgress.EXISTING } })), /^network.egress is InternetEgress.EXISTING, but the task subnets \(IsolatedSubnet1, IsolatedSubnet2\) are isolated/],
  ['database in one zone', chat((s) => {
    const vpc = ownVpc(s);
    return { vpc, network: { databaseSubnets: { subnets: [vpc.isolatedSubnets[0]] } } };
  }), /^network.databaseSubnets selects 1 subnet\(s\) in 1 availability zone\(s\)/],
  // BedrockImageChat: certificate
  ['certificate from another region', chat((s) => ({ frontDoor: FrontDoor.loadBalancer({ certificate: cert(s, 'arn:aws:acm:eu-west-1:111111111111:certificate/abc') }) })), /^FrontDoor.loadBalancer: certificate is 'arn:aws:acm:eu-west-1:111111111111:certificate\/abc', an ACM certificate in eu-west-1, but the stack is in us-west-2/],
  ['certificate of another service', chat((s) => ({ frontDoor: FrontDoor.loadBalancer({ certificate: cert(s, 'arn:aws:iam::111111111111:server-certificate/web') }) })), /^FrontDoor.loadBalancer: certificate is 'arn:aws:iam::111111111111:server-certificate\/web', which is not an ACM certificate ARN/],
  ['certificate ARN of another resource', chat((s) => ({ frontDoor: FrontDoor.loadBalancer({ certificate: cert(s, 'arn:aws:acm:us-west-2:111111111111:private-ca/abc') }) })), /which is not an ACM certificate ARN/],
  // BedrockImageChat: models and images
  ['no embedding model', chat(() => ({ models: [HAIKU, CORE] })), /^models has no EMBEDDING model \(received: claude-haiku-4.5 \(CHAT\), stable-image-core \(IMAGE\)\); add one, for example BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2/],
  ['no chat model', chat(() => ({ models: [CORE, TITAN] })), /^models has no CHAT model/],
  ['two models with one name', chat(() => ({ models: [HAIKU, BedrockModel.AMAZON_NOVA_LITE_V1.withOptions({ displayName: 'claude-haiku-4.5' }), TITAN] })), /^models has two models with the display name 'claude-haiku-4.5'/],
  ['embedding model in the image slot', chat(() => ({ openWebUI: { imageModel: TITAN } })), /^openWebUI.imageModel is 'titan-embed-text-v2', whose kind is EMBEDDING; choose a model of kind IMAGE/],
  ['image model not served', chat(() => ({ openWebUI: { imageModel: BedrockModel.STABILITY_STABLE_IMAGE_ULTRA_V1_1 } })), /^openWebUI.imageModel is 'stable-image-ultra', which is not among the models served; add it to models too/],
  ['plain object as the task model: the example is a chat model', chat(() => ({ openWebUI: { taskModel: { modelId: 'anthropic.claude-x', kind: 'CHAT' } as any } })),
    /^openWebUI.taskModel is \{"modelId":"anthropic.claude-x","kind":"CHAT"\}, which is not a BedrockModel; use a catalog member, for example BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL$/],
  ['plain object as the embedding model: the example is an embedding model', chat(() => ({ openWebUI: { embeddingModel: { modelId: 'x' } as any } })),
    /which is not a BedrockModel; use a catalog member, for example BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2$/],
  ['chat model in the embedding slot', chat(() => ({ openWebUI: { embeddingModel: HAIKU } })), /^openWebUI.embeddingModel is 'claude-haiku-4.5', whose kind is CHAT/],
  ['imageSize not WIDTHxHEIGHT', chat(() => ({ openWebUI: { imageSize: 'large' } })), /^imageSize is 'large'; use WIDTHxHEIGHT in pixels/],
  ['imageSize the model cannot make', chat(() => ({ openWebUI: { imageSize: '1000x700' } })), /^imageSize is '1000x700', which stable-image-core \(stability.stable-image-core-v1:1\) cannot make; use/],
  ['imageSize without an image model', chat(() => ({ models: [HAIKU, TITAN], openWebUI: { imageSize: '1024x1024' } })), /^openWebUI.imageSize is '1024x1024', but models has no image model/],
  ['model out of reach', chat(() => ({ models: [HAIKU, CORE, TITAN] }), { env: { account: '111111111111', region: 'eu-west-1' } }), /^models contains 'stable-image-core' .* in region us-west-2, but the stack is in eu-west-1 .* or leave the image model out/],
  ['public image without egress', chat(() => ({ litellm: { image: ecs.ContainerImage.fromRegistry('ghcr.io/berriai/litellm:v1.110.2') } })), /^litellm.image is 'ghcr.io\/berriai\/litellm:v1.110.2', a public registry, but network.egress is InternetEgress.NONE/],
  ['adminEmail not an address', chat(() => ({ openWebUI: { adminEmail: 'admin' } })), /^openWebUI.adminEmail is 'admin', which is not an email address/],
  // LiteLLMService
  ['LiteLLM cpu Fargate does not offer', litellm({ cpu: 300 }), /^cpu is 300; Fargate accepts 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units/],
  ['LiteLLM memory too small', litellm({ memoryLimitMiB: 512 }), /^memoryLimitMiB is 512; LiteLLMService needs at least 1024 MiB/],
  ['LiteLLM cpu/memory pair', litellm({ cpu: 256, memoryLimitMiB: 4096 }), /^memoryLimitMiB is 4096, which Fargate does not offer with cpu 256; with 256 CPU units use 512, 1024, 2048 MiB, or keep 4096 MiB with cpu 512 or 1024 or 2048/],
  ['LiteLLM cpu with the default memory', litellm({ cpu: 4096 }), /^memoryLimitMiB is 1024 \(the default\), which Fargate does not offer with cpu 4096; with 4096 CPU units use 8192 to 30720 in steps of 1024 MiB, or keep 1024 MiB with cpu 256 or 512$/],
  ['LiteLLM with no task', litellm({ scaling: { minTasks: 0, maxTasks: 1 } }), /^scaling\.minTasks is 0; use a whole number of tasks, 1 or more$/],
  ['LiteLLM without models', litellm({ models: [] }), /^models has no CHAT model \(received: none\)/],
  // OpenWebUIService
  ['Open WebUI memory too small', webui({ memoryLimitMiB: 1024 }), /^memoryLimitMiB is 1024; OpenWebUIService needs at least 2048 MiB/],
  ['Open WebUI cpu/memory pair', webui({ cpu: 2048, memoryLimitMiB: 2048 }), /^memoryLimitMiB is 2048, which Fargate does not offer with cpu 2048; with 2048 CPU units use 4096 to 16384/],
  ['publicUrl without scheme', webui({ publicUrl: 'chat.example.com' }), /^publicUrl is 'chat.example.com'; use the address users open, scheme and host only/],
  ['publicUrl with a path', webui({ publicUrl: 'https://example.com/chat/' }), /^publicUrl is 'https:\/\/example.com\/chat\/'; use the address users open/],
  ['backups off', webui({ database: { backupRetention: Duration.days(0) } }), /^database.backupRetention is 0 days?; RDS keeps automated backups for 1 to 35 whole days .* 0 would turn them off/],
  ['backups too long', webui({ database: { backupRetention: Duration.days(36) } }), /^database.backupRetention is 36 days; RDS keeps automated backups for 1 to 35 whole days/],
  ['backups not whole days', webui({ database: { backupRetention: Duration.hours(36) } }), /^database.backupRetention is 1 day 12 hours; RDS keeps automated backups for 1 to 35 whole days/],
  ['Open WebUI admin email', webui({ adminEmail: 'it at example.com' }), /^adminEmail is 'it at example.com', which is not an email address/],
  // PrivateBedrockVpc
  ['VPC with EXISTING egress', () => new PrivateBedrockVpc(newStack(), 'Vpc', { egress: InternetEgress.EXISTING }), /^egress is InternetEgress.EXISTING, which describes a VPC you bring; PrivateBedrockVpc creates its VPC/],
  ['VPC maxAzs 0', () => new PrivateBedrockVpc(newStack(), 'Vpc', { maxAzs: 0 }), /^maxAzs is 0; use a whole number from 1 to 6/],
  ['VPC maxAzs token', () => {
    const stack = newStack();
    new PrivateBedrockVpc(stack, 'Vpc', { maxAzs: Token.asNumber(Fn.ref('AWS::NoValue')) });
  }, /^maxAzs is a token/],
  // BedrockModel factories
  ['profile id as a model id', () => BedrockModel.foundationModel({ modelId: 'us.amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT }), /^modelId is 'us.amazon.nova-pro-v1:0', which is an inference profile id; use BedrockModel.inferenceProfile/],
  ['profile without prefix', () => BedrockModel.inferenceProfile({ profileId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT }), /^profileId is 'amazon.nova-pro-v1:0', which has no inference profile prefix/],
  ['geographic profile without destinations', () => BedrockModel.inferenceProfile({ profileId: 'eu.amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT }), /^destinationRegions is empty for the geographic profile 'eu.amazon.nova-pro-v1:0'/],
  ['display name with capitals', () => BedrockModel.foundationModel({ modelId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT, displayName: 'Nova Pro' }), /^displayName is 'Nova Pro'; use 1-63 lowercase letters/],
  ['region that is not one', () => BedrockModel.foundationModel({ modelId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT, region: 'mars' }), /^region is 'mars', which is not an AWS region name/],
  ['ARN of the wrong type', () => BedrockModel.provisionedThroughput({ provisionedModelArn: 'arn:aws:bedrock:us-east-1:111111111111:custom-model/abc', baseModelId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT }), /^provisionedModelArn is 'arn:aws:bedrock:us-east-1:111111111111:custom-model\/abc', which is not a Bedrock provisioned-model ARN/],

  // What TypeScript checks and JavaScript does not (any = a JavaScript caller's value)
  ['an unknown egress', chat(() => ({ network: { egress: 'NAT' as any } })),
    /^network.egress is "NAT", not a member of InternetEgress; use InternetEgress\.NONE, InternetEgress\.NAT_GATEWAY, InternetEgress\.NAT_GATEWAY_PER_AZ, InternetEgress\.EXISTING$/],
  ['an unknown egress on LiteLLMService', litellm({ egress: 'nat' as any }), /^egress is "nat", not a member of InternetEgress/],
  ['an unknown egress on OpenWebUIService', webui({ egress: 'nat' as any }), /^egress is "nat", not a member of InternetEgress/],
  ['an unknown egress on PrivateBedrockVpc', () => new PrivateBedrockVpc(newStack(), 'Vpc', { egress: 'NAT' as any }), /^egress is "NAT", not a member of InternetEgress/],
  ['an unknown size', chat(() => ({ size: 'XL' as any })), /^size is "XL", not a member of DeploymentSize; use DeploymentSize\.SMALL, DeploymentSize\.MEDIUM, DeploymentSize\.LARGE$/],
  ['an unknown file storage', chat(() => ({ fileStorage: 'disk' as any })), /^fileStorage is "disk", not a member of FileStorage; use FileStorage\.EFS, FileStorage\.S3$/],
  ['a fractional task count', litellm({ scaling: { maxTasks: 1.5 } }), /^scaling\.maxTasks is 1\.5; use a whole number of tasks from 1 to 100$/],
  ['a log retention CloudWatch does not offer', chat(() => ({ logRetention: 42 as any })),
    /^logRetention is 42, a period CloudWatch Logs does not offer; use a logs\.RetentionDays member, for example logs\.RetentionDays\.THREE_MONTHS \(days offered: 1, 3, 5, 7, 14, 30, 60, 90,/],
  ['a VPC log retention CloudWatch does not offer', () => new PrivateBedrockVpc(newStack(), 'Vpc', { logRetention: 42 as any }), /^logRetention is 42, a period CloudWatch Logs does not offer/],
  ['a string where models expects a list', chat(() => ({ models: 'claude-haiku-4.5' as any })),
    /^models is "claude-haiku-4\.5"; give a list of models, for example \[BedrockModel\.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, BedrockModel\.AMAZON_TITAN_EMBED_TEXT_V2\]$/],
  ['an object where a BedrockModel is expected', litellm({ models: [HAIKU, { modelId: 'amazon.titan-embed-text-v2:0', kind: 'EMBEDDING' } as any] }),
    /^models\[1\] is \{"modelId":"amazon\.titan-embed-text-v2:0","kind":"EMBEDDING"\}, which is not a BedrockModel; use a catalog member/],
  ['a model without a kind', () => BedrockModel.foundationModel({ modelId: 'amazon.nova-pro-v1:0' } as any),
    /^kind is undefined, not a member of BedrockModelKind; use BedrockModelKind\.CHAT, BedrockModelKind\.IMAGE, BedrockModelKind\.EMBEDDING$/],
];

test('the table has at least 40 cases', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(40);
});

test.each(CASES)('%s', (_name, build, message) => {
  expect(build).toThrow(message);
});

describe('values known only at deploy time are accepted where they can be', () => {
  test.each<[string, (stack: Stack) => BedrockImageChatProps]>([
    ['adminEmail from a parameter', (s) => ({ openWebUI: { adminEmail: new CfnParameter(s, 'Email').valueAsString } })],
    ['a range of allowedCidrs from a parameter', (s) => ({ frontDoor: FrontDoor.plainHttp({ allowedCidrs: [new CfnParameter(s, 'Cidr').valueAsString, '203.0.113.0/24'] }) })],
    ['a certificate from a parameter', (s) => ({ frontDoor: FrontDoor.loadBalancer({ certificate: cert(s, new CfnParameter(s, 'CertArn').valueAsString) }) })],
  ])('%s', (_name, props) => {
    expect(chat(props)).not.toThrow();
  });

  test('task sizes from parameters', () => {
    expect(litellm({ cpu: Token.asNumber(Fn.ref('Cpu')), memoryLimitMiB: Token.asNumber(Fn.ref('Memory')) })).not.toThrow();
  });
});
