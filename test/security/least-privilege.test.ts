import { Template } from 'aws-cdk-lib/assertions';
import { synthesize } from './configurations';

const template = Template.fromStack(synthesize('https').stack);
const resources = template.toJSON().Resources as Record<string, any>;

/** Every Allow statement of every IAM policy and role in the template, with the policy's logical id. */
function statements(): { policy: string; actions: string[]; resources: any[] }[] {
  const result: { policy: string; actions: string[]; resources: any[] }[] = [];
  for (const [id, r] of Object.entries(resources)) {
    const documents = r.Type === 'AWS::IAM::Policy' ? [r.Properties.PolicyDocument] : r.Type === 'AWS::IAM::Role' ? (r.Properties.Policies ?? []).map((p: any) => p.PolicyDocument) : [];
    for (const document of documents) {
      for (const s of document.Statement.filter((x: any) => x.Effect === 'Allow')) {
        result.push({ policy: id, actions: [s.Action].flat(), resources: [s.Resource].flat() });
      }
    }
  }
  return result;
}

test('every statement on "*" is one AWS requires (docs/security.md lists them)', () => {
  const onStar = statements().filter((s) => s.resources.includes('*')).map((s) => `${s.policy.replace(/[0-9A-F]{8}$/, '')}: ${s.actions.sort().join(', ')}`).sort();
  expect(onStar).toEqual([
    'BedrockImageChatImageCopyRoleDefaultPolicy: ecr:GetAuthorizationToken',
    'ChatLiteLLMTaskDefinitionExecutionRoleDefaultPolicy: ecr:GetAuthorizationToken',
    'ChatOpenWebUITaskDefinitionExecutionRoleDefaultPolicy: ecr:GetAuthorizationToken',
    'LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8aServiceRoleDefaultPolicy: logs:DeleteRetentionPolicy, logs:PutRetentionPolicy',
  ].sort());
});

test('the image-copy function runs with the library role, which may push only to this stack\'s repositories', () => {
  const copyFunctions = Object.entries(resources).filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('CustomCDKECRDeployment'));
  expect(copyFunctions).toHaveLength(1);
  expect(copyFunctions[0][1].Properties.Role).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^BedrockImageChatImageCopyRole/), 'Arn'] });
  const push = statements().filter((s) => s.actions.includes('ecr:PutImage'));
  expect(push.map((s) => s.resources)).toEqual([
    [{ 'Fn::GetAtt': [expect.stringMatching(/^ChatLiteLLMImageRepository/), 'Arn'] }],
    [{ 'Fn::GetAtt': [expect.stringMatching(/^ChatOpenWebUIImageRepository/), 'Arn'] }],
  ]);
});

test('the proxy may only read its configuration documents', () => {
  const s3 = statements().filter((s) => s.policy.startsWith('ChatLiteLLMTaskDefinitionTaskRole') && s.actions.some((a) => a.startsWith('s3:')));
  expect(s3).toEqual([{
    policy: expect.any(String),
    actions: ['s3:GetObject'],
    resources: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^ChatLiteLLMConfigBucket/), 'Arn'] }, '/litellm/*']] }],
  }]);
});
