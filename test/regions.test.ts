import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { BedrockImageChat, BedrockModel, BedrockModelAccess, InternetEgress } from '../src';
import { containers, envOf, newStack, secretsOf } from './util';
import { defaultModels } from '../src/private/default-models';

/**
 * The one-line default in each region: the models it picks, that the tasks can call each of them
 * from that region with the default egress (no internet), and the IAM resources that allow it.
 */
const REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-2'];

/** Where Bedrock serves an Active image model that a task without internet egress can reach. */
const REGIONS_WITH_IMAGE_MODEL = ['us-west-2'];

interface Deployed {
  readonly stack: Stack;
  readonly chat: BedrockImageChat;
  readonly template: Template;
}

const deployments = new Map<string, Deployed>();
function deploy(region: string | undefined, egress?: InternetEgress): Deployed {
  const key = `${region}/${egress}`;
  if (!deployments.has(key)) {
    const stack = newStack(region === undefined ? {} : { env: { account: '111111111111', region } });
    const chat = new BedrockImageChat(stack, 'Chat', egress === undefined ? {} : { network: { egress } });
    deployments.set(key, { stack, chat, template: Template.fromStack(stack) });
  }
  return deployments.get(key)!;
}

/** Every string the LiteLLM task role's policies allow bedrock:InvokeModel on, with CloudFormation references as ${Ref}. */
function invokeResources(d: Deployed): string[] {
  const flat = (v: any): string => {
    if (typeof v === 'string') return v;
    if (v.Ref !== undefined) return `\${${v.Ref}}`;
    if (v['Fn::Join'] !== undefined) return v['Fn::Join'][1].map(flat).join(v['Fn::Join'][0]);
    return JSON.stringify(v);
  };
  const result: string[] = [];
  for (const policy of Object.values(d.template.findResources('AWS::IAM::Policy'))) {
    for (const statement of (policy as any).Properties.PolicyDocument.Statement) {
      const actions = [statement.Action].flat();
      if (actions.includes('bedrock:InvokeModel')) {
        result.push(...[statement.Resource].flat().map(flat));
      }
    }
  }
  return result.sort();
}

/** Whether a task in `region` without internet egress can call the model. */
function reachableWithoutEgress(model: BedrockModel, region: string): boolean {
  if (model.region !== undefined) return model.region === region;
  switch (model.access) {
    case BedrockModelAccess.GLOBAL_INFERENCE_PROFILE:
      return true;
    default:
      return model.regions.includes(region);
  }
}

describe.each(REGIONS)('the default in %s', (region) => {
  const hasImage = REGIONS_WITH_IMAGE_MODEL.includes(region);

  test('picks Claude Haiku 4.5 (global profile) and Titan Text Embeddings v2, and Stable Image Core only where it is reachable', () => {
    const names = deploy(region).chat.litellm.models.map((m) => m.displayName);
    expect(names).toEqual(hasImage
      ? ['claude-haiku-4.5', 'stable-image-core', 'titan-embed-text-v2']
      : ['claude-haiku-4.5', 'titan-embed-text-v2']);
  });

  test('every chosen model can be called from the region without internet egress', () => {
    for (const m of deploy(region).chat.litellm.models) {
      expect([m.displayName, reachableWithoutEgress(m, region)]).toEqual([m.displayName, true]);
    }
  });

  test('the task role may invoke exactly those models, in that region', () => {
    const expected = [
      `arn:\${AWS::Partition}:bedrock:${region}:111111111111:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0`,
      `arn:\${AWS::Partition}:bedrock:${region}::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0`,
      'arn:${AWS::Partition}:bedrock:::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
      `arn:\${AWS::Partition}:bedrock:${region}::foundation-model/amazon.titan-embed-text-v2:0`,
      ...(hasImage ? [`arn:\${AWS::Partition}:bedrock:${region}::foundation-model/stability.stable-image-core-v1:1`] : []),
    ];
    expect(invokeResources(deploy(region))).toEqual(expected.sort());
  });

  test(hasImage ? 'Open WebUI generates images with it' : 'image generation is off, with a warning that says how to turn it on', () => {
    const env = envOf(containers(deploy(region).template)['open-webui']);
    expect(env.ENABLE_IMAGE_GENERATION).toBe(String(hasImage));
    const warnings = Annotations.fromStack(deploy(region).stack).findWarning('*', Match.stringLikeRegexp('Image generation is off'));
    if (hasImage) {
      expect(env.IMAGE_GENERATION_MODEL).toBe('stable-image-core');
      expect(warnings).toHaveLength(0);
    } else {
      expect(env.IMAGE_GENERATION_MODEL).toBeUndefined();
      // Open WebUI gets no key for an image endpoint it never calls.
      expect(secretsOf(containers(deploy(region).template)['open-webui'])).not.toHaveProperty('IMAGES_OPENAI_API_KEY');
      expect(warnings).toHaveLength(1);
      const message = warnings[0].entry.data as string;
      expect(message).toContain(`no Active Bedrock image model can be called from ${region} without internet access`);
      expect(message).toContain('deploy the stack to us-west-2, or set network.egress to InternetEgress.NAT_GATEWAY');
      expect(message).toContain('[ack: cdk-bedrock-image-chat:noImageModel]');
    }
  });

  test('no other model warning', () => {
    const modelWarnings = Annotations.fromStack(deploy(region).stack).findWarning('*', Match.stringLikeRegexp('[Mm]odel'))
      .filter((w) => !(w.entry.data as string).includes('Image generation is off'));
    expect(modelWarnings).toEqual([]);
  });
});

describe('with internet egress', () => {
  test.each(REGIONS.filter((r) => r !== 'us-west-2'))('%s gets Stable Image Core, invoked in us-west-2', (region) => {
    const d = deploy(region, InternetEgress.NAT_GATEWAY);
    const image = d.chat.litellm.models.find((m) => m.displayName === 'stable-image-core')!;
    expect(image.region).toBe('us-west-2');
    expect(invokeResources(d)).toContain('arn:${AWS::Partition}:bedrock:us-west-2::foundation-model/stability.stable-image-core-v1:1');
    expect(envOf(containers(d.template)['open-webui']).ENABLE_IMAGE_GENERATION).toBe('true');
    expect(Annotations.fromStack(d.stack).findWarning('*', Match.stringLikeRegexp('Image generation is off'))).toHaveLength(0);
  });
});

describe('an environment-agnostic stack', () => {
  test('still synthesizes all three models, and warns that the image model needs us-west-2 or egress', () => {
    const d = deploy(undefined);
    expect(d.chat.litellm.models.map((m) => m.displayName)).toEqual(['claude-haiku-4.5', 'stable-image-core', 'titan-embed-text-v2']);
    Annotations.fromStack(d.stack).hasWarning('/Test/Chat/LiteLLM', Match.stringLikeRegexp("'stable-image-core' .* is invoked in us-west-2, but the stack has no region set"));
  });
});

describe('an image model the region cannot serve, chosen alone', () => {
  test('one error names the prop, the models prop, the region and the egress', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    expect(() => new BedrockImageChat(stack, 'Chat', { openWebUI: { imageModel: BedrockModel.STABILITY_STABLE_IMAGE_ULTRA_V1_1 } })).toThrow(
      "openWebUI.imageModel is 'stable-image-ultra', which is not among the models served; add it to models too (served IMAGE models: none). "
      + 'It is invoked in us-west-2, and with network.egress InternetEgress.NONE the tasks in us-east-1 reach Bedrock only through the VPC endpoint of us-east-1: '
      + 'also set network.egress to InternetEgress.NAT_GATEWAY, or deploy the stack to us-west-2',
    );
  });

  test('with egress, the error asks only for the model in models', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    expect(() => new BedrockImageChat(stack, 'Chat', {
      network: { egress: InternetEgress.NAT_GATEWAY },
      openWebUI: { imageModel: BedrockModel.STABILITY_STABLE_IMAGE_ULTRA_V1_1 },
    })).toThrow(/^openWebUI.imageModel is 'stable-image-ultra', which is not among the models served; add it to models too \(served IMAGE models: stable-image-core\)$/);
  });
});

describe('defaultModels', () => {
  test('depends only on the region and the egress', () => {
    expect(defaultModels('eu-west-1', false)).toEqual(defaultModels('eu-west-1', false));
    expect(defaultModels('eu-west-1', true).noImageReason).toBeUndefined();
    expect(defaultModels('us-west-2', false).noImageReason).toBeUndefined();
    expect(defaultModels('ap-southeast-2', false).noImageReason).toContain('ap-southeast-2');
  });
});
