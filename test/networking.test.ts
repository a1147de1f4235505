import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BedrockImageChat, BedrockImageChatProps, BedrockModel, DeploymentSize, FrontDoor, InternetEgress, LiteLLMService, OpenWebUIService, PrivateBedrockVpc } from '../src';
import { containers, envOf, newStack } from './util';

function synth(props: BedrockImageChatProps = {}, region = 'us-west-2') {
  const stack = newStack({ env: { region, account: '111111111111' } });
  const chat = new BedrockImageChat(stack, 'Chat', props);
  return { stack, chat, template: Template.fromStack(stack) };
}

function resources(template: Template, type: string): any[] {
  return Object.values(template.findResources(type));
}

function logicalIds(template: Template, type: string): string[] {
  return Object.keys(template.findResources(type));
}

/** The short service names (ecr.api, logs, ...) of the VPC endpoints, by type. */
function endpointServices(template: Template, type: 'Interface' | 'Gateway'): string[] {
  return resources(template, 'AWS::EC2::VPCEndpoint')
    .filter((e) => (e.Properties.VpcEndpointType ?? 'Gateway') === type)
    .map((e) => {
      const name = JSON.stringify(e.Properties.ServiceName);
      return /com\.amazonaws\.[^"]*?\.([a-z0-9.-]+)"/.exec(name)?.[1] ?? /"\.([a-z0-9.-]+)"\]/.exec(name)?.[1] ?? name;
    })
    .sort();
}

/** Whether a private route table has a route to the internet (NAT or internet gateway). */
function privateSubnetsReachInternet(template: Template): boolean {
  const publicTables = new Set(
    resources(template, 'AWS::EC2::Route').filter((r) => r.Properties.GatewayId).map((r) => r.Properties.RouteTableId.Ref),
  );
  return resources(template, 'AWS::EC2::Route').some((r) => !publicTables.has(r.Properties.RouteTableId.Ref) && r.Properties.DestinationCidrBlock === '0.0.0.0/0');
}

describe('egress NONE (the default)', () => {
  const { template } = synth();
  const all = containers(template);

  test('no NAT gateway, and no private subnet routes to the internet', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    expect(privateSubnetsReachInternet(template)).toBe(false);
  });

  test('every task definition image is an ECR image in the deploying account, copied from the pinned upstream image', () => {
    const repositories = logicalIds(template, 'AWS::ECR::Repository');
    for (const container of Object.values(all)) {
      const image = JSON.stringify(container.Image);
      expect(image).toContain('.dkr.ecr.');
      // The registry account and region come from a repository this stack creates.
      const repository = repositories.find((id) => image.includes(`"Fn::GetAtt":["${id}","Arn"]`));
      expect(repository).toBeDefined();
    }
    const copies = resources(template, 'Custom::CDKECRDeployment').map((c) => c.Properties.SrcImage).sort();
    expect(copies).toEqual([`docker://${LiteLLMService.DEFAULT_IMAGE}`, `docker://${OpenWebUIService.DEFAULT_IMAGE}`]);
  });

  test('the services start only after their image copy, on ARM64 (Graviton)', () => {
    const copyIds = logicalIds(template, 'Custom::CDKECRDeployment');
    for (const service of resources(template, 'AWS::ECS::Service')) {
      expect(copyIds.filter((id) => service.DependsOn.includes(id))).toHaveLength(1);
    }
    for (const td of resources(template, 'AWS::ECS::TaskDefinition')) {
      expect(td.Properties.RuntimePlatform).toEqual({ CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' });
    }
    for (const copy of resources(template, 'Custom::CDKECRDeployment')) {
      expect(JSON.stringify(copy.Properties)).toContain('arm64');
    }
  });

  test('no container is configured to call the internet at start', () => {
    const litellm = envOf(all.litellm);
    const webui = envOf(all['open-webui']);
    expect(litellm.LITELLM_LOCAL_MODEL_COST_MAP).toBe('True');
    // OFFLINE_MODE sets HF_HUB_OFFLINE and turns off the version check and the Whisper and
    // reranker model downloads (open_webui 0.12.4 env.py/config.py); embeddings go through LiteLLM.
    expect(webui).toMatchObject({
      OFFLINE_MODE: 'true',
      ENABLE_VERSION_UPDATE_CHECK: 'false',
      RAG_EMBEDDING_ENGINE: 'openai',
      ENABLE_OLLAMA_API: 'false',
      DO_NOT_TRACK: 'true',
    });
    // Every URL a container is given points inside the VPC.
    for (const container of Object.values(all)) {
      for (const value of Object.values(envOf(container))) {
        for (const [, host] of JSON.stringify(value).matchAll(/https?:\/\/([^/:"]+)/g)) {
          expect(host).toMatch(/\.internal$/);
        }
      }
    }
  });

  test('each AWS service a container calls has a VPC endpoint', () => {
    const needed = new Set<string>();
    for (const container of Object.values(all)) {
      if (container.LogConfiguration?.LogDriver === 'awslogs') needed.add('logs');
      if ((container.Secrets ?? []).length > 0) needed.add('secretsmanager');
      if (JSON.stringify(container.Image).includes('.dkr.ecr.')) ['ecr.api', 'ecr.dkr', 's3'].forEach((s) => needed.add(s));
    }
    const statements = resources(template, 'AWS::IAM::Policy').flatMap((p) => p.Properties.PolicyDocument.Statement);
    if (statements.some((s) => [s.Action].flat().includes('bedrock:InvokeModel'))) needed.add('bedrock-runtime');
    if (statements.some((s) => [s.Action].flat().includes('s3:GetObject*'))) needed.add('s3');
    expect([...needed].sort()).toEqual(['bedrock-runtime', 'ecr.api', 'ecr.dkr', 'logs', 's3', 'secretsmanager']);

    const endpoints = [...endpointServices(template, 'Interface'), ...endpointServices(template, 'Gateway')];
    for (const service of needed) {
      expect(endpoints).toContain(service);
    }
    for (const endpoint of resources(template, 'AWS::EC2::VPCEndpoint').filter((e) => e.Properties.VpcEndpointType === 'Interface')) {
      expect(endpoint.Properties.PrivateDnsEnabled).toBe(true);
    }
  });

  test('ECS Exec is off, and there is no ssmmessages endpoint', () => {
    for (const service of resources(template, 'AWS::ECS::Service')) {
      expect(service.Properties.EnableExecuteCommand).toBe(false);
    }
    expect(endpointServices(template, 'Interface')).not.toContain('ssmmessages');
  });
});

describe('egress with NAT gateways', () => {
  test('NAT_GATEWAY: one NAT gateway; tasks in private subnets with egress; endpoints stay', () => {
    const { template } = synth({ network: { egress: InternetEgress.NAT_GATEWAY } });
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    expect(privateSubnetsReachInternet(template)).toBe(true);
    expect(endpointServices(template, 'Interface')).toEqual(['bedrock-runtime', 'ecr.api', 'ecr.dkr', 'logs', 'secretsmanager']);
  });

  test('NAT_GATEWAY_PER_AZ with three zones: three NAT gateways', () => {
    const { template } = synth({ network: { egress: InternetEgress.NAT_GATEWAY_PER_AZ, maxAzs: 3 } });
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
  });

  test('a model in another region is allowed with egress (the task calls that region over the internet)', () => {
    const { ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, STABILITY_STABLE_IMAGE_CORE_V1_1, AMAZON_TITAN_EMBED_TEXT_V2 } = BedrockModel;
    const models = [ANTHROPIC_CLAUDE_HAIKU_4_5_GLOBAL, STABILITY_STABLE_IMAGE_CORE_V1_1, AMAZON_TITAN_EMBED_TEXT_V2];
    expect(() => synth({ models }, 'eu-west-1')).toThrow(/with network.egress InternetEgress.NONE, the tasks reach Bedrock only through the VPC endpoint of eu-west-1/);
    expect(() => synth({ models, network: { egress: InternetEgress.NAT_GATEWAY } }, 'eu-west-1')).not.toThrow();
  });

  test('with egress, an image straight from a public registry is allowed', () => {
    const { template } = synth({
      network: { egress: InternetEgress.NAT_GATEWAY },
      litellm: { image: ecs.ContainerImage.fromRegistry(LiteLLMService.DEFAULT_IMAGE) },
    });
    expect(containers(template).litellm.Image).toBe(LiteLLMService.DEFAULT_IMAGE);
    expect(resources(template, 'Custom::CDKECRDeployment')).toHaveLength(1);
  });
});

describe('endpoint and task options', () => {
  const endpointZones = (props: BedrockImageChatProps) => resources(synth(props).template, 'AWS::EC2::VPCEndpoint')
    .filter((e) => e.Properties.VpcEndpointType === 'Interface').map((e) => e.Properties.SubnetIds.length);

  test('endpoints sit in one zone when nothing else spans two (SMALL: one Open WebUI task, a one-zone database), else in two', () => {
    expect(endpointZones({})).toEqual([1, 1, 1, 1, 1]);
    expect(endpointZones({ size: DeploymentSize.MEDIUM })).toEqual([2, 2, 2, 2, 2]);
    expect(endpointZones({ openWebUI: { scaling: { maxTasks: 2 } } })).toEqual([2, 2, 2, 2, 2]);
    expect(endpointZones({ database: { multiAz: true } })).toEqual([2, 2, 2, 2, 2]);
  });

  test('endpointsInOneAz decides either way', () => {
    expect(endpointZones({ network: { endpointsInOneAz: false } })).toEqual([2, 2, 2, 2, 2]);
    expect(endpointZones({ size: DeploymentSize.MEDIUM, network: { endpointsInOneAz: true } })).toEqual([1, 1, 1, 1, 1]);
  });

  test('enableExecuteCommand turns on ECS Exec and adds the ssmmessages endpoint', () => {
    const { template } = synth({ enableExecuteCommand: true });
    for (const service of resources(template, 'AWS::ECS::Service')) {
      expect(service.Properties.EnableExecuteCommand).toBe(true);
    }
    expect(endpointServices(template, 'Interface')).toContain('ssmmessages');
    const actions = JSON.stringify(resources(template, 'AWS::IAM::Policy').map((p) => p.Properties.PolicyDocument));
    expect(actions).toContain('ssmmessages:OpenDataChannel');
  });

  test('cpuArchitecture X86_64 runs and copies x86_64 images', () => {
    const { template } = synth({ cpuArchitecture: ecs.CpuArchitecture.X86_64 });
    for (const td of resources(template, 'AWS::ECS::TaskDefinition')) {
      expect(td.Properties.RuntimePlatform.CpuArchitecture).toBe('X86_64');
    }
    for (const copy of resources(template, 'Custom::CDKECRDeployment')) {
      expect(JSON.stringify(copy.Properties)).toContain('amd64');
    }
  });

  test('PrivateBedrockVpc takes extra endpoints, such as the Bedrock control plane', () => {
    const stack = newStack({ env: { region: 'us-east-1', account: '111111111111' } });
    new PrivateBedrockVpc(stack, 'Net', { additionalEndpoints: [ec2.InterfaceVpcEndpointAwsService.BEDROCK, ec2.InterfaceVpcEndpointAwsService.ECR] });
    expect(endpointServices(Template.fromStack(stack), 'Interface')).toEqual(['bedrock', 'bedrock-runtime', 'ecr.api', 'ecr.dkr', 'logs', 'secretsmanager']);
  });
});

describe('bring your own VPC', () => {
  function ownVpc(stack: Stack, subnets: ec2.SubnetConfiguration[]): ec2.Vpc {
    return new ec2.Vpc(stack, 'Own', { maxAzs: 2, natGateways: subnets.some((s) => s.subnetType === ec2.SubnetType.PRIVATE_WITH_EGRESS) ? 1 : 0, subnetConfiguration: subnets });
  }
  const publicSubnets = { name: 'Public', subnetType: ec2.SubnetType.PUBLIC };
  const isolated = { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

  test('uses the given VPC and subnets, and creates no VPC or endpoints of its own', () => {
    const stack = newStack({ env: { region: 'us-west-2', account: '111111111111' } });
    const vpc = ownVpc(stack, [publicSubnets, isolated, { name: 'Db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }]);
    new BedrockImageChat(stack, 'Chat', { vpc, network: { taskSubnets: { subnetGroupName: 'Isolated' }, databaseSubnets: { subnetGroupName: 'Db' } } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    const dbSubnets = resources(template, 'AWS::RDS::DBSubnetGroup')[0].Properties.SubnetIds;
    expect(JSON.stringify(dbSubnets)).toContain('OwnDbSubnet');
    const taskSubnets = resources(template, 'AWS::ECS::Service')[0].Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets;
    expect(JSON.stringify(taskSubnets)).toContain('OwnIsolatedSubnet');
  });

  test('EXISTING egress with a public-registry image is allowed', () => {
    const stack = newStack({ env: { region: 'us-west-2', account: '111111111111' } });
    const vpc = ownVpc(stack, [publicSubnets, { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }]);
    expect(() => new BedrockImageChat(stack, 'Chat', {
      vpc,
      network: { egress: InternetEgress.EXISTING },
      openWebUI: { image: ecs.ContainerImage.fromRegistry(OpenWebUIService.DEFAULT_IMAGE) },
    })).not.toThrow();
  });

  test('an ECR image of the account is fine without egress', () => {
    const stack = newStack({ env: { region: 'us-west-2', account: '111111111111' } });
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'mirror/litellm');
    expect(() => new BedrockImageChat(stack, 'Chat', { litellm: { image: ecs.ContainerImage.fromEcrRepository(repository, 'v1.110.2') } })).not.toThrow();
    expect(() => new BedrockImageChat(newStack(), 'Chat', {
      litellm: { image: ecs.ContainerImage.fromRegistry('111111111111.dkr.ecr.us-west-2.amazonaws.com/mirror/litellm:v1.110.2') },
    })).not.toThrow();
  });
});

describe('synth-time errors', () => {
  test.each<[string, (stack: Stack) => BedrockImageChatProps, RegExp]>([
    [
      'egress NONE with an image from a public registry',
      () => ({ openWebUI: { image: ecs.ContainerImage.fromRegistry('ghcr.io/open-webui/open-webui:v0.9.6') } }),
      /openWebUI.image is 'ghcr.io\/open-webui\/open-webui:v0.9.6', a public registry, but network.egress is InternetEgress.NONE, so the task cannot pull it; leave openWebUI.image unset/,
    ],
    [
      'egress NONE with an ECR Public image',
      () => ({ litellm: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/litellm:1') } }),
      /image is 'public.ecr.aws\/example\/litellm:1', a public registry/,
    ],
    [
      'your VPC without public subnets, and an internet-facing load balancer',
      (stack) => ({ vpc: new ec2.Vpc(stack, 'Own', { natGateways: 0, subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] }), frontDoor: FrontDoor.plainHttp() }),
      /loadBalancerSubnets selects 0 subnet\(s\) in 0 availability zone\(s\) of your vpc; the internet-facing load balancer \(public subnets\) needs subnets in at least two availability zones/,
    ],
    [
      'your VPC without an internet gateway, behind CloudFront (the default without a certificate)',
      (stack) => ({ vpc: new ec2.Vpc(stack, 'Own', { natGateways: 0, subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] }) }),
      /^frontDoor is FrontDoor.cloudFront\(\) \(the default\), and CloudFront reaches the internal load balancer through a VPC origin, which needs an internet gateway in the VPC; your vpc has no public subnet/,
    ],
    [
      'your VPC without private subnets',
      (stack) => ({ vpc: new ec2.Vpc(stack, 'Own', { natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] }) }),
      /taskSubnets selects 0 subnet\(s\) .* the tasks \(private subnets\) needs subnets/,
    ],
    [
      'your VPC with a database in one zone',
      (stack) => ({
        vpc: new ec2.Vpc(stack, 'Own', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }, { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] }),
        network: { databaseSubnets: { subnetGroupName: 'Isolated', availabilityZones: ['dummy1a'] } },
      }),
      /databaseSubnets selects 1 subnet\(s\) in 1 availability zone\(s\) of your vpc; the database needs subnets in at least two/,
    ],
    [
      'NAT egress with your VPC',
      (stack) => ({ vpc: new ec2.Vpc(stack, 'Own'), network: { egress: InternetEgress.NAT_GATEWAY } }),
      /egress is InternetEgress.NAT_GATEWAY, which adds NAT gateways to the VPC this construct creates; with your own `vpc`, use InternetEgress.EXISTING/,
    ],
    ['EXISTING egress without a VPC', () => ({ network: { egress: InternetEgress.EXISTING } }), /egress is InternetEgress.EXISTING, which needs your own `vpc`/],
    ['subnet selections without a VPC', () => ({ network: { taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } } }), /taskSubnets is set, but there is no `vpc`/],
    ['maxAzs out of range', () => ({ network: { maxAzs: 0 } }), /maxAzs is 0; the load balancer and the database need subnets in at least two availability zones/],
  ])('%s', (_name, props, message) => {
    const stack = newStack({ env: { region: 'us-west-2', account: '111111111111' } });
    expect(() => new BedrockImageChat(stack, 'Chat', props(stack))).toThrow(message);
  });
});
