import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BedrockImageChat, BedrockImageChatProps, BedrockModel, InternetEgress } from '../../src';

/** Resource types that hold data or the credentials to it. */
const STATEFUL = ['AWS::RDS::DBInstance', 'AWS::RDS::DBSubnetGroup', 'AWS::EFS::FileSystem', 'AWS::SecretsManager::Secret', 'AWS::Backup::BackupVault'];

function synth(props: BedrockImageChatProps): Record<string, any> {
  const stack = new Stack(new App(), 'Chat', { env: { account: '111111111111', region: 'us-west-2' } });
  new BedrockImageChat(stack, 'Chat', props);
  return Template.fromStack(stack).toJSON().Resources;
}

function stateful(resources: Record<string, any>): Record<string, any> {
  return Object.fromEntries(Object.entries(resources).filter(([, r]) => STATEFUL.includes(r.Type)));
}

const baseline = synth({});

describe.each<[string, BedrockImageChatProps]>([
  ['other models', { models: [BedrockModel.ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL, BedrockModel.STABILITY_STABLE_IMAGE_ULTRA_V1_1, BedrockModel.AMAZON_NOVA_2_MULTIMODAL_EMBEDDINGS_V1] }],
  ['another admin email', { openWebUI: { adminEmail: 'platform@example.com' } }],
  ['other container images', { litellm: { image: ecs.ContainerImage.fromRegistry('111111111111.dkr.ecr.us-west-2.amazonaws.com/litellm:v9') }, openWebUI: { image: ecs.ContainerImage.fromRegistry('111111111111.dkr.ecr.us-west-2.amazonaws.com/open-webui:v9') } }],
  ['NAT egress', { network: { egress: InternetEgress.NAT_GATEWAY } }],
  ['other sizes', { cpuArchitecture: ecs.CpuArchitecture.X86_64 }],
])('changing to %s', (_name, props) => {
  test('keeps every database, subnet group, file system, secret and backup vault as it is (nothing replaced, no new secret value)', () => {
    const changed = stateful(synth(props));
    expect(Object.keys(changed).sort()).toEqual(Object.keys(stateful(baseline)).sort());
    for (const [id, resource] of Object.entries(changed)) {
      expect([id, resource]).toEqual([id, stateful(baseline)[id]]);
    }
  });
});

test('the stateful resources, the secrets the data needs and the backup vault are retained by default', () => {
  // The proxy's master key protects no data: the proxy keeps none, and a new stack makes a new key.
  const needed = Object.entries(stateful(baseline)).filter(([id]) => !id.startsWith('ChatLiteLLMMasterKey'));
  expect(needed.length).toBeGreaterThanOrEqual(6);
  for (const [id, r] of needed) {
    expect([id, r.DeletionPolicy ?? 'Delete', r.UpdateReplacePolicy ?? 'Delete']).toEqual([id, expect.stringMatching(/^(Retain|Snapshot)$/), expect.stringMatching(/^(Retain|Snapshot)$/)]);
  }
});
