import * as fs from 'fs';
import * as path from 'path';
import { Annotations as CdkAnnotations, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BedrockModel, BedrockModelAccess, BedrockModelKind, BedrockModelLifecycle, LiteLLMService } from '../src';
import { containers, envOf, newStack } from './util';
import { CATALOG as CATALOG_DATA, CATALOG_CHECKED_ON, CatalogEntry, catalogEntryProblems, isPastEndOfLife } from '../src/private/catalog-data';
import { litellmModel, renderLiteLLMConfig, ROUTER_SETTINGS } from '../src/private/litellm-config';
import { embeddingDimensions } from '../src/private/open-webui-environment';

/** Every catalog member: the public static BedrockModel fields. */
const CATALOG: Record<string, BedrockModel> = Object.fromEntries(
  Object.entries(BedrockModel).filter(([, v]) => v instanceof BedrockModel),
) as Record<string, BedrockModel>;

const PROVISIONED_ARN = 'arn:aws:bedrock:us-east-1:111122223333:provisioned-model/abc123def456';
const APP_PROFILE_ARN = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6';
const CUSTOM_ARN = 'arn:aws:bedrock:us-east-1:111122223333:custom-model-deployment/z9y8x7w6';

function arnsOf(model: BedrockModel, stack: Stack): string {
  return JSON.stringify(stack.resolve(model.invokeResourceArns(stack)));
}

describe('the catalog', () => {
  test('holds the models the issue asks for, with the right kind and id', () => {
    const byId = Object.fromEntries(Object.values(CATALOG).map((m) => [m.modelId, m.kind]));
    expect(byId).toMatchObject({
      'amazon.nova-canvas-v1:0': BedrockModelKind.IMAGE,
      'amazon.titan-image-generator-v2:0': BedrockModelKind.IMAGE,
      'stability.sd3-5-large-v1:0': BedrockModelKind.IMAGE,
      'stability.stable-image-ultra-v1:1': BedrockModelKind.IMAGE,
      'stability.stable-image-core-v1:1': BedrockModelKind.IMAGE,
      'us.anthropic.claude-3-5-sonnet-20241022-v2:0': BedrockModelKind.CHAT,
      'global.anthropic.claude-haiku-4-5-20251001-v1:0': BedrockModelKind.CHAT,
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0': BedrockModelKind.CHAT,
      'global.anthropic.claude-opus-4-5-20251101-v1:0': BedrockModelKind.CHAT,
      'amazon.nova-pro-v1:0': BedrockModelKind.CHAT,
      'amazon.nova-lite-v1:0': BedrockModelKind.CHAT,
      'amazon.titan-embed-text-v2:0': BedrockModelKind.EMBEDDING,
    });
  });

  test.each(Object.entries(CATALOG))('%s records its lifecycle, the date it was checked and a LiteLLM model string', (_name, model) => {
    expect(model.lifecycle).toBeDefined();
    expect(model.lifecycleCheckedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(litellmModel(model)).toBe(`bedrock/${model.modelId}`);
    expect(model.modelArn).toBeUndefined();
    if (model.lifecycle !== BedrockModelLifecycle.ACTIVE) {
      expect(model.endOfLifeDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    // Every model except a global profile lists the regions that serve it.
    expect(model.regions.length > 0).toBe(model.access !== BedrockModelAccess.GLOBAL_INFERENCE_PROFILE);
    // Display names are unique across the catalog, so any subset can be served together.
    expect(Object.values(CATALOG).filter((m) => m.displayName === model.displayName)).toHaveLength(1);
  });

  test('Nova Canvas, Titan Image v2 and Claude 3.5 Sonnet v2 are past their end of life; Sonnet 4.5 and Llama 4 are Legacy; the defaults are Active', () => {
    /* eslint-disable @typescript-eslint/no-deprecated */
    expect(BedrockModel.AMAZON_NOVA_CANVAS_V1.lifecycle).toBe(BedrockModelLifecycle.END_OF_LIFE);
    expect(BedrockModel.AMAZON_TITAN_IMAGE_GENERATOR_V2.lifecycle).toBe(BedrockModelLifecycle.END_OF_LIFE);
    expect(BedrockModel.ANTHROPIC_CLAUDE_3_5_SONNET_V2_US.lifecycle).toBe(BedrockModelLifecycle.END_OF_LIFE);
    /* eslint-enable @typescript-eslint/no-deprecated */
    expect(BedrockModel.ANTHROPIC_CLAUDE_SONNET_4_5_GLOBAL.lifecycle).toBe(BedrockModelLifecycle.LEGACY);
    expect(BedrockModel.META_LLAMA_4_MAVERICK_US.lifecycle).toBe(BedrockModelLifecycle.LEGACY);
    const { ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, STABILITY_STABLE_IMAGE_CORE_V1_1, AMAZON_TITAN_EMBED_TEXT_V2 } = BedrockModel;
    const defaults = [ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, STABILITY_STABLE_IMAGE_CORE_V1_1, AMAZON_TITAN_EMBED_TEXT_V2];
    for (const m of defaults) {
      expect(m.lifecycle).toBe(BedrockModelLifecycle.ACTIVE);
    }
  });

  test('Stability models are pinned to us-west-2, where Bedrock serves them', () => {
    const { STABILITY_SD3_5_LARGE_V1, STABILITY_STABLE_IMAGE_ULTRA_V1_1, STABILITY_STABLE_IMAGE_CORE_V1_1 } = BedrockModel;
    const stability = [STABILITY_SD3_5_LARGE_V1, STABILITY_STABLE_IMAGE_ULTRA_V1_1, STABILITY_STABLE_IMAGE_CORE_V1_1];
    for (const m of stability) {
      expect(m.region).toBe('us-west-2');
      expect(m.regions).toEqual(['us-west-2']);
    }
  });

  test.each(Object.entries(CATALOG))('%s needs no wildcard to be invoked', (_name, model) => {
    const stack = newStack({ env: { region: 'us-west-2', account: '111111111111' } });
    const arns = model.invokeResourceArns(stack).map((a) => JSON.stringify(stack.resolve(a)));
    expect(arns.length).toBeGreaterThan(0);
    for (const arn of arns) {
      expect(arn).not.toContain('*');
      expect(arn).toContain(model.foundationModelId);
    }
  });
});

describe('BedrockModel factories', () => {
  test('a foundation model is invoked by its model id in the stack region', () => {
    const stack = newStack({ env: { region: 'eu-west-1', account: '111111111111' } });
    const model = BedrockModel.foundationModel({ modelId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT });
    expect(model.access).toBe(BedrockModelAccess.FOUNDATION_MODEL);
    expect(model.displayName).toBe('nova-pro-v1');
    expect(litellmModel(model)).toBe('bedrock/amazon.nova-pro-v1:0');
    expect(model.lifecycle).toBeUndefined();
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
    const arns = arnsOf(model, stack);
    expect(arns).toContain(':bedrock:us-east-1:111111111111:inference-profile/us.amazon.nova-lite-v1:0');
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2']) {
      expect(arns).toContain(`:bedrock:${region}::foundation-model/amazon.nova-lite-v1:0`);
    }
    expect(model.invokeResourceArns(stack)).toHaveLength(4);
  });

  test('a global profile also needs the region-less foundation-model ARN', () => {
    const stack = newStack();
    const arns = arnsOf(BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, stack);
    expect(arns).toContain(':bedrock:::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(arns).toContain('inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0');
  });

  test('Claude 3.5 Sonnet v2 may be invoked through the US profile in each US destination region', () => {
    const stack = newStack({ env: { region: 'us-east-2', account: '111111111111' } });
    const arns = arnsOf(BedrockModel.ANTHROPIC_CLAUDE_3_5_SONNET_V2_US, stack);
    expect(arns).toContain(':bedrock:us-east-2:111111111111:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0');
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2']) {
      expect(arns).toContain(`:bedrock:${region}::foundation-model/anthropic.claude-3-5-sonnet-20241022-v2:0`);
    }
  });

  test('Provisioned Throughput: LiteLLM gets the base model and the ARN; IAM gets exactly the ARN', () => {
    const stack = newStack({ env: { region: 'us-east-1', account: '111111111111' } });
    const model = BedrockModel.provisionedThroughput({
      provisionedModelArn: PROVISIONED_ARN,
      baseModelId: 'amazon.nova-pro-v1:0',
      kind: BedrockModelKind.CHAT,
    });
    expect(model.access).toBe(BedrockModelAccess.PROVISIONED_THROUGHPUT);
    expect(litellmModel(model)).toBe('bedrock/amazon.nova-pro-v1:0');
    expect(model.modelArn).toBe(PROVISIONED_ARN);
    expect(model.region).toBe('us-east-1');
    expect(model.displayName).toBe('nova-pro-v1-provisioned');
    expect(model.invokeResourceArns(stack)).toEqual([PROVISIONED_ARN]);
  });

  test('a custom model deployment is invoked by its ARN only', () => {
    const stack = newStack({ env: { region: 'us-east-1', account: '111111111111' } });
    const model = BedrockModel.customModel({ customModelArn: CUSTOM_ARN, baseModelId: 'amazon.nova-lite-v1:0', kind: BedrockModelKind.CHAT, displayName: 'support-bot' });
    expect(model.access).toBe(BedrockModelAccess.CUSTOM_MODEL);
    expect(model.modelArn).toBe(CUSTOM_ARN);
    expect(model.invokeResourceArns(stack)).toEqual([CUSTOM_ARN]);
  });

  test('an application inference profile needs the profile ARN and the base model in each destination region', () => {
    const stack = newStack({ env: { region: 'us-east-1', account: '111111111111' } });
    const model = BedrockModel.applicationInferenceProfile({
      profileArn: APP_PROFILE_ARN,
      baseModelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      kind: BedrockModelKind.CHAT,
      destinationRegions: ['us-east-1', 'us-east-2', 'us-west-2'],
    });
    // The profile prefix of a copied system profile is dropped: LiteLLM routes on the model family.
    expect(litellmModel(model)).toBe('bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0');
    const arns = stack.resolve(model.invokeResourceArns(stack));
    expect(arns[0]).toBe(APP_PROFILE_ARN);
    expect(arns).toHaveLength(4);
    expect(JSON.stringify(arns)).toContain(':bedrock:us-east-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0');
  });

  test('withOptions changes the display name and region only', () => {
    const model = BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2.withOptions({ displayName: 'embed', region: 'us-east-1' });
    expect(model.displayName).toBe('embed');
    expect(model.region).toBe('us-east-1');
    expect(model.modelId).toBe('amazon.titan-embed-text-v2:0');
    expect(model.lifecycle).toBe(BedrockModelLifecycle.ACTIVE);
    expect(model.regions).toEqual(BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2.regions);
    expect(BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2.displayName).toBe('titan-embed-text-v2');
    const provisioned = BedrockModel.provisionedThroughput({ provisionedModelArn: PROVISIONED_ARN, baseModelId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT });
    expect(provisioned.withOptions({ displayName: 'pt' }).modelArn).toBe(PROVISIONED_ARN);
  });

  test.each([
    [() => BedrockModel.foundationModel({ modelId: 'not a model', kind: BedrockModelKind.CHAT }), /modelId is 'not a model'/],
    [() => BedrockModel.foundationModel({ modelId: 'us.amazon.nova-lite-v1:0', kind: BedrockModelKind.CHAT }), /use BedrockModel.inferenceProfile/],
    [() => BedrockModel.inferenceProfile({ profileId: 'amazon.nova-lite-v1:0', kind: BedrockModelKind.CHAT }), /no inference profile prefix/],
    [() => BedrockModel.inferenceProfile({ profileId: 'us.amazon.nova-lite-v1:0', kind: BedrockModelKind.CHAT }), /destinationRegions is empty/],
    [() => BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2.withOptions({ displayName: 'Has Spaces' }), /displayName is 'Has Spaces'/],
    [() => BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2.withOptions({ region: 'mars-1' }), /region is 'mars-1'/],
    [
      () => BedrockModel.provisionedThroughput({ provisionedModelArn: 'arn:aws:bedrock:us-east-1:111122223333:custom-model/x', baseModelId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT }),
      /provisionedModelArn is 'arn:aws:bedrock:us-east-1:111122223333:custom-model\/x', which is not a Bedrock provisioned-model ARN; expected a form like 'arn:aws:bedrock:us-east-1:111122223333:provisioned-model\/abc123def456'/,
    ],
    [() => BedrockModel.customModel({ customModelArn: 'my-model', baseModelId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT }), /customModelArn is 'my-model', which is not a Bedrock/],
    [() => BedrockModel.applicationInferenceProfile({ profileArn: 'arn:aws:bedrock:us-east-1:1234:application-inference-profile/x', baseModelId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT }), /profileArn is .* not a Bedrock application-inference-profile ARN/],
    [() => BedrockModel.provisionedThroughput({ provisionedModelArn: PROVISIONED_ARN, baseModelId: 'nova pro', kind: BedrockModelKind.CHAT }), /baseModelId is 'nova pro'/],
    [
      () => BedrockModel.provisionedThroughput({ provisionedModelArn: PROVISIONED_ARN, baseModelId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT, region: 'eu-west-1' }),
      /region is 'eu-west-1', but the ARN .* is in us-east-1/,
    ],
  ])('bad input is rejected with a message naming the prop, the value and the fix (%#)', (make, message) => {
    expect(make).toThrow(message);
  });
});

describe('tokens are never rejected', () => {
  test('ARNs, model ids and regions known only at deploy time are accepted', () => {
    const stack = newStack();
    const arn = new CfnParameter(stack, 'Arn').valueAsString;
    const id = new CfnParameter(stack, 'Id').valueAsString;
    const region = new CfnParameter(stack, 'Region').valueAsString;
    expect(() => BedrockModel.provisionedThroughput({ provisionedModelArn: arn, baseModelId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT })).not.toThrow();
    expect(() => BedrockModel.customModel({ customModelArn: arn, baseModelId: id, kind: BedrockModelKind.CHAT, displayName: 'custom' })).not.toThrow();
    expect(() => BedrockModel.applicationInferenceProfile({ profileArn: arn, baseModelId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT })).not.toThrow();
    expect(() => BedrockModel.foundationModel({ modelId: id, kind: BedrockModelKind.CHAT, displayName: 'chat', region })).not.toThrow();
  });

  test('a token model id needs a display name, since none can be derived from it', () => {
    const stack = newStack();
    const id = new CfnParameter(stack, 'Id').valueAsString;
    expect(() => BedrockModel.foundationModel({ modelId: id, kind: BedrockModelKind.CHAT })).toThrow(/displayName is required when the model id is a token/);
  });

  test('a token reaches LiteLLM through the container environment, not the configuration document', () => {
    const stack = newStack({ env: { region: 'us-east-1', account: '111111111111' } });
    const arn = new CfnParameter(stack, 'ProvisionedArn').valueAsString;
    const model = BedrockModel.provisionedThroughput({ provisionedModelArn: arn, baseModelId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT, displayName: 'nova-pt' });
    const { config, environment } = renderLiteLLMConfig([BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2, model]);
    expect(config.model_list[1]).toEqual({
      model_name: 'nova-pt',
      litellm_params: { model: 'bedrock/amazon.nova-pro-v1:0', model_id: 'os.environ/BEDROCK_MODEL_1_ID' },
      model_info: { mode: 'chat' },
    });
    expect(JSON.stringify(config)).not.toMatch(/\$\{Token/);
    expect(stack.resolve(environment)).toEqual({ BEDROCK_MODEL_1_ID: { Ref: 'ProvisionedArn' } });

    new LiteLLMService(stack, 'LiteLLM', {
      cluster: new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }) }),
      models: [BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, BedrockModel.AMAZON_TITAN_IMAGE_GENERATOR_V2, model,
        BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2],
    });
    const template = Template.fromStack(stack);
    expect(envOf(containers(template).litellm).BEDROCK_MODEL_2_ID).toEqual({ Ref: 'ProvisionedArn' });
    const invoke = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .find((s: any) => s.Sid === 'InvokeConfiguredBedrockModels');
    expect(invoke.Resource).toContainEqual({ Ref: 'ProvisionedArn' });
  });
});

describe('renderLiteLLMConfig', () => {
  test('renders model_list, drop_params, retries and timeouts, and a master key read from the environment', () => {
    const { config, environment } = renderLiteLLMConfig([
      BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL,
      BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1,
      BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2,
      BedrockModel.provisionedThroughput({ provisionedModelArn: PROVISIONED_ARN, baseModelId: 'amazon.nova-pro-v1:0', kind: BedrockModelKind.CHAT }),
    ]);
    expect(environment).toEqual({});
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
        {
          model_name: 'nova-pro-v1-provisioned',
          litellm_params: { model: 'bedrock/amazon.nova-pro-v1:0', model_id: PROVISIONED_ARN, aws_region_name: 'us-east-1' },
          model_info: { mode: 'chat' },
        },
      ],
      litellm_settings: { drop_params: true },
      // Each value is proven against the real proxy in test/contract/litellm.failures.test.ts.
      router_settings: ROUTER_SETTINGS,
      general_settings: { master_key: 'os.environ/LITELLM_MASTER_KEY' },
    });
  });
});

describe('model checks at synth', () => {
  function serve(models: BedrockModel[], region = 'us-west-2'): Stack {
    const stack = newStack({ env: { region, account: '111111111111' } });
    new LiteLLMService(stack, 'LiteLLM', {
      cluster: new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }) }),
      models,
    });
    return stack;
  }
  const chat = BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL;
  const embed = BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2;

  test('no image model: a warning that image generation is off', () => {
    Annotations.fromStack(serve([chat, embed])).hasWarning(
      '/Test/LiteLLM',
      Match.stringLikeRegexp('models has no image model, so image generation is off; add one, for example BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1'),
    );
  });

  test('no chat model', () => {
    expect(() => serve([embed])).toThrow(
      'models has no CHAT model (received: titan-embed-text-v2 (EMBEDDING)); add one, for example BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL',
    );
  });

  test('duplicate display names', () => {
    expect(() => serve([chat, BedrockModel.AMAZON_NOVA_LITE_V1.withOptions({ displayName: 'claude-haiku-4.5' }), BedrockModel.STABILITY_SD3_5_LARGE_V1, embed])).toThrow(
      /two models with the display name 'claude-haiku-4.5'; give one of them another name with model.withOptions/,
    );
  });

  test('a model pinned to another region with no egress is an error', () => {
    expect(() => serve([chat, BedrockModel.STABILITY_STABLE_IMAGE_ULTRA_V1_1, embed], 'eu-west-1')).toThrow(
      "models contains 'stable-image-ultra' (stability.stable-image-ultra-v1:1) in region us-west-2, but the stack is in eu-west-1 and, with egress InternetEgress.NONE, "
      + 'the tasks reach Bedrock only through the VPC endpoint of eu-west-1; deploy to us-west-2, choose a model served in eu-west-1, set egress to '
      + 'InternetEgress.NAT_GATEWAY, or leave the image model out of models for a deployment without image generation',
    );
  });

  test('a model past its end of life gives a warning that calls fail, naming its successor', () => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const stack = serve([chat, BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1, BedrockModel.AMAZON_TITAN_IMAGE_GENERATOR_V2, embed]);
    Annotations.fromStack(stack).hasWarning(
      '/Test/LiteLLM',
      `Model 'titan-image-generator-v2' (amazon.titan-image-generator-v2:0) reached its end of life on Amazon Bedrock on 2026-06-30 (catalog checked ${CATALOG_CHECKED_ON}): `
      + 'calls to it fail, unless the account was granted extended access. Move to BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1. [ack: cdk-bedrock-image-chat:modelEndOfLife]',
    );
    expect(Annotations.fromStack(stack).findWarning('/Test/LiteLLM', Match.stringLikeRegexp('stable-image-core.*(Legacy|end of life)'))).toHaveLength(0);
  });

  test('a Legacy model gives a warning with its end-of-life date and successor', () => {
    const stack = serve([BedrockModel.ANTHROPIC_CLAUDE_SONNET_4_5_GLOBAL, BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1, embed]);
    Annotations.fromStack(stack).hasWarning(
      '/Test/LiteLLM',
      Match.stringLikeRegexp(`Model 'claude-sonnet-4.5' .* is Legacy on Amazon Bedrock, with end of life on 2027-04-08 \\(catalog checked ${CATALOG_CHECKED_ON}\\).*move to BedrockModel.ANTHROPIC_CLAUDE_SONNET_4_6_GLOBAL`),
    );
  });

  test('the end-of-life warning can be acknowledged by its id', () => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const stack = serve([chat, BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1, BedrockModel.AMAZON_NOVA_CANVAS_V1.withOptions({ region: 'us-west-2' }), embed]);
    CdkAnnotations.of(stack.node.findChild('LiteLLM')).acknowledgeWarning('cdk-bedrock-image-chat:modelEndOfLife', 'moving off Nova Canvas next sprint');
    expect(Annotations.fromStack(stack).findWarning('/Test/LiteLLM', Match.stringLikeRegexp('end of life'))).toHaveLength(0);
  });

  test('a catalog model not listed in the stack region gives a warning', () => {
    const stack = serve([chat, BedrockModel.AMAZON_NOVA_CANVAS_V1, embed], 'us-west-2');
    Annotations.fromStack(stack).hasWarning(
      '/Test/LiteLLM',
      Match.stringLikeRegexp("'nova-canvas' .* is not listed as served in us-west-2 .*served in us-east-1, eu-west-1, ap-northeast-1"),
    );
  });

  test('the default models in us-west-2 give no model warning', () => {
    const stack = serve([chat, BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1, embed]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Model|model'))).toHaveLength(0);
  });

  test('an image model LiteLLM has no request format for gives a warning', () => {
    const unknown = BedrockModel.foundationModel({ modelId: 'acme.painter-v1:0', kind: BedrockModelKind.IMAGE });
    const stack = serve([chat, unknown, embed]);
    Annotations.fromStack(stack).hasWarning('/Test/LiteLLM', Match.stringLikeRegexp("Image model 'painter-v1' \\(acme.painter-v1:0\\) is not Nova Canvas"));
  });
});

describe('the catalog data table', () => {
  const source = fs.readFileSync(path.join(__dirname, '..', 'src', 'bedrock-model.ts'), 'utf-8');
  const members = Object.entries(BedrockModel).filter(([, v]) => v instanceof BedrockModel).map(([k]) => k);

  test('every row is a member and every member a row', () => {
    expect(members.sort()).toEqual(Object.keys(CATALOG_DATA).sort());
  });

  test.each(Object.keys(CATALOG_DATA))('%s is a well-formed row', (member) => {
    expect(catalogEntryProblems(CATALOG_DATA[member])).toEqual([]);
  });

  test('the row checks find what is wrong with a row', () => {
    const good = CATALOG_DATA.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL;
    const bad = { ...good, apis: [], regions: ['us-east-1'], lifecycle: 'LEGACY', endOfLifeDate: undefined } as unknown as CatalogEntry;
    expect(catalogEntryProblems(bad)).toEqual([
      'apis must name at least one Bedrock runtime API',
      'regions must be empty for a global profile, and only then',
      'a LEGACY row needs its endOfLifeDate',
    ]);
    expect(catalogEntryProblems({ ...good, apis: ['CONVERSE_STREAM' as any] })).toEqual([
      "apis holds 'CONVERSE_STREAM', which is not CONVERSE, INVOKE, MESSAGES, CHAT_COMPLETIONS",
    ]);
  });

  test.each(Object.keys(CATALOG_DATA))('%s is @deprecated exactly when it is past its end of life, naming its successor', (member) => {
    const row = CATALOG_DATA[member];
    const declaration = source.indexOf(`public static readonly ${member} =`);
    const doc = source.substring(source.lastIndexOf('/**', declaration), declaration);
    expect(doc.includes('@deprecated')).toBe(isPastEndOfLife(row));
    if (isPastEndOfLife(row)) {
      expect(doc).toContain(`end of life on ${row.endOfLifeDate}; use \`${row.successor}\``);
    }
    if (row.successor !== undefined) {
      expect(CATALOG_DATA[row.successor]?.lifecycle).toBe('ACTIVE');
    }
  });

  test('a synth gives the same template and messages on any day: lifecycle comes from the checked date, not the clock', () => {
    const synthOn = (day: string) => {
      jest.useFakeTimers({ now: new Date(day) });
      try {
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        const models = [BedrockModel.ANTHROPIC_CLAUDE_SONNET_4_5_GLOBAL, BedrockModel.AMAZON_NOVA_CANVAS_V1.withOptions({ region: 'us-west-2' }), BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2];
        const stack = newStack({ env: { region: 'us-west-2', account: '111111111111' } });
        new LiteLLMService(stack, 'LiteLLM', { cluster: new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }) }), models });
        const messages = Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => w.entry.data);
        return JSON.stringify([Template.fromStack(stack).toJSON(), messages]);
      } finally {
        jest.useRealTimers();
      }
    };
    expect(synthOn('2026-01-01T00:00:00Z')).toEqual(synthOn('2031-06-15T00:00:00Z'));
  });
});

test('a factory-made model of a catalog embedding model gets the catalog\'s vector lengths', () => {
  const nova = BedrockModel.foundationModel({ modelId: 'amazon.nova-2-multimodal-embeddings-v1:0', kind: BedrockModelKind.EMBEDDING, displayName: 'nova-mme' });
  const titan = BedrockModel.foundationModel({ modelId: 'amazon.titan-embed-text-v2:0', kind: BedrockModelKind.EMBEDDING, region: 'us-east-1' });
  const { config } = renderLiteLLMConfig([nova, titan]);
  expect(config.model_list.map((m) => m.litellm_params.dimensions)).toEqual([1024, undefined]);
  expect([nova, titan].map((m) => embeddingDimensions(m))).toEqual([1024, 1024]);
});
