import { Token } from 'aws-cdk-lib';
import { BedrockModel } from '../bedrock-model';

/**
 * How an image size reaches each Bedrock image model family, and which sizes each can make.
 *
 * Open WebUI sends the OpenAI `size` (`WIDTHxHEIGHT`) with every image request. LiteLLM maps it
 * to `width`/`height` for the Amazon models (Nova Canvas, Titan Image Generator), but maps no
 * OpenAI parameter for the Stability models (litellm/llms/bedrock/image_generation/
 * amazon_stability3_transformation.py), and `drop_params` then removes it: Bedrock would receive
 * the prompt alone. Stability models take an `aspect_ratio` instead, which LiteLLM passes through
 * unchanged, so the construct sends it as an extra request parameter.
 */

/** The aspect ratios the Stability models on Bedrock accept (SD3.5 Large, Stable Image Core and Ultra). */
const STABILITY_ASPECT_RATIOS = ['1:1', '16:9', '21:9', '2:3', '3:2', '4:5', '5:4', '9:16', '9:21'];

/** The sizes Titan Image Generator v2 accepts (Bedrock user guide, Titan Image Generator request parameters). */
const TITAN_IMAGE_SIZES = [
  '1024x1024', '768x768', '512x512', '768x1152', '384x576', '1152x768', '576x384', '768x1280', '384x640',
  '1280x768', '640x384', '896x1152', '448x576', '1152x896', '576x448', '768x1408', '384x704', '1408x768',
  '704x384', '640x1408', '320x704', '1408x640', '704x320', '1152x640', '1173x640',
];

/** What the Open WebUI container sends for an image size. */
export interface ImageRequest {
  /** The OpenAI `size` (`IMAGE_SIZE`). */
  readonly size: string;
  /** Extra request parameters (`IMAGES_OPENAI_PARAMS`), for model families that ignore `size`. */
  readonly params?: Record<string, string>;
}

/**
 * The request an image size becomes for `model`. Throws when the model cannot make that size,
 * naming the sizes it can make.
 */
export function imageRequestFor(model: BedrockModel, size: string): ImageRequest {
  if (Token.isUnresolved(size)) {
    return { size };
  }
  const match = /^(\d{2,5})x(\d{2,5})$/.exec(size);
  if (!match) {
    throw new Error(`imageSize is '${size}'; use WIDTHxHEIGHT in pixels, for example '1024x1024'`);
  }
  const width = Number(match[1]);
  const height = Number(match[2]);
  const id = model.foundationModelId;
  const fail = (allowed: string): never => {
    throw new Error(`imageSize is '${size}', which ${model.displayName} (${id}) cannot make; use ${allowed}, or choose another imageModel`);
  };

  if (id.startsWith('stability.') && (id.includes('sd3') || id.includes('stable-image'))) {
    const divisor = gcd(width, height);
    const ratio = `${width / divisor}:${height / divisor}`;
    if (!STABILITY_ASPECT_RATIOS.includes(ratio)) {
      fail(`a size with one of the aspect ratios ${STABILITY_ASPECT_RATIOS.join(', ')} (for example '1024x1024' or '1024x576'; the model renders about one megapixel in that ratio)`);
    }
    return { size, params: { aspect_ratio: ratio } };
  }
  if (id.startsWith('amazon.titan-image-generator')) {
    if (!TITAN_IMAGE_SIZES.includes(size)) {
      fail(`one of ${TITAN_IMAGE_SIZES.join(', ')}`);
    }
    return { size };
  }
  if (id.startsWith('amazon.nova-canvas')) {
    const ratio = width / height;
    if (width % 16 !== 0 || height % 16 !== 0 || width < 320 || height < 320 || width > 4096 || height > 4096
      || ratio > 4 || ratio < 1 / 4 || width * height > 4_194_304) {
      fail('sides of 320 to 4096 pixels, each a multiple of 16, an aspect ratio between 1:4 and 4:1 and at most 4,194,304 pixels (for example \'1024x1024\' or \'1280x720\')');
    }
    return { size };
  }
  // A family this library does not know: LiteLLM passes the size on as it is.
  return { size };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
