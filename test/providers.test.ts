import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { BedrockImageChat, BedrockImageChatProps, InternetEgress, OpenAICompatibleProvider } from '../src';
import { containers, envOf, newStack, secretsOf } from './util';
import { renderLiteLLMConfig } from '../src/private/litellm-config';

const ENV = { env: { account: '111111111111', region: 'us-west-2' } };
let keys = 0;
const sealion = (s: Stack, extra: Partial<OpenAICompatibleProvider> = {}): OpenAICompatibleProvider => ({
  name: 'sealion',
  baseUrl: 'https://api.sea-lion.ai/v1',
  apiKey: secretsmanager.Secret.fromSecretNameV2(s, `Key${keys++}`, 'chat/sealion-api-key'),
  models: ['aisingapore/Gemma-SEA-LION-v3-9B-IT'],
  ...extra,
});

function synth(props: (s: Stack) => BedrockImageChatProps): Template {
  const stack = newStack(ENV);
  new BedrockImageChat(stack, 'Chat', props(stack));
  return Template.fromStack(stack);
}

describe('a provider outside Bedrock (the SeaLion example of the Ajuda Digital design)', () => {
  const template = synth((s) => ({ network: { egress: InternetEgress.NAT_GATEWAY }, litellm: { providers: [sealion(s)] } }));

  test('LiteLLM gets its API key as an ECS secret and nothing else of it in the environment', () => {
    const litellm = containers(template).litellm;
    expect(JSON.stringify(secretsOf(litellm).PROVIDER_0_API_KEY)).toContain('secret:chat/sealion-api-key');
    expect(JSON.stringify(envOf(litellm))).not.toContain('sealion');
  });

  test('the configuration routes <name>/<model> to the provider\'s OpenAI-compatible API and names the key', () => {
    // The real LiteLLM serves it in test/contract/litellm.providers.test.ts.
    const { config } = renderLiteLLMConfig([], [{ name: 'sealion', baseUrl: 'https://api.sea-lion.ai/v1', models: ['aisingapore/Gemma-SEA-LION-v3-9B-IT'] }]);
    expect(config.model_list).toEqual([{
      model_name: 'sealion/aisingapore/Gemma-SEA-LION-v3-9B-IT',
      litellm_params: { model: 'openai/aisingapore/Gemma-SEA-LION-v3-9B-IT', api_base: 'https://api.sea-lion.ai/v1', api_key: 'os.environ/PROVIDER_0_API_KEY' },
      model_info: { mode: 'chat' },
    }]);
  });

  test('Open WebUI offers the provider\'s model next to the Bedrock chat models, through the same gateway', () => {
    const configs = JSON.parse(envOf(containers(template)['open-webui']).OPENAI_API_CONFIGS);
    expect(configs[0].model_ids).toEqual(['claude-haiku-4.5', 'sealion/aisingapore/Gemma-SEA-LION-v3-9B-IT']);
  });
});

describe('provider errors', () => {
  test.each<[string, (s: Stack) => BedrockImageChatProps, RegExp]>([
    ['no internet egress', (s) => ({ litellm: { providers: [sealion(s)] } }),
      /^litellm\.providers is set \(sealion\), but network.egress is InternetEgress.NONE: LiteLLM calls a provider outside Bedrock over the internet/],
    ['a name with capitals', (s) => ({ network: { egress: InternetEgress.NAT_GATEWAY }, litellm: { providers: [sealion(s, { name: 'SeaLion' })] } }),
      /^litellm\.providers contains the name 'SeaLion'; use 1-32 lowercase letters/],
    ['the same name twice', (s) => ({ network: { egress: InternetEgress.NAT_GATEWAY }, litellm: { providers: [sealion(s), sealion(s)] } }),
      /^litellm\.providers contains the name 'sealion' twice/],
    ['a plain-HTTP URL', (s) => ({ network: { egress: InternetEgress.NAT_GATEWAY }, litellm: { providers: [sealion(s, { baseUrl: 'http://api.sea-lion.ai/v1' })] } }),
      /^litellm\.providers 'sealion' has baseUrl 'http:\/\/api.sea-lion.ai\/v1'; use the https URL/],
    ['no models', (s) => ({ network: { egress: InternetEgress.NAT_GATEWAY }, litellm: { providers: [sealion(s, { models: [] })] } }),
      /^litellm\.providers 'sealion' lists no models/],
  ])('%s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
