import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BedrockImageChat, BedrockModel, BedrockModelKind, FrontDoor, LiteLLMService, OpenWebUIService } from '../src';
import { containers, envOf, logicalId, newStack, secretsOf, snapshotTemplate } from './util';
import { buildExampleStack } from '../example/app';

function synth(props: ConstructorParameters<typeof BedrockImageChat>[2] = {}, stackProps = {}) {
  const stack = newStack(stackProps);
  const chat = new BedrockImageChat(stack, 'Chat', props);
  return { stack, chat, template: Template.fromStack(stack) };
}

const { stack: defaultStack, template } = synth();
const litellm = containers(template).litellm;
const webui = containers(template)['open-webui'];

function sgOf(prefix: string): string {
  return logicalId(template, 'AWS::EC2::SecurityGroup', prefix);
}

describe('LiteLLM container', () => {
  test('uses the pinned image (copied into ECR) and keeps the image entrypoint, repeating the port', () => {
    expect(JSON.stringify(litellm.Image)).toMatch(/ChatLiteLLMImageRepository.*:v1\.110\.2"/);
    template.hasResourceProperties('Custom::CDKECRDeployment', { SrcImage: 'docker://ghcr.io/berriai/litellm:v1.110.2' });
    expect(litellm.EntryPoint).toBeUndefined();
    // One worker per task, said outright (the service adds tasks).
    expect(litellm.Command).toEqual(['--port', '4000', '--num_workers', '1']);
  });

  test('reads its configuration from S3, with the local cost map and no LITELLM_CONFIG_YAML', () => {
    const env = envOf(litellm);
    expect(env.LITELLM_CONFIG_BUCKET_NAME).toEqual({ Ref: logicalId(template, 'AWS::S3::Bucket', 'ChatLiteLLMConfigBucket') });
    expect(env.LITELLM_CONFIG_BUCKET_OBJECT_KEY).toMatch(/^litellm\/config-[0-9a-f]{16}\.json$/);
    expect(env.LITELLM_LOCAL_MODEL_COST_MAP).toBe('True');
    expect(env).not.toHaveProperty('LITELLM_CONFIG_YAML');
    expect(env).not.toHaveProperty('LITELLM_MASTER_KEY');
  });

  test('gets the master key as an ECS secret from a generated secret that is prefixed with sk-', () => {
    const secretId = logicalId(template, 'AWS::SecretsManager::Secret', 'ChatLiteLLMMasterKey');
    expect(secretsOf(litellm)).toEqual({ LITELLM_MASTER_KEY: { Ref: secretId } });
    template.hasResourceProperties('Custom::SecretPrefix', { SecretArn: { Ref: secretId }, Prefix: 'sk-' });
    template.hasResource('AWS::ECS::Service', {
      Properties: { ServiceName: Match.absent(), ServiceRegistries: Match.anyValue() },
      DependsOn: Match.arrayWith([logicalId(template, 'Custom::SecretPrefix', 'ChatLiteLLMMasterKeyPrefix')]),
    });
  });

  test('health check probes /health/liveliness, never /health', () => {
    expect(litellm.HealthCheck.Command.join(' ')).toContain('/health/liveliness');
    expect(litellm.HealthCheck.Command.join(' ')).not.toMatch(/\/health['" ]/);
  });

  test('is registered in Cloud Map as litellm.<namespace>', () => {
    template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', { Name: 'bedrock-image-chat.internal' });
    template.hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: 'litellm' });
  });

  test('the task role may invoke only the configured models, and read only its config', () => {
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: logicalId(template, 'AWS::IAM::Role', 'ChatLiteLLMTaskDefinitionTaskRole') }] },
    });
    const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const invoke = statements.find((s: any) => s.Sid === 'InvokeConfiguredBedrockModels');
    expect(invoke.Action).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
    const resources = JSON.stringify(defaultStack.resolve(invoke.Resource));
    expect(resources).not.toMatch(/"\*"/);
    expect(resources).toContain('inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(resources).toContain(':bedrock:us-west-2::foundation-model/stability.stable-image-core-v1:1');
    expect(resources).toContain('foundation-model/amazon.titan-embed-text-v2:0');
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect(actions.filter((a: string) => a.startsWith('bedrock:'))).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
    expect(actions).not.toContain('s3:PutObject');
  });
});

describe('Open WebUI container', () => {
  const env = envOf(webui);
  const secrets = secretsOf(webui);

  test('uses the pinned image (copied into ECR)', () => {
    expect(JSON.stringify(webui.Image)).toMatch(/ChatOpenWebUIImageRepository.*:v0\.12\.4"/);
    template.hasResourceProperties('Custom::CDKECRDeployment', { SrcImage: 'docker://ghcr.io/open-webui/open-webui:v0.12.4' });
  });

  test('offers only the chat models for chat, with legacy function calling', () => {
    expect(JSON.parse(env.OPENAI_API_CONFIGS)).toEqual({ 0: { enable: true, model_ids: ['claude-haiku-4.5'] } });
    expect(JSON.parse(env.DEFAULT_MODEL_PARAMS)).toEqual({ function_calling: 'legacy' });
    expect(env).toMatchObject({ ENABLE_EVALUATION_ARENA_MODELS: 'false', ENABLE_COMMUNITY_SHARING: 'false' });
  });

  test('runs Open WebUI\'s own work on the task model: the first chat model, or the one chosen', () => {
    const haiku = BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL;
    const models = [
      BedrockModel.ANTHROPIC_CLAUDE_OPUS_4_5_GLOBAL, haiku, BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1, BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2,
    ];
    const taskModelOf = (props: ConstructorParameters<typeof BedrockImageChat>[2]) =>
      envOf(containers(synth(props).template)['open-webui']).TASK_MODEL_EXTERNAL;
    expect(env.TASK_MODEL_EXTERNAL).toBe('claude-haiku-4.5');
    expect(taskModelOf({ models })).toBe('claude-opus-4.5');
    expect(taskModelOf({ models, openWebUI: { taskModel: haiku } })).toBe('claude-haiku-4.5');
  });

  test('sends the image size to Stability as an aspect ratio', () => {
    expect(env.IMAGE_SIZE).toBe('1024x1024');
    expect(JSON.parse(env.IMAGES_OPENAI_PARAMS)).toEqual({ aspect_ratio: '1:1' });
  });

  test('batches embeddings and sizes pgvector for Titan Text Embeddings v2', () => {
    expect(env).toMatchObject({ RAG_EMBEDDING_BATCH_SIZE: '32', PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH: '1024' });
  });

  test("knows its public URL, HTTPS by default (CloudFront's name): links, CORS origin and secure cookies", () => {
    const url = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(template, 'AWS::CloudFront::Distribution', 'ChatDistribution'), 'DomainName'] }]] };
    expect(env.WEBUI_URL).toEqual(url);
    expect(env.CORS_ALLOW_ORIGIN).toEqual(url);
    expect(env).toMatchObject({ WEBUI_SESSION_COOKIE_SECURE: 'true', WEBUI_AUTH_COOKIE_SECURE: 'true' });
  });

  test('with the load balancer alone and no certificate: the plain-HTTP URL, and cookies that cannot be secure', () => {
    const { template: http } = synth({ frontDoor: FrontDoor.plainHttp() });
    const e = envOf(containers(http)['open-webui']);
    expect(JSON.stringify(e.WEBUI_URL)).toMatch(/^\{"Fn::Join":\["",\["http:\/\/",\{"Fn::GetAtt":\["ChatLoadBalancer[0-9A-F]+","DNSName"\]\}/);
    expect(e).toMatchObject({ WEBUI_SESSION_COOKIE_SECURE: 'false', WEBUI_AUTH_COOKIE_SECURE: 'false' });
  });

  test('with a certificate: an https URL and secure cookies', () => {
    const certificate = acm.Certificate.fromCertificateArn(newStack(), 'Cert', 'arn:aws:acm:us-west-2:111111111111:certificate/abc');
    const { template: https } = synth({ frontDoor: FrontDoor.loadBalancer({ certificate }) }, { env: { account: '111111111111', region: 'us-west-2' } });
    const e = envOf(containers(https)['open-webui']);
    expect(JSON.stringify(e.WEBUI_URL)).toMatch(/^\{"Fn::Join":\["",\["https:\/\/"/);
    expect(e).toMatchObject({ WEBUI_SESSION_COOKIE_SECURE: 'true', WEBUI_AUTH_COOKIE_SECURE: 'true' });
  });

  test.each([
    ['chat.example.com', 'no scheme'],
    ['https://chat.example.com/', 'a trailing slash'],
    ['https://chat.example.com/app', 'a path'],
  ])('publicUrl %s (%s) is an error that names the prop and the fix', (publicUrl) => {
    const stack = newStack();
    const cluster = new ecs.Cluster(stack, 'Cluster');
    const proxy = new LiteLLMService(stack, 'LiteLLM', { cluster });
    expect(() => new OpenWebUIService(stack, 'WebUI', { cluster, litellm: proxy, publicUrl })).toThrow(
      `publicUrl is '${publicUrl}'; use the address users open, scheme and host only, for example 'https://chat.example.com' (no path or trailing slash)`,
    );
  });

  test('a publicUrl given to OpenWebUIService sets the links, the CORS origin and secure cookies', () => {
    const stack = newStack();
    const cluster = new ecs.Cluster(stack, 'Cluster');
    const proxy = new LiteLLMService(stack, 'LiteLLM', { cluster });
    new OpenWebUIService(stack, 'WebUI', { cluster, litellm: proxy, publicUrl: 'https://chat.example.com' });
    expect(envOf(containers(Template.fromStack(stack))['open-webui'])).toMatchObject({
      WEBUI_URL: 'https://chat.example.com',
      CORS_ALLOW_ORIGIN: 'https://chat.example.com',
      WEBUI_SESSION_COOKIE_SECURE: 'true',
      WEBUI_AUTH_COOKIE_SECURE: 'true',
    });
  });

  test('an embedding model of unknown vector length keeps pgvector at 1536 dimensions, with a warning', () => {
    const cohere = BedrockModel.foundationModel({ modelId: 'cohere.embed-future-v9:0', kind: BedrockModelKind.EMBEDDING });
    const models = [BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1, cohere];
    const { stack, template: t } = synth({ models, openWebUI: { embeddingModel: cohere } });
    expect(envOf(containers(t)['open-webui']).PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH).toBe('1536');
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp("embeddingModel 'embed-future-v9' .* vector length this library does not know"));
  });

  test('never rolls a failed deployment back across a schema migration, and runs one task at a time', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: Match.absent(),
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: false }, MinimumHealthyPercent: 0, MaximumPercent: 100 },
    });
  });

  test('nativeFunctionCalling: true leaves Open WebUI its native function calling', () => {
    const { template: native } = synth({ openWebUI: { nativeFunctionCalling: true } });
    expect(envOf(containers(native)['open-webui'])).not.toHaveProperty('DEFAULT_MODEL_PARAMS');
  });

  test('a question about documents searches them with its own words unless retrievalQueryGeneration is true', () => {
    expect(envOf(webui).ENABLE_RETRIEVAL_QUERY_GENERATION).toBe('false');
    const { template: generated } = synth({ openWebUI: { retrievalQueryGeneration: true } });
    expect(envOf(containers(generated)['open-webui']).ENABLE_RETRIEVAL_QUERY_GENERATION).toBe('true');
  });

  test('imageSize reaches an Amazon image model as the size, and a size the model cannot make fails at synth', () => {
    const models = [BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, BedrockModel.AMAZON_NOVA_CANVAS_V1, BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2];
    const e = envOf(containers(synth({ models, openWebUI: { imageSize: '1280x720' } }).template)['open-webui']);
    expect(e.IMAGE_SIZE).toBe('1280x720');
    expect(e).not.toHaveProperty('IMAGES_OPENAI_PARAMS');
    expect(() => synth({ openWebUI: { imageSize: '1536x640' } })).toThrow(
      /imageSize is '1536x640', which stable-image-core \(stability.stable-image-core-v1:1\) cannot make; use a size with one of the aspect ratios 1:1, 16:9/,
    );
  });

  test('talks to LiteLLM for chat, images and embeddings', () => {
    const url = 'http://litellm.bedrock-image-chat.internal:4000/v1';
    expect(env).toMatchObject({
      OPENAI_API_BASE_URL: url,
      IMAGES_OPENAI_API_BASE_URL: url,
      RAG_OPENAI_API_BASE_URL: url,
      ENABLE_OLLAMA_API: 'false',
      ENABLE_IMAGE_GENERATION: 'true',
      IMAGE_GENERATION_ENGINE: 'openai',
      IMAGE_GENERATION_MODEL: 'stable-image-core',
      IMAGE_SIZE: '1024x1024',
      ENABLE_IMAGE_EDIT: 'false',
      RAG_EMBEDDING_ENGINE: 'openai',
      RAG_EMBEDDING_MODEL: 'titan-embed-text-v2',
      OFFLINE_MODE: 'true',
    });
    const masterKey = { Ref: logicalId(template, 'AWS::SecretsManager::Secret', 'ChatLiteLLMMasterKey') };
    expect(secrets.OPENAI_API_KEY).toEqual(masterKey);
    expect(secrets.IMAGES_OPENAI_API_KEY).toEqual(masterKey);
    expect(secrets.RAG_OPENAI_API_KEY).toEqual(masterKey);
  });

  test('closes signup and creates the first admin from a generated secret', () => {
    expect(env).toMatchObject({ ENABLE_SIGNUP: 'false', WEBUI_AUTH: 'true', DEFAULT_USER_ROLE: 'pending' });
    const admin = logicalId(template, 'AWS::SecretsManager::Secret', 'ChatOpenWebUIAdminCredentials');
    expect(JSON.stringify(secrets.WEBUI_ADMIN_PASSWORD)).toContain(admin);
    expect(JSON.stringify(secrets.WEBUI_ADMIN_PASSWORD)).toContain(':password::');
    // The email is a plain setting: were it in the generated secret's template, changing it would generate a new password.
    expect(secrets.WEBUI_ADMIN_EMAIL).toBeUndefined();
    expect(env.WEBUI_ADMIN_EMAIL).toBe('admin@example.com');
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { SecretStringTemplate: '{}', GenerateStringKey: 'password' },
    });
  });

  test('gets WEBUI_SECRET_KEY and the database credentials as ECS secrets', () => {
    expect(secrets.WEBUI_SECRET_KEY).toEqual({ Ref: logicalId(template, 'AWS::SecretsManager::Secret', 'ChatOpenWebUISecretKey') });
    expect(JSON.stringify(secrets.DATABASE_USER)).toContain(':username::');
    expect(JSON.stringify(secrets.DATABASE_PASSWORD)).toContain(':password::');
    expect(env).toMatchObject({ DATABASE_TYPE: 'postgresql', DATABASE_NAME: 'openwebui', VECTOR_DB: 'pgvector' });
    expect(env).not.toHaveProperty('DATABASE_URL');
  });

  test('the generated database password has no URL-reserved character', () => {
    const db = Object.values(template.findResources('AWS::SecretsManager::Secret')).find(
      (s: any) => s.Properties.GenerateSecretString?.SecretStringTemplate === '{"username":"openwebui"}',
    ) as any;
    for (const c of ':/?#[]@!$&\'()*+,;=% ') {
      expect(db.Properties.GenerateSecretString.ExcludeCharacters).toContain(c);
    }
  });

  test('mounts the encrypted file system through an access point at /app/backend/data with IAM', () => {
    expect(webui.MountPoints).toEqual([{ ContainerPath: '/app/backend/data', SourceVolume: 'data', ReadOnly: false }]);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Volumes: [
        {
          Name: 'data',
          EFSVolumeConfiguration: Match.objectLike({
            TransitEncryption: 'ENABLED',
            AuthorizationConfig: { AccessPointId: Match.anyValue(), IAM: 'ENABLED' },
          }),
        },
      ],
    });
    template.hasResourceProperties('AWS::EFS::FileSystem', { Encrypted: true, BackupPolicy: { Status: 'DISABLED' } });
    // (backed up by the construct's AWS Backup plan instead of AWS Backup's default plan: test/backup.test.ts)
  });

  test('health check is /health with a long start period and service grace period', () => {
    expect(webui.HealthCheck.Command.join(' ')).toContain('http://127.0.0.1:8080/health');
    expect(webui.HealthCheck.StartPeriod).toBe(300);
    template.hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 600 });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/health', Port: 8080 });
  });

  test('the task role has no permission beyond mounting its file system', () => {
    const role = logicalId(template, 'AWS::IAM::Role', 'ChatOpenWebUITaskDefinitionTaskRole');
    const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } });
    const actions = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()));
    expect(new Set(actions)).toEqual(new Set(['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite']));
  });
});

test('no plain environment variable holds a secret value or a secret ARN', () => {
  const secretIds = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
  const attachments = Object.keys(template.findResources('AWS::SecretsManager::SecretTargetAttachment'));
  for (const c of Object.values(containers(template))) {
    const plain = JSON.stringify(c.Environment ?? []);
    for (const id of [...secretIds, ...attachments]) {
      expect(plain).not.toContain(`"${id}"`);
    }
    expect(plain).not.toMatch(/resolve:secretsmanager/);
    for (const e of c.Environment ?? []) {
      if (/KEY|PASSWORD|SECRET|TOKEN/.test(e.Name)) {
        // The S3 object key of the proxy's configuration, and the switch of Open WebUI's personal
        // API keys, are the only "KEY"s that are not secrets.
        expect(['LITELLM_CONFIG_BUCKET_OBJECT_KEY', 'USER_PERMISSIONS_FEATURES_API_KEYS']).toContain(e.Name);
      }
    }
  }
});

describe('security groups', () => {
  function ingressTo(groupPrefix: string): any[] {
    const group = sgOf(groupPrefix);
    const standalone = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
      .map((r: any) => r.Properties)
      .filter((p: any) => JSON.stringify(p.GroupId).includes(group));
    const inline = (template.findResources('AWS::EC2::SecurityGroup')[group] as any).Properties.SecurityGroupIngress ?? [];
    return [...standalone, ...inline];
  }
  const webuiGroup = () => sgOf('ChatOpenWebUIServiceSecurityGroup');

  test('LiteLLM admits only Open WebUI, on 4000', () => {
    const rules = ingressTo('ChatLiteLLMServiceSecurityGroup');
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ FromPort: 4000, ToPort: 4000, SourceSecurityGroupId: { 'Fn::GetAtt': [webuiGroup(), 'GroupId'] } });
  });

  test('the database admits only Open WebUI, on its port', () => {
    const rules = ingressTo('ChatOpenWebUIDatabaseSecurityGroup');
    expect(rules).toHaveLength(1);
    expect(rules[0].SourceSecurityGroupId).toEqual({ 'Fn::GetAtt': [webuiGroup(), 'GroupId'] });
  });

  test('the file system admits only Open WebUI, on NFS', () => {
    const rules = ingressTo('ChatOpenWebUIFileSystemEfsSecurityGroup');
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ FromPort: 2049, SourceSecurityGroupId: { 'Fn::GetAtt': [webuiGroup(), 'GroupId'] } });
  });

  test('Open WebUI admits only the load balancer', () => {
    const rules = ingressTo('ChatOpenWebUIServiceSecurityGroup');
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ FromPort: 8080, SourceSecurityGroupId: { 'Fn::GetAtt': [sgOf('ChatLoadBalancerSecurityGroup'), 'GroupId'] } });
  });

  test('the VPC endpoints admit only the two services, on 443', () => {
    const rules = ingressTo('ChatNetworkEndpointSecurityGroup');
    expect(rules.map((r) => r.SourceSecurityGroupId['Fn::GetAtt'][0]).sort()).toEqual(
      [sgOf('ChatLiteLLMServiceSecurityGroup'), webuiGroup()].sort(),
    );
    expect(rules.every((r) => r.FromPort === 443)).toBe(true);
  });
});

describe('network', () => {
  test('has the interface endpoints with private DNS, the S3 gateway endpoint, flow logs and no NAT gateway', () => {
    for (const service of ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 'bedrock-runtime']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`.${service}`])] }),
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
      });
    }
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 6);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
  });

  test('tasks run in isolated subnets without public IPs', () => {
    const services = template.findResources('AWS::ECS::Service');
    for (const s of Object.values(services) as any[]) {
      expect(s.Properties.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
      expect(JSON.stringify(s.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets)).toContain('PrivateSubnet');
    }
  });
});

describe('stateful resources', () => {
  test('the database and file system are retained by default, the database with deletion protection and backups', () => {
    template.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ StorageEncrypted: true, DeletionProtection: true, BackupRetentionPeriod: 7, PubliclyAccessible: false }),
    });
    template.hasResource('AWS::EFS::FileSystem', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  /** The DeletionPolicy of the secret that holds the database's credentials. */
  const databaseSecretPolicy = (t: Template) => {
    const secrets = Object.values(t.findResources('AWS::SecretsManager::Secret')).filter(
      (r: any) => r.Properties.GenerateSecretString?.SecretStringTemplate === '{"username":"openwebui"}',
    );
    expect(secrets).toHaveLength(1);
    return (secrets[0] as any).DeletionPolicy;
  };

  test('the database credentials are retained with the database: a retained database stays reachable', () => {
    expect(databaseSecretPolicy(template)).toBe('Retain');
  });

  test('removalPolicy DESTROY is honoured when the user asks for it', () => {
    const t = synth({ removalPolicy: RemovalPolicy.DESTROY }).template;
    t.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ DeletionProtection: false }) });
    t.hasResource('AWS::EFS::FileSystem', { DeletionPolicy: 'Delete' });
    expect(databaseSecretPolicy(t)).toBe('Delete');
  });

  test('removalPolicy SNAPSHOT snapshots the database and retains the file system and the credentials', () => {
    const t = synth({ removalPolicy: RemovalPolicy.SNAPSHOT }).template;
    t.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Snapshot' });
    t.hasResource('AWS::EFS::FileSystem', { DeletionPolicy: 'Retain' });
    expect(databaseSecretPolicy(t)).toBe('Retain');
  });
});

describe('load balancer', () => {
  test('by default: HTTPS only, through CloudFront in front of an internal load balancer, and no plain-HTTP warning', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }) }),
    });
    expect(Annotations.fromStack(defaultStack).findWarning('/Test/Chat', Match.stringLikeRegexp('no certificate|0.0.0.0/0'))).toHaveLength(0);
  });

  test('asked for by name (FrontDoor.plainHttp): HTTP forward to Open WebUI, with a warning', () => {
    const stack = newStack();
    new BedrockImageChat(stack, 'Chat', { frontDoor: FrontDoor.plainHttp() });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [Match.objectLike({ Type: 'forward' })],
    });
    t.resourceCountIs('AWS::CloudFront::Distribution', 0);
    Annotations.fromStack(stack).hasWarning('/Test/Chat', Match.stringLikeRegexp('serves plain HTTP'));
    Annotations.fromStack(stack).hasWarning('/Test/Chat', Match.stringLikeRegexp('0.0.0.0/0'));
  });

  test('with a certificate: HTTPS with a TLS 1.3 policy and an HTTP to HTTPS redirect', () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    new BedrockImageChat(stack, 'Chat', { frontDoor: FrontDoor.loadBalancer({ certificate, allowedCidrs: ['203.0.113.0/24'] }) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
      DefaultActions: [Match.objectLike({ Type: 'forward' })],
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [{ Type: 'redirect', RedirectConfig: Match.objectLike({ Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' }) }],
    });
    const lbGroup = Object.values(t.findResources('AWS::EC2::SecurityGroup')).find((g: any) =>
      String(g.Properties.GroupDescription).includes('LoadBalancer'),
    ) as any;
    expect(lbGroup.Properties.SecurityGroupIngress.map((r: any) => [r.CidrIp, r.FromPort]).sort()).toEqual([
      ['203.0.113.0/24', 443],
      ['203.0.113.0/24', 80],
    ]);
    expect(Annotations.fromStack(stack).findWarning('/Test/Chat', Match.stringLikeRegexp('no certificate|0.0.0.0/0'))).toHaveLength(0);
  });

  test('drops invalid headers, and logs access when the stack has a region', () => {
    const t = synth({}, { env: { region: 'us-west-2', account: '111111111111' } }).template;
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
      ]),
    });
  });
});

describe('outputs', () => {
  test('give the URL and the ARNs of the admin and LiteLLM secrets', () => {
    const outputs = template.findOutputs('*');
    const byPrefix = (p: string) => Object.entries(outputs).find(([k]) => k.startsWith(p))![1] as any;
    expect(JSON.stringify(byPrefix('ChatUrl').Value)).toMatch(/"https:\/\/",\{"Fn::GetAtt":\["ChatDistribution[0-9A-F]+","DomainName"\]/);
    expect(byPrefix('ChatAdminCredentialsSecretArn').Value).toEqual({ Ref: logicalId(template, 'AWS::SecretsManager::Secret', 'ChatOpenWebUIAdminCredentials') });
    expect(byPrefix('ChatLiteLLMMasterKeySecretArn').Value).toEqual({ Ref: logicalId(template, 'AWS::SecretsManager::Secret', 'ChatLiteLLMMasterKey') });
  });
});

const CERT = acm.Certificate.fromCertificateArn(newStack(), 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');

describe('input validation', () => {
  test.each([
    [{ frontDoor: FrontDoor.plainHttp({ allowedCidrs: [] }) }, /^FrontDoor.plainHttp: allowedCidrs is \[\]/],
    [{ frontDoor: FrontDoor.loadBalancer({ certificate: CERT, allowedCidrs: ['10.0.0.0/33'] }) }, /^FrontDoor.loadBalancer: allowedCidrs contains '10.0.0.0\/33'/],
    [{ frontDoor: FrontDoor.plainHttp({ allowedCidrs: ['everyone'] }) }, /^FrontDoor.plainHttp: allowedCidrs contains 'everyone'/],
    [{ openWebUI: { adminEmail: 'admin' } }, /^openWebUI.adminEmail is 'admin'/],
    [{ models: [BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1] }, /models has no EMBEDDING model/],
    [
      {
        models: [
          BedrockModel.ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL,
          BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1,
          BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2,
          BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2,
        ],
      },
      /two models with the display name 'titan-embed-text-v2'/,
    ],
    [{ openWebUI: { imageModel: BedrockModel.AMAZON_TITAN_EMBED_TEXT_V2 } }, /^openWebUI.imageModel is 'titan-embed-text-v2', whose kind is EMBEDDING; choose a model of kind IMAGE/],
    [{ openWebUI: { taskModel: BedrockModel.STABILITY_STABLE_IMAGE_CORE_V1_1 } }, /^openWebUI.taskModel is 'stable-image-core', whose kind is IMAGE; choose a model of kind CHAT/],
    [
      { openWebUI: { taskModel: BedrockModel.ANTHROPIC_CLAUDE_OPUS_4_5_GLOBAL } },
      /^openWebUI.taskModel is 'claude-opus-4.5', which is not among the models served; add it to models too \(served CHAT models: claude-haiku-4.5\)/,
    ],
    [
      { openWebUI: { embeddingModel: BedrockModel.foundationModel({ modelId: 'cohere.embed-english-v3', kind: BedrockModelKind.EMBEDDING }) } },
      /openWebUI.embeddingModel is 'embed-english-v3', which is not among the models served; add it to models too/,
    ],
  ])('rejects bad input (%#)', (props, message) => {
    expect(() => synth(props as any)).toThrow(message);
  });

  test('rejects a model in another region than a concrete stack region', () => {
    const { ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, STABILITY_STABLE_IMAGE_CORE_V1_1, AMAZON_TITAN_EMBED_TEXT_V2 } = BedrockModel;
    expect(() => synth({ models: [ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, STABILITY_STABLE_IMAGE_CORE_V1_1, AMAZON_TITAN_EMBED_TEXT_V2] }, { env: { region: 'eu-central-1' } })).toThrow(
      /models contains 'stable-image-core' \(stability.stable-image-core-v1:1\) in region us-west-2, but the stack is in eu-central-1.*or leave the image model out of models/,
    );
  });

  test('imageSize without an image model is an error', () => {
    const { ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, AMAZON_TITAN_EMBED_TEXT_V2 } = BedrockModel;
    expect(() => synth({ models: [ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, AMAZON_TITAN_EMBED_TEXT_V2], openWebUI: { imageSize: '1024x576' } })).toThrow(
      "openWebUI.imageSize is '1024x576', but models has no image model, so image generation is off; add an image model to models, or leave openWebUI.imageSize out",
    );
  });

  test('warns about a model in a fixed region when the stack has no region', () => {
    Annotations.fromStack(defaultStack).hasWarning('/Test/Chat/LiteLLM', Match.stringLikeRegexp('invoked in us-west-2'));
  });

  test('accepts a user VPC and creates no VPC of its own', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Mine', {
      natGateways: 0,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });
    const chat = new BedrockImageChat(stack, 'Chat', { vpc });
    expect(chat.privateVpc).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::EC2::VPC', 1);
  });
});

describe('snapshots (in addition to the assertions above)', () => {
  test('the example app', () => {
    const app = new App();
    const stack = buildExampleStack(app);
    expect(snapshotTemplate(stack)).toMatchSnapshot();
  });

  test('HTTPS in us-west-2 with restricted CIDRs', () => {
    const stack = new Stack(new App(), 'Https', { env: { region: 'us-west-2', account: '111111111111' } });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-west-2:111111111111:certificate/abc');
    new BedrockImageChat(stack, 'Chat', { logRetention: undefined, frontDoor: FrontDoor.loadBalancer({ certificate, allowedCidrs: ['203.0.113.0/24'] }) });
    expect(snapshotTemplate(stack)).toMatchSnapshot();
  });
});

