import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { SIZE_EXAMPLES } from '../example/sizes';
import { BedrockImageChat, BedrockImageChatProps, DeploymentSize, LiteLLMService, OpenWebUIService } from '../src';
import { containers, envOf, logicalId, newStack, secretsOf } from './util';
import { CONNECTIONS_PER_OPEN_WEBUI_TASK, maxDatabaseConnections } from '../src/private/database-connections';
import { MIGRATION_LOCK_ID } from '../src/private/open-webui-start';

const ENV = { env: { account: '111111111111', region: 'us-west-2' } };

function synth(props: BedrockImageChatProps = {}): Template {
  const stack = newStack(ENV);
  new BedrockImageChat(stack, 'Chat', props);
  return Template.fromStack(stack);
}

/** The task definition of the container named `name`. */
function taskDefinitionOf(template: Template, name: string): any {
  return Object.values(template.findResources('AWS::ECS::TaskDefinition'))
    .find((td: any) => td.Properties.ContainerDefinitions.some((c: any) => c.Name === name))!.Properties;
}

/** The scalable target of the service whose logical id starts with `prefix`. */
function scalableTarget(template: Template, prefix: string): any | undefined {
  const service = logicalId(template, 'AWS::ECS::Service', prefix);
  return Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'))
    .find((t: any) => JSON.stringify(t.Properties.ResourceId).includes(service))?.Properties;
}

type Expected = { webui: [number, number, number, number]; litellm: [number, number, number, number]; db: string; multiAz: boolean; redis?: string };

describe.each<[DeploymentSize, Expected]>([
  [DeploymentSize.SMALL, { webui: [1024, 2048, 1, 1], litellm: [512, 1024, 1, 2], db: 'db.t4g.small', multiAz: false }],
  [DeploymentSize.MEDIUM, { webui: [1024, 2048, 2, 6], litellm: [512, 1024, 2, 6], db: 'db.t4g.medium', multiAz: true, redis: 'cache.t4g.micro' }],
  [DeploymentSize.LARGE, { webui: [1024, 2048, 3, 10], litellm: [512, 1024, 3, 10], db: 'db.m7g.large', multiAz: true, redis: 'cache.t4g.small' }],
])('the %s example app', (size, expected) => {
  const template = Template.fromStack(SIZE_EXAMPLES[size](new App()));

  test('sizes the tasks of both services', () => {
    for (const [name, [cpu, memory]] of [['open-webui', expected.webui], ['litellm', expected.litellm]] as const) {
      expect(taskDefinitionOf(template, name)).toMatchObject({ Cpu: String(cpu), Memory: String(memory) });
    }
  });

  test('runs and scales the task counts of the table', () => {
    const [, , webMin, webMax] = expected.webui;
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: webMin, ServiceName: Match.absent(), LoadBalancers: Match.anyValue() });
    const web = scalableTarget(template, 'ChatOpenWebUIService');
    if (webMin === webMax) {
      expect(web).toBeUndefined();
    } else {
      expect(web).toMatchObject({ MinCapacity: webMin, MaxCapacity: webMax });
    }
    const [, , llmMin, llmMax] = expected.litellm;
    expect(scalableTarget(template, 'ChatLiteLLMService')).toMatchObject({ MinCapacity: llmMin, MaxCapacity: llmMax });
  });

  test('sizes the database, Multi-AZ from MEDIUM up', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: expected.db, MultiAZ: expected.multiAz });
  });

  test(expected.redis ? 'adds Redis for its several Open WebUI tasks' : 'has no Redis with its single Open WebUI task', () => {
    const groups = template.findResources('AWS::ElastiCache::ReplicationGroup');
    if (expected.redis === undefined) {
      expect(groups).toEqual({});
      expect(envOf(containers(template)['open-webui'])).not.toHaveProperty('WEBSOCKET_MANAGER');
      // The start command prepares the database, and composes no Redis URL.
      expect(containers(template)['open-webui'].Command[2]).not.toContain('REDIS');
    } else {
      expect(Object.values(groups).map((g: any) => g.Properties.CacheNodeType)).toEqual([expected.redis]);
    }
  });
});

describe('several Open WebUI tasks (MEDIUM)', () => {
  const template = synth({ size: DeploymentSize.MEDIUM });
  const webui = () => containers(template)['open-webui'];

  test('Redis: Valkey, two nodes in two zones with failover, TLS required, encrypted at rest, an AUTH token from Secrets Manager', () => {
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'valkey',
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      AtRestEncryptionEnabled: true,
      AuthToken: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: Match.stringLikeRegexp('^ChatOpenWebUIRedisAuthToken') }, ':SecretString:::}}']] },
    });
  });

  test('Redis sits in the database\'s subnets and admits only Open WebUI on 6379', () => {
    const subnets = Object.values(template.findResources('AWS::ElastiCache::SubnetGroup'))[0].Properties.SubnetIds;
    expect(subnets).toEqual(Object.values(template.findResources('AWS::RDS::DBSubnetGroup'))[0].Properties.SubnetIds);
    const redisGroup = logicalId(template, 'AWS::EC2::SecurityGroup', 'ChatOpenWebUIRedisSecurityGroup');
    const webGroup = logicalId(template, 'AWS::EC2::SecurityGroup', 'ChatOpenWebUIServiceSecurityGroup');
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
      .map((r: any) => r.Properties)
      .filter((p: any) => JSON.stringify(p.GroupId).includes(redisGroup));
    expect(ingress).toEqual([expect.objectContaining({ FromPort: 6379, ToPort: 6379, SourceSecurityGroupId: { 'Fn::GetAtt': [webGroup, 'GroupId'] } })]);
    const redis = Object.values(template.findResources('AWS::ElastiCache::ReplicationGroup'))[0] as any;
    expect(redis.Properties.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [redisGroup, 'GroupId'] }]);
  });

  test('Open WebUI uses Redis for websockets, with websocket support on, the endpoint in its environment and the token as an ECS secret', () => {
    const redis = logicalId(template, 'AWS::ElastiCache::ReplicationGroup', 'ChatOpenWebUIRedis');
    expect(envOf(webui())).toMatchObject({
      ENABLE_WEBSOCKET_SUPPORT: 'true',
      WEBSOCKET_MANAGER: 'redis',
      REDIS_ENDPOINT_HOST: { 'Fn::GetAtt': [redis, 'PrimaryEndPoint.Address'] },
      REDIS_ENDPOINT_PORT: { 'Fn::GetAtt': [redis, 'PrimaryEndPoint.Port'] },
    });
    expect(JSON.stringify(secretsOf(webui()).REDIS_AUTH_TOKEN)).toMatch(/ChatOpenWebUIRedisAuthToken/);
    expect(JSON.stringify(envOf(webui()))).not.toMatch(/rediss:/);
  });

  test('every task shares one WEBUI_SECRET_KEY, one database and one file system', () => {
    const secretKey = logicalId(template, 'AWS::SecretsManager::Secret', 'ChatOpenWebUISecretKey');
    expect(JSON.stringify(secretsOf(webui()).WEBUI_SECRET_KEY)).toContain(secretKey);
    template.resourceCountIs('AWS::RDS::DBInstance', 1);
    template.resourceCountIs('AWS::EFS::FileSystem', 1);
  });

  test('the start command builds the TLS Redis URL, migrates under an advisory lock, then starts Open WebUI as its image does', () => {
    const [shell, flag, script] = webui().Command;
    expect([shell, flag]).toEqual(['bash', '-c']);
    expect(script).toContain('export REDIS_URL="rediss://:${REDIS_AUTH_TOKEN}@${REDIS_ENDPOINT_HOST}:${REDIS_ENDPOINT_PORT}/0"');
    expect(script).toContain('export WEBSOCKET_REDIS_URL="$REDIS_URL"');
    expect(script).toContain(`pg_advisory_lock(${MIGRATION_LOCK_ID})`);
    expect(script).toMatch(/\nexec python -c '[^']*uvicorn[^']*'$/);
  });

  test('tasks scale on CPU and on requests per task, scale in slowly, and drain for two minutes', () => {
    const policies = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy')).map((p: any) => p.Properties.TargetTrackingScalingPolicyConfiguration);
    const web = policies.filter((c: any) => c.PredefinedMetricSpecification.PredefinedMetricType === 'ALBRequestCountPerTarget');
    expect(web).toEqual([expect.objectContaining({ TargetValue: 1000, ScaleInCooldown: 300, ScaleOutCooldown: 60 })]);
    const cpu = policies.filter((c: any) => c.PredefinedMetricSpecification.PredefinedMetricType === 'ECSServiceAverageCPUUtilization');
    expect(cpu).toHaveLength(2);
    for (const c of cpu) expect(c).toMatchObject({ TargetValue: 30, ScaleInCooldown: 300 });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '120' }]),
    });
    expect(webui().StopTimeout).toBe(120);
    expect(containers(template).litellm.StopTimeout).toBe(120);
  });

  test('a deployment still stops every old task before new ones start (no two versions on one schema)', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: Match.anyValue(),
      DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: 0, MaximumPercent: 100 }),
    });
  });
});

test('each value of a size can be overridden', () => {
  const template = synth({
    size: DeploymentSize.MEDIUM,
    litellm: { cpu: 1024, memoryLimitMiB: 2048, scaling: { minTasks: 1, maxTasks: 1 } },
    openWebUI: {
      cpu: 1024,
      memoryLimitMiB: 3072,
      scaling: { minTasks: 2, maxTasks: 3, targetCpuUtilizationPercent: 50 },
      redisNodeType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
    },
    database: { instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.LARGE), multiAz: false },
  });
  expect(taskDefinitionOf(template, 'open-webui')).toMatchObject({ Cpu: '1024', Memory: '3072' });
  expect(taskDefinitionOf(template, 'litellm')).toMatchObject({ Cpu: '1024', Memory: '2048' });
  expect(scalableTarget(template, 'ChatOpenWebUIService')).toMatchObject({ MinCapacity: 2, MaxCapacity: 3 });
  expect(scalableTarget(template, 'ChatLiteLLMService')).toBeUndefined();
  template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.t4g.large', MultiAZ: false });
  template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { CacheNodeType: 'cache.t4g.medium' });
});

test('a fixed count above one also gets Redis; one task in a MEDIUM deployment gets none', () => {
  expect(synth({ openWebUI: { scaling: { minTasks: 2, maxTasks: 2 } } }).findResources('AWS::ElastiCache::ReplicationGroup')).not.toEqual({});
  expect(synth({ size: DeploymentSize.MEDIUM, openWebUI: { scaling: { maxTasks: 1 } } }).findResources('AWS::ElastiCache::ReplicationGroup')).toEqual({});
});

test('the composed services take the same scaling', () => {
  const stack = newStack(ENV);
  const cluster = new ecs.Cluster(stack, 'Cluster');
  const litellm = new LiteLLMService(stack, 'LiteLLM', { cluster, scaling: { maxTasks: 4 } });
  const webui = new OpenWebUIService(stack, 'WebUI', { cluster, litellm, scaling: { minTasks: 2, maxTasks: 4 }, database: { multiAz: true } });
  expect(litellm.taskCount).toBeDefined();
  expect(webui.taskCount).toBeDefined();
  expect(webui.redis).toBeDefined();
  Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: true });
});

describe('scaling errors', () => {
  test.each<[string, BedrockImageChatProps, RegExp]>([
    ['no task', { openWebUI: { scaling: { minTasks: 0, maxTasks: 2 } } }, /^openWebUI\.scaling\.minTasks is 0; use a whole number of tasks, 1 or more/],
    ['a ceiling below the floor', { litellm: { scaling: { minTasks: 3, maxTasks: 2 } } }, /^litellm\.scaling\.maxTasks is 2, below minTasks \(3\)/],
    ['a fraction', { openWebUI: { scaling: { maxTasks: 2.5 } } }, /^openWebUI\.scaling\.maxTasks is 2\.5; use a whole number of tasks from 1 to 100/],
    ['a CPU target out of range', { litellm: { scaling: { maxTasks: 2, targetCpuUtilizationPercent: 95 } } }, /^litellm\.scaling\.targetCpuUtilizationPercent is 95; use 10 to 90/],
    ['an invalid Fargate pair from a size override', { size: DeploymentSize.LARGE, openWebUI: { memoryLimitMiB: 16384 } },
      /^openWebUI\.memoryLimitMiB is 16384, which Fargate does not offer with openWebUI\.cpu 1024 \(the LARGE size's\); with 1024 CPU units use 2048 to 8192/],
    ['an invalid LiteLLM CPU', { litellm: { cpu: 3000 } }, /^litellm\.cpu is 3000; Fargate accepts 256, 512, 1024, 2048, 4096/],
  ])('%s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});

describe('database connections', () => {
  test('every task holds a bounded pool, and each size\'s ceiling fits its database', () => {
    for (const size of [DeploymentSize.SMALL, DeploymentSize.MEDIUM, DeploymentSize.LARGE]) {
      const template = synth({ size });
      const env = envOf(containers(template)['open-webui']);
      const perTask = 2 * (Number(env.DATABASE_POOL_SIZE) + Number(env.DATABASE_POOL_MAX_OVERFLOW))
        + Number(env.PGVECTOR_POOL_SIZE) + Number(env.PGVECTOR_POOL_MAX_OVERFLOW);
      expect(perTask).toBe(CONNECTIONS_PER_OPEN_WEBUI_TASK);
      const db = Object.values(template.findResources('AWS::RDS::DBInstance'))[0].Properties.DBInstanceClass;
      const maxTasks = scalableTarget(template, 'ChatOpenWebUI')?.MaxCapacity ?? 1;
      const accepted = maxDatabaseConnections(new ec2.InstanceType(db.replace(/^db\./, '')));
      expect(maxTasks * perTask).toBeLessThanOrEqual(accepted * 0.8);
    }
  });

  test.each<[string, () => void, RegExp]>([
    ['the L3', () => synth({ openWebUI: { scaling: { maxTasks: 8 } } }),
      /^openWebUI\.scaling\.maxTasks is 8, but a t4g\.small database accepts 225 connections and each Open WebUI task holds up to 25, .*; choose at most 7 tasks or a larger database\.instanceType$/],
    ['the L2', () => {
      const stack = newStack(ENV);
      const cluster = new ecs.Cluster(stack, 'Cluster');
      const litellm = new LiteLLMService(stack, 'LiteLLM', { cluster });
      new OpenWebUIService(stack, 'WebUI', { cluster, litellm, scaling: { maxTasks: 15 }, database: { instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM) } });
    }, /^scaling\.maxTasks is 15, but a t4g\.medium database accepts 450 connections .*; choose at most 14 tasks or a larger database\.instanceType$/],
  ])('too many tasks for the database: a synth error through %s', (_name, build, message) => {
    expect(build).toThrow(message);
  });
});

test('the examples are the three sizes', () => {
  expect(Object.keys(SIZE_EXAMPLES)).toEqual(['SMALL', 'MEDIUM', 'LARGE']);
  const app = new App();
  expect(Object.values(SIZE_EXAMPLES).map((build) => (build(app) as Stack).stackName)).toEqual(['ChatSmall', 'ChatMedium', 'ChatLarge']);
});

describe('Fargate Spot', () => {
  const template = synth({ size: DeploymentSize.MEDIUM, litellm: { spot: true }, openWebUI: { spot: true } });
  const strategyOf = (prefix: string) => template.toJSON().Resources[logicalId(template, 'AWS::ECS::Service', prefix)].Properties.CapacityProviderStrategy;

  test('the cluster gets the Fargate capacity providers', () => {
    template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', { CapacityProviders: Match.arrayWith(['FARGATE', 'FARGATE_SPOT']) });
  });

  test('LiteLLM runs every task on Spot; Open WebUI keeps its first task on regular Fargate', () => {
    expect(strategyOf('ChatLiteLLMService')).toEqual([{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }]);
    expect(strategyOf('ChatOpenWebUIService')).toEqual([{ CapacityProvider: 'FARGATE', Base: 1, Weight: 0 }, { CapacityProvider: 'FARGATE_SPOT', Weight: 1 }]);
    for (const prefix of ['ChatLiteLLMService', 'ChatOpenWebUIService']) {
      expect(template.toJSON().Resources[logicalId(template, 'AWS::ECS::Service', prefix)].Properties.LaunchType).toBeUndefined();
    }
  });

  test('off by default', () => {
    const plain = synth();
    expect(Object.values(plain.findResources('AWS::ECS::Service')).map((s: any) => s.Properties.LaunchType)).toEqual(['FARGATE', 'FARGATE']);
    plain.resourceCountIs('AWS::ECS::ClusterCapacityProviderAssociations', 0);
  });
});

test('the services on their own run the measured tasks of every size', () => {
  const stack = newStack(ENV);
  const cluster = new ecs.Cluster(stack, 'Cluster');
  const litellm = new LiteLLMService(stack, 'LiteLLM', { cluster });
  new OpenWebUIService(stack, 'WebUI', { cluster, litellm, publicUrl: 'https://chat.example.com' });
  const template = Template.fromStack(stack);
  expect(taskDefinitionOf(template, 'open-webui')).toMatchObject({ Cpu: '1024', Memory: '2048' });
  expect(taskDefinitionOf(template, 'litellm')).toMatchObject({ Cpu: '512', Memory: '1024' });
});
