/**
 * OpenWebUIService used directly, as a user composing the parts does (behind a load balancer of
 * their own, so without the L3's URL, listener or CloudFront).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BedrockModel, FileStorage, LiteLLMService, OpenWebUIService } from '../src';
import { containers, envOf, newStack, secretsOf } from './util';

const ENV = { env: { account: '111111111111', region: 'us-east-1' } };

function webui(props: Partial<ConstructorParameters<typeof OpenWebUIService>[2]> = {}, models?: BedrockModel[]) {
  const stack = newStack(ENV);
  const cluster = new ecs.Cluster(stack, 'Cluster');
  const litellm = new LiteLLMService(stack, 'LiteLLM', { cluster, models });
  const service = new OpenWebUIService(stack, 'WebUI', { cluster, litellm, ...props });
  const template = Template.fromStack(stack);
  return { stack, litellm, service, template, env: envOf(containers(template)['open-webui']) };
}

describe('the defaults, behind a load balancer the construct does not know', () => {
  const { stack, litellm, service, template, env } = webui();

  test('no public URL: no links or CORS origin are set, and cookies are not marked secure', () => {
    expect(env).not.toHaveProperty('WEBUI_URL');
    expect(env).not.toHaveProperty('CORS_ALLOW_ORIGIN');
    expect(env).toMatchObject({ WEBUI_SESSION_COOKIE_SECURE: 'false', WEBUI_AUTH_COOKIE_SECURE: 'false' });
  });

  test('us-east-1 has no image model without egress, so image generation is off; chat and documents through LiteLLM', () => {
    expect(env.ENABLE_IMAGE_GENERATION).toBe('false');
    expect(env).not.toHaveProperty('IMAGE_GENERATION_MODEL');
    expect(env).toMatchObject({ RAG_EMBEDDING_MODEL: BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2.displayName, ENABLE_OPENAI_API: 'true', ENABLE_OLLAMA_API: 'false' });
    expect(JSON.parse(env.OPENAI_API_CONFIGS)['0'].model_ids).toEqual([BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL.displayName]);
  });

  test('Open WebUI\'s own work (titles, tags, follow-ups, queries) runs on the first chat model', () => {
    expect(env.TASK_MODEL_EXTERNAL).toBe(BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL.displayName);
  });

  test('the first admin from a generated secret, signup closed, secrets only as ECS secrets', () => {
    expect(service.adminEmail).toBe('admin@example.com');
    expect(env).toMatchObject({ WEBUI_ADMIN_EMAIL: 'admin@example.com', ENABLE_SIGNUP: 'false' });
    expect(Object.keys(secretsOf(containers(template)['open-webui'])).sort()).toEqual([
      'DATABASE_PASSWORD', 'DATABASE_USER', 'OPENAI_API_KEY', 'RAG_OPENAI_API_KEY', 'WEBUI_ADMIN_PASSWORD', 'WEBUI_SECRET_KEY',
    ]);
  });

  test('its data is kept: PostgreSQL and the file system are retained, and backed up daily', () => {
    template.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Retain' });
    template.hasResource('AWS::EFS::FileSystem', { DeletionPolicy: 'Retain' });
    expect(service.fileSystem).toBeDefined();
    expect(service.filesBucket).toBeUndefined();
    expect(service.backupPlan).toBeDefined();
  });

  test('Open WebUI may call LiteLLM, and LiteLLM admits nothing else', () => {
    const litellmGroup = stack.resolve(litellm.connections.securityGroups[0].securityGroupId)['Fn::GetAtt'][0];
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
      .map((r: any) => r.Properties)
      .filter((p: any) => JSON.stringify(p.GroupId).includes(litellmGroup));
    expect(ingress).toEqual([expect.objectContaining({
      FromPort: LiteLLMService.PORT,
      SourceSecurityGroupId: stack.resolve(service.connections.securityGroups[0].securityGroupId),
    })]);
  });
});

test('a public https URL, persistent admin settings, files in S3 and a data removal policy of your choice', () => {
  const { service, template, env } = webui({
    publicUrl: 'https://chat.example.com',
    persistentConfig: true,
    fileStorage: FileStorage.S3,
    removalPolicy: RemovalPolicy.DESTROY,
    adminEmail: 'it@example.com',
  });
  expect(env).toMatchObject({
    WEBUI_URL: 'https://chat.example.com',
    CORS_ALLOW_ORIGIN: 'https://chat.example.com',
    WEBUI_SESSION_COOKIE_SECURE: 'true',
    ENABLE_PERSISTENT_CONFIG: 'true',
    STORAGE_PROVIDER: 's3',
    WEBUI_ADMIN_EMAIL: 'it@example.com',
  });
  expect(service.fileSystem).toBeUndefined();
  expect(service.filesBucket).toBeDefined();
  template.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Delete' });
});

test('an image model the proxy serves turns image generation on, in the size asked for', () => {
  const core = BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1;
  const stack = newStack({ env: { account: '111111111111', region: 'us-west-2' } });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }) });
  const litellm = new LiteLLMService(stack, 'LiteLLM', { cluster, models: [BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, core, BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2] });
  new OpenWebUIService(stack, 'WebUI', { cluster, litellm, imageModel: core, imageSize: '1024x576' });
  const env = envOf(containers(Template.fromStack(stack))['open-webui']);
  expect(env).toMatchObject({ ENABLE_IMAGE_GENERATION: 'true', IMAGE_GENERATION_MODEL: core.displayName, IMAGE_SIZE: '1024x576' });
  expect(JSON.parse(env.IMAGES_OPENAI_PARAMS)).toEqual({ aspect_ratio: '16:9' });
});
