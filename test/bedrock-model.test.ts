
import { BedrockModel, BedrockModelAccess, BedrockModelKind } from '../src';
import { newStack } from './util';
import { renderLiteLLMConfig } from '../src/private/litellm-config';

describe('BedrockModel', () => {
  test('a foundation model is invoked by its model id in the stack region', () => {
    const stack = newStack({ env: { region: 'eu-west-1', account: '111111111111' } });
    const model = BedrockModel.foundationModel({ modelId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT });
    expect(model.access).toBe(BedrockModelAccess.FOUNDATION_MODEL);
    expect(model.displayName).toBe('nova-pro-v1');
    expect(model.litellmModel).toBe('bedrock/amazon.nova-pro-v1:0');
    expect(stack.resolve(model.invokeResourceArns(stack))).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0']] },
    ]);
  });

  test('a geographic profile needs the profile and the model in every destination region', () => {
    const stack = newStack({ env: { region: 'us-east-1', account: '111111111111' } });
    const model = BedrockModel.inferenceProfile({
      profileId: 'us.amazon.nova-lite-v1:0',
      kind: BedrockModelKind.CHAT,
      destinationRegions: ['us-east-1', 'us-east-2', 'us-west-2'],
    });
    const arns = JSON.stringify(stack.resolve(model.invokeResourceArns(stack)));
    expect(arns).toContain(':bedrock:us-east-1:111111111111:inference-profile/us.amazon.nova-lite-v1:0');
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2']) {
      expect(arns).toContain(`:bedrock:${region}::foundation-model/amazon.nova-lite-v1:0`);
    }
    expect(model.invokeResourceArns(stack)).toHaveLength(4);
  });

  test('a global profile also needs the region-less foundation-model ARN', () => {
    const stack = newStack();
    const arns = JSON.stringify(stack.resolve(BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL.invokeResourceArns(stack)));
    expect(arns).toContain(':bedrock:::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(arns).toContain('inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(arns).not.toContain('*');
  });

  test('withOptions changes the display name and region only', () => {
    const model = BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2.withOptions({ displayName: 'embed', region: 'us-east-1' });
    expect(model.displayName).toBe('embed');
    expect(model.region).toBe('us-east-1');
    expect(model.modelId).toBe('amazon.titan-embed-text-v2:0');
    expect(BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2.displayName).toBe('titan-embed-text-v2');
  });

  test.each([
    [() => BedrockModel.foundationModel({ modelId: 'not a model', kind: BedrockModelKind.CHAT }), /modelId is 'not a model'/],
    [() => BedrockModel.foundationModel({ modelId: 'us.amazon.nova-lite-v1:0', kind: BedrockModelKind.CHAT }), /use BedrockModel.inferenceProfile/],
    [() => BedrockModel.inferenceProfile({ profileId: 'amazon.nova-lite-v1:0', kind: BedrockModelKind.CHAT }), /no inference profile prefix/],
    [() => BedrockModel.inferenceProfile({ profileId: 'us.amazon.nova-lite-v1:0', kind: BedrockModelKind.CHAT }), /destinationRegions is empty/],
    [() => BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2.withOptions({ displayName: 'Has Spaces' }), /displayName is 'Has Spaces'/],
    [() => BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2.withOptions({ region: 'mars-1' }), /region is 'mars-1'/],
  ])('bad input is rejected with a message naming the prop (%#)', (make, message) => {
    expect(make).toThrow(message);
  });
});

describe('renderLiteLLMConfig', () => {
  test('renders model_list, drop_params and a master key read from the environment', () => {
    const config = renderLiteLLMConfig([
      BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL,
      BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1,
      BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2,
    ]);
    expect(config).toEqual({
      model_list: [
        {
          model_name: 'claude-haiku-4.5',
          litellm_params: { model: 'bedrock/global.anthropic.claude-haiku-4-5-20251001-v1:0' },
          model_info: { mode: 'chat' },
        },
        {
          model_name: 'stable-image-core',
          litellm_params: { model: 'bedrock/stability.stable-image-core-v1:1', aws_region_name: 'us-west-2' },
          model_info: { mode: 'image_generation' },
        },
        {
          model_name: 'titan-embed-text-v2',
          litellm_params: { model: 'bedrock/amazon.titan-embed-text-v2:0' },
          model_info: { mode: 'embedding' },
        },
      ],
      litellm_settings: { drop_params: true },
      general_settings: { master_key: 'os.environ/LITELLM_MASTER_KEY' },
    });
  });

  test('holds no token, so its hash is stable', () => {
    const json = JSON.stringify(renderLiteLLMConfig([BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2]));
    expect(json).not.toMatch(/\$\{Token/);
  });
});
