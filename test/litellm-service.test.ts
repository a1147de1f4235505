/**
 * LiteLLMService used directly, as a user composing the parts does.
 */
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { BedrockModel, BedrockModelKind, InternetEgress, LiteLLMService } from '../src';
import { containers, envOf, newStack, secretsOf } from './util';

const ENV = { env: { account: '111111111111', region: 'us-west-2' } };
const { ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL: HAIKU, AMAZON_TITAN_EMBED_TEXT_V2: TITAN, STABILITY_STABLE_IMAGE_CORE_V1_1: CORE } = BedrockModel;

function proxy(props: Partial<ConstructorParameters<typeof LiteLLMService>[2]> = {}) {
  const stack = newStack(ENV);
  const cluster = new ecs.Cluster(stack, 'Cluster');
  const litellm = new LiteLLMService(stack, 'LiteLLM', { cluster, ...props });
  return { stack, litellm, template: Template.fromStack(stack) };
}

describe('the defaults', () => {
  const { litellm, template } = proxy();
  const container = () => containers(template).litellm;

  test("the region's default models: a chat, an image (us-west-2 serves Stability) and an embedding model", () => {
    expect(litellm.models).toEqual([HAIKU, CORE, TITAN]);
    expect(litellm.modelNames(BedrockModelKind.CHAT)).toEqual([HAIKU.displayName]);
  });

  test('one task, reachable inside the VPC by its Cloud Map name', () => {
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 1 });
    template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', { Name: 'bedrock-image-chat.internal' });
    expect(litellm.apiBaseUrl).toMatch(/^http:\/\/litellm\..+:4000\/v1$/);
    expect(litellm.taskCount).toBeUndefined();
  });

  test('the configuration comes from S3 and the master key from Secrets Manager; the proxy never fetches its price map', () => {
    expect(envOf(container())).toMatchObject({
      LITELLM_CONFIG_BUCKET_OBJECT_KEY: litellm.configObjectKey,
      LITELLM_LOCAL_MODEL_COST_MAP: 'True',
    });
    expect(litellm.configObjectKey).toMatch(/^litellm\/config-[0-9a-f]{16}\.json$/);
    expect(Object.keys(secretsOf(container()))).toEqual(['LITELLM_MASTER_KEY']);
  });

  test('the task role may invoke the served models, and nothing else of Bedrock', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => JSON.stringify(s.Action).includes('bedrock:'));
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
  });

  test('metrics of a model the proxy does not serve are an error that lists the served ones', () => {
    expect(() => litellm.metricBedrockThrottles(BedrockModel.AMAZON_NOVA_PRO_V1))
      .toThrow("model is 'nova-pro', which this LiteLLM service does not serve; served models: claude-haiku-4.5, stable-image-core, titan-embed-text-v2");
    expect(litellm.metricBedrockInvocations(HAIKU).metricName).toBe('Invocations');
  });
});

test('a fixed count, your namespace, and providers outside Bedrock with their keys as secrets', () => {
  const stack = newStack(ENV);
  const cluster = new ecs.Cluster(stack, 'Cluster');
  const namespace = new servicediscovery.PrivateDnsNamespace(stack, 'Names', { name: 'corp.internal', vpc: cluster.vpc });
  const apiKey = secretsmanager.Secret.fromSecretNameV2(stack, 'Key', 'chat/provider');
  const litellm = new LiteLLMService(stack, 'LiteLLM', {
    cluster,
    namespace,
    scaling: { minTasks: 2, maxTasks: 2 },
    models: [HAIKU, TITAN],
    egress: InternetEgress.NAT_GATEWAY,
    providers: [{ name: 'corp', baseUrl: 'https://llm.example.com/v1', apiKey, models: ['corp-large'] }],
  });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 2 });
  template.resourceCountIs('AWS::ServiceDiscovery::PrivateDnsNamespace', 1);
  expect(litellm.apiBaseUrl).toBe('http://litellm.corp.internal:4000/v1');
  expect(litellm.modelNames(BedrockModelKind.CHAT)).toEqual([HAIKU.displayName, 'corp/corp-large']);
  expect(Object.keys(secretsOf(containers(template).litellm)).sort()).toEqual(['LITELLM_MASTER_KEY', 'PROVIDER_0_API_KEY']);
});

test('scaling between a floor and a ceiling gives a task count to add policies to', () => {
  const { litellm, template } = proxy({ scaling: { minTasks: 2, maxTasks: 4 } });
  expect(litellm.taskCount).toBeDefined();
  template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 4 });
});
