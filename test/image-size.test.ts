import { BedrockModel, BedrockModelKind } from '../src';
import { imageRequestFor } from '../src/private/image-size';

const STABILITY = [
  BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1,
  BedrockModel.STABILITY_STABLE_IMAGE_ULTRA_V1_1,
  BedrockModel.STABILITY_SD3_5_LARGE_V1,
];

describe('the requested size reaches each image model in its own terms', () => {
  test.each([
    ['1024x1024', '1:1'],
    ['1024x576', '16:9'],
    ['768x1152', '2:3'],
    ['896x1120', '4:5'],
  ])('Stability: %s becomes aspect_ratio %s', (size, ratio) => {
    for (const model of STABILITY) {
      expect(imageRequestFor(model, size)).toEqual({ size, params: { aspect_ratio: ratio } });
    }
  });

  test.each(['1024x1024', '1280x720', '320x1280', '4096x1024'])('Nova Canvas: %s is sent as the size (LiteLLM maps it to width and height)', (size) => {
    expect(imageRequestFor(BedrockModel.AMAZON_NOVA_CANVAS_V1, size)).toEqual({ size });
  });

  test.each(['1024x1024', '1173x640', '384x704'])('Titan Image Generator v2: %s is one of its sizes', (size) => {
    expect(imageRequestFor(BedrockModel.AMAZON_TITAN_IMAGE_GENERATOR_V2, size)).toEqual({ size });
  });

  test('a model given by ARN is judged by its base model', () => {
    const provisioned = BedrockModel.provisionedThroughput({
      provisionedModelArn: 'arn:aws:bedrock:us-west-2:111122223333:provisioned-model/abc123',
      baseModelId: 'stability.sd3-5-large-v1:0',
      kind: BedrockModelKind.IMAGE,
      displayName: 'sd-provisioned',
    });
    expect(imageRequestFor(provisioned, '1024x576')).toEqual({ size: '1024x576', params: { aspect_ratio: '16:9' } });
    expect(() => imageRequestFor(provisioned, '1000x100')).toThrow(/sd-provisioned \(stability.sd3-5-large-v1:0\) cannot make/);
  });
});

describe('a size the model cannot make is an error that names the prop, the value and the fix', () => {
  test.each([
    [BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1, '1344x576', /imageSize is '1344x576', which stable-image-core .* cannot make; use a size with one of the aspect ratios 1:1, 16:9, 21:9, 2:3, 3:2, 4:5, 5:4, 9:16, 9:21/],
    [BedrockModel.AMAZON_NOVA_CANVAS_V1, '1000x1000', /imageSize is '1000x1000', which nova-canvas .* cannot make; use sides of 320 to 4096 pixels, each a multiple of 16/],
    [BedrockModel.AMAZON_NOVA_CANVAS_V1, '4096x4096', /at most 4,194,304 pixels/],
    [BedrockModel.AMAZON_NOVA_CANVAS_V1, '2048x320', /an aspect ratio between 1:4 and 4:1/],
    [BedrockModel.AMAZON_TITAN_IMAGE_GENERATOR_V2, '1280x720', /imageSize is '1280x720', which titan-image-generator-v2 .* cannot make; use one of 1024x1024, 768x768/],
    [BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1, 'big', /imageSize is 'big'; use WIDTHxHEIGHT in pixels, for example '1024x1024'/],
    [BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1, '1024X1024', /imageSize is '1024X1024'; use WIDTHxHEIGHT/],
  ])('%s with %s', (model, size, message) => {
    expect(() => imageRequestFor(model, size)).toThrow(message);
  });
});
