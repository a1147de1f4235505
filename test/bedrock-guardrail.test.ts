import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  BedrockGuardrail, BedrockImageChat, BedrockImageChatProps, BedrockModel, GuardrailFilterStrength, SensitiveInformationAction,
} from '../src';
import { containers, envOf, newStack } from './util';
import { GUARDRAIL_STREAM_CHECK_EVERY, renderLiteLLMConfig } from '../src/private/litellm-config';

const ENV = { env: { account: '111111111111', region: 'us-west-2' } };

function synth(props: BedrockImageChatProps, env: any = ENV): { template: Template; stack: Stack } {
  const stack = newStack(env);
  new BedrockImageChat(stack, 'Chat', props);
  return { template: Template.fromStack(stack), stack };
}

/** The task role policy statement that lets the proxy apply the guardrail. */
function applyGuardrailStatement(template: Template): any {
  const policies = template.findResources('AWS::IAM::Policy');
  const statements = Object.values<any>(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
  return statements.filter((s) => JSON.stringify(s.Action).includes('bedrock:ApplyGuardrail'));
}

describe('a new guardrail with the defaults', () => {
  const { template } = synth({ litellm: { guardrail: BedrockGuardrail.create() } });

  test('filters harmful content at MEDIUM both ways and prompt attacks at HIGH on input', () => {
    const filters = ['HATE', 'INSULTS', 'SEXUAL', 'VIOLENCE', 'MISCONDUCT'].map((type) => ({ Type: type, InputStrength: 'MEDIUM', OutputStrength: 'MEDIUM' }));
    template.hasResourceProperties('AWS::Bedrock::Guardrail', {
      ContentPolicyConfig: { FiltersConfig: [...filters, { Type: 'PROMPT_ATTACK', InputStrength: 'HIGH', OutputStrength: 'NONE' }] },
      BlockedInputMessaging: 'Sorry, this request is not allowed by the content policy of this app.',
      BlockedOutputsMessaging: 'Sorry, the answer was withheld by the content policy of this app.',
      TopicPolicyConfig: Match.absent(),
      SensitiveInformationPolicyConfig: Match.absent(),
    });
  });

  test('the proxy applies its published version, named in the task environment', () => {
    template.resourceCountIs('AWS::Bedrock::GuardrailVersion', 1);
    const env = envOf(containers(template).litellm);
    expect(env.GUARDRAIL_ID).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ChatLiteLLMGuardrail/), 'GuardrailId'] });
    expect(env.GUARDRAIL_VERSION).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ChatLiteLLMGuardrailVersion/), 'Version'] });
  });

  test('the task role may apply this guardrail only', () => {
    const statements = applyGuardrailStatement(template);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Action: 'bedrock:ApplyGuardrail', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ChatLiteLLMGuardrail/), 'GuardrailArn'] } });
  });
});

describe('the proxy configuration', () => {
  const config = (anonymizes: boolean) => renderLiteLLMConfig([BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL], [], {
    guardrailId: 'abcd1234efgh', guardrailVersion: '3', guardrailArn: 'arn:aws:bedrock:us-west-2:111111111111:guardrail/abcd1234efgh', anonymizes,
  }).config;

  test('checks what users send before every call, and what chat models answer, and answers a refusal in the chat', () => {
    const [input, output] = config(false).guardrails!;
    expect(input).toEqual({
      guardrail_name: 'bedrock-guardrail-input',
      litellm_params: {
        guardrail: 'bedrock',
        mode: 'pre_call',
        guardrailIdentifier: 'abcd1234efgh',
        guardrailVersion: '3',
        default_on: true,
        disable_exception_on_block: true,
        mask_request_content: true,
      },
    });
    expect(output.litellm_params).toMatchObject({ mode: 'post_call', default_on: true, disable_exception_on_block: true });
  });

  test('a streamed answer goes on in checked pieces, unless the guardrail anonymizes', () => {
    expect(config(false).guardrails![1].litellm_params).toMatchObject({
      streaming_buffer_until_moderated: true, streaming_buffer_release_on_scan: true, streaming_sampling_rate: GUARDRAIL_STREAM_CHECK_EVERY,
    });
    const anonymizing = config(true).guardrails![1].litellm_params;
    expect(anonymizing).toMatchObject({ mask_response_content: true });
    expect(anonymizing.streaming_buffer_release_on_scan).toBeUndefined();
  });

  test('without a guardrail there is no guardrails section', () => {
    expect(renderLiteLLMConfig([BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL]).config.guardrails).toBeUndefined();
  });
});

describe('a new guardrail with topics and sensitive information', () => {
  const { template } = synth({
    litellm: {
      guardrail: BedrockGuardrail.create({
        contentFilterStrength: GuardrailFilterStrength.HIGH,
        promptAttackStrength: GuardrailFilterStrength.MEDIUM,
        deniedTopics: [{ name: 'Investment advice', definition: 'Recommendations on which assets to buy or sell.', examples: ['Which stock should I buy?'] }],
        sensitiveInformation: [
          { type: 'US_SOCIAL_SECURITY_NUMBER', action: SensitiveInformationAction.BLOCK },
          { type: 'EMAIL', action: SensitiveInformationAction.ANONYMIZE },
        ],
        blockedInputMessage: 'Our policy does not allow this.',
      }),
    },
  });

  test('the guardrail has them', () => {
    template.hasResourceProperties('AWS::Bedrock::Guardrail', {
      ContentPolicyConfig: { FiltersConfig: Match.arrayWith([{ Type: 'HATE', InputStrength: 'HIGH', OutputStrength: 'HIGH' }, { Type: 'PROMPT_ATTACK', InputStrength: 'MEDIUM', OutputStrength: 'NONE' }]) },
      TopicPolicyConfig: { TopicsConfig: [{ Name: 'Investment advice', Definition: 'Recommendations on which assets to buy or sell.', Examples: ['Which stock should I buy?'], Type: 'DENY' }] },
      SensitiveInformationPolicyConfig: { PiiEntitiesConfig: [{ Type: 'US_SOCIAL_SECURITY_NUMBER', Action: 'BLOCK' }, { Type: 'EMAIL', Action: 'ANONYMIZE' }] },
      BlockedInputMessaging: 'Our policy does not allow this.',
    });
  });

  test('a change of the settings publishes a new version (a new description replaces the version)', () => {
    const versionOf = (t: Template) => Object.values<any>(t.findResources('AWS::Bedrock::GuardrailVersion'))[0].Properties.Description;
    const other = synth({ litellm: { guardrail: BedrockGuardrail.create({ blockedInputMessage: 'Something else.' }) } }).template;
    const same = synth({ litellm: { guardrail: BedrockGuardrail.create({ blockedInputMessage: 'Something else.' }) } }).template;
    expect(versionOf(other)).not.toBe(versionOf(template));
    expect(versionOf(other)).toBe(versionOf(same));
  });
});

describe('an existing guardrail', () => {
  test('by id: the task role may apply it in the stack\'s region and account', () => {
    const { template } = synth({ litellm: { guardrail: BedrockGuardrail.fromGuardrailId({ guardrailId: 'abcd1234efgh', guardrailVersion: '2' }) } });
    template.resourceCountIs('AWS::Bedrock::Guardrail', 0);
    const env = envOf(containers(template).litellm);
    expect(env.GUARDRAIL_ID).toBeUndefined(); // literal values are written into the configuration itself
    expect(applyGuardrailStatement(template)[0].Resource).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-west-2:111111111111:guardrail/abcd1234efgh']],
    });
  });

  test('by ARN: that ARN', () => {
    const arn = 'arn:aws:bedrock:us-west-2:222222222222:guardrail/abcd1234efgh';
    const { template } = synth({ litellm: { guardrail: BedrockGuardrail.fromGuardrailId({ guardrailId: arn, guardrailVersion: 'DRAFT' }) } });
    expect(applyGuardrailStatement(template)[0].Resource).toBe(arn);
  });
});

describe('guardrail errors name the prop, the value and the fix', () => {
  test.each<[string, () => unknown, RegExp]>([
    ['a version that is neither a number nor DRAFT', () => BedrockGuardrail.fromGuardrailId({ guardrailId: 'abcd1234efgh', guardrailVersion: 'v1' }),
      /^guardrailVersion is 'v1', which is neither a version number nor DRAFT; give the number of a published version \(for example '1'\)/],
    ['version 0', () => BedrockGuardrail.fromGuardrailId({ guardrailId: 'abcd1234efgh', guardrailVersion: '0' }), /^guardrailVersion is '0'/],
    ['draft in lower case', () => BedrockGuardrail.fromGuardrailId({ guardrailId: 'abcd1234efgh', guardrailVersion: 'draft' }), /^guardrailVersion is 'draft'/],
    ['an id that is neither', () => BedrockGuardrail.fromGuardrailId({ guardrailId: 'My Guardrail', guardrailVersion: '1' }),
      /^guardrailId is 'My Guardrail', which is neither a guardrail id nor a guardrail ARN/],
    ['an unknown sensitive information type', () => BedrockGuardrail.create({ sensitiveInformation: [{ type: 'SSN', action: SensitiveInformationAction.BLOCK }] }),
      /^sensitiveInformation\[0\]\.type is 'SSN', which Bedrock does not know; use one of ADDRESS, AGE/],
    ['a type twice', () => BedrockGuardrail.create({ sensitiveInformation: [{ type: 'EMAIL', action: SensitiveInformationAction.BLOCK }, { type: 'EMAIL', action: SensitiveInformationAction.ANONYMIZE }] }),
      /^sensitiveInformation lists EMAIL twice/],
    ['a topic name with a slash', () => BedrockGuardrail.create({ deniedTopics: [{ name: 'Buy/sell', definition: 'Trading.' }] }),
      /^deniedTopics\[0\]\.name is "Buy\/sell"; use 1 to 100 letters/],
    ['a long definition', () => BedrockGuardrail.create({ deniedTopics: [{ name: 'Trading', definition: 'x'.repeat(201) }] }),
      /^deniedTopics\[0\]\.definition is "x+"; give 1 to 200 characters/],
    ['six examples', () => BedrockGuardrail.create({ deniedTopics: [{ name: 'Trading', definition: 'Trading.', examples: ['a', 'b', 'c', 'd', 'e', 'f'] }] }),
      /^deniedTopics\[0\]\.examples has 6 examples; give at most 5/],
    ['an empty blocked message', () => BedrockGuardrail.create({ blockedInputMessage: ' ' }), /^blockedInputMessage is " "; give 1 to 500 characters/],
    ['a strength that is not one', () => BedrockGuardrail.create({ contentFilterStrength: 'VERY_HIGH' as GuardrailFilterStrength }),
      /^contentFilterStrength is 'VERY_HIGH'; use GuardrailFilterStrength.LOW, MEDIUM or HIGH/],
  ])('%s', (_name, make, error) => {
    expect(make).toThrow(error);
  });

  test('a guardrail in another region than the stack', () => {
    const guardrail = BedrockGuardrail.fromGuardrailId({ guardrailId: 'arn:aws:bedrock:eu-west-1:111111111111:guardrail/abcd1234efgh', guardrailVersion: '1' });
    expect(() => synth({ litellm: { guardrail } })).toThrow(
      /^guardrailId is 'arn:aws:bedrock:eu-west-1:111111111111:guardrail\/abcd1234efgh', a guardrail in eu-west-1; the proxy calls ApplyGuardrail through the VPC endpoint of its own region \(us-west-2\), so use a guardrail in us-west-2/,
    );
  });
});

describe('what the service tells about its guardrail', () => {
  test('the applied guardrail is an attribute, and its metrics watch that version', () => {
    const stack = newStack(ENV);
    const chat = new BedrockImageChat(stack, 'Chat', {
      litellm: { guardrail: BedrockGuardrail.fromGuardrailId({ guardrailId: 'abcd1234efgh', guardrailVersion: '3' }) },
    });
    expect(chat.litellm.guardrail).toMatchObject({ guardrailId: 'abcd1234efgh', guardrailVersion: '3' });
    const metric = chat.litellm.metricGuardrailInterventions();
    expect(metric).toMatchObject({ namespace: 'AWS/Bedrock/Guardrails', metricName: 'InvocationsIntervened', statistic: 'Sum' });
    expect(stack.resolve(metric.dimensions)).toEqual({
      GuardrailArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-west-2:111111111111:guardrail/abcd1234efgh']] },
      GuardrailVersion: '3',
    });
    expect(chat.litellm.metricGuardrailChecks().metricName).toBe('Invocations');
  });

  test('the dashboard graphs the checks and interventions of the guardrail', () => {
    const { template } = synth({ litellm: { guardrail: BedrockGuardrail.create() } });
    const body = JSON.stringify(Object.values<any>(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    expect(body).toContain('Guardrail checks and interventions');
    expect(body).toContain('AWS/Bedrock/Guardrails');
  });

  test('without a guardrail: no attribute, no dashboard graph, and its metrics say what is missing', () => {
    const stack = newStack(ENV);
    const chat = new BedrockImageChat(stack, 'Chat');
    expect(chat.litellm.guardrail).toBeUndefined();
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('Guardrail checks');
    expect(() => chat.litellm.metricGuardrailInterventions()).toThrow(/metricGuardrailInterventions\(\) needs a guardrail.*set guardrail/);
  });
});
