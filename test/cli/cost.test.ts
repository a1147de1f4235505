/**
 * `cost`: the monthly baseline per resource type, from small hand-written templates whose amounts
 * follow from the price table, and the command's output formats.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { averageScheduledTasks, cronFieldMatches, endpointName, estimateCost, spotShareOf } from '../../src/cli/cost';
import { CliIo, EXIT_OK, EXIT_USAGE, run } from '../../src/cli/main';
import { ASSUMPTIONS, HOURS_PER_MONTH, PRICES } from '../../src/cli/prices';

const H = HOURS_PER_MONTH;
const cost = (resources: Record<string, any>) => estimateCost({ Resources: resources });
const line = (resources: Record<string, any>, item: string) => cost(resources).lines.find((l) => l.item === item)!;

function service(extra: any = {}, taskDefinition: any = {}): Record<string, any> {
  return {
    Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { Cpu: '1024', Memory: '2048', RuntimePlatform: { CpuArchitecture: 'ARM64' }, ContainerDefinitions: [{ Name: 'open-webui' }], ...taskDefinition } },
    Service: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Task' }, DesiredCount: 1, ...extra } },
  };
}

describe('per resource type', () => {
  test('Fargate: vCPU and memory at the architecture price, by task', () => {
    expect(line(service(), 'Fargate').monthly).toBeCloseTo((1 * PRICES.fargate.ARM64.vcpuHour + 2 * PRICES.fargate.ARM64.gbHour) * H, 2);
    const x86 = line(service({ DesiredCount: 2 }, { Cpu: '2048', Memory: '4096', RuntimePlatform: undefined }), 'Fargate');
    expect(x86.monthly).toBeCloseTo(2 * (2 * PRICES.fargate.X86_64.vcpuHour + 4 * PRICES.fargate.X86_64.gbHour) * H, 2);
    expect(x86.detail).toBe('open-webui: 2 x 2 vCPU / 4 GB X86_64');
  });

  test('Fargate: the autoscaling minimum, not the desired count, is the baseline', () => {
    const resources = {
      ...service({ DesiredCount: 1 }),
      Target: { Type: 'AWS::ApplicationAutoScaling::ScalableTarget', Properties: { MinCapacity: 3, MaxCapacity: 10, ResourceId: { 'Fn::Join': ['', ['service/', { Ref: 'Cluster' }, '/', { 'Fn::GetAtt': ['Service', 'Name'] }]] } } },
    };
    expect(line(resources, 'Fargate').detail).toMatch(/^open-webui: 3 x /);
  });

  test('Fargate Spot: the on-demand base first, the rest by weight, at the Spot discount', () => {
    expect(spotShareOf([{ CapacityProvider: 'FARGATE', Base: 1, Weight: 0 }, { CapacityProvider: 'FARGATE_SPOT', Weight: 1 }], 4)).toBe(0.75);
    expect(spotShareOf([{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }], 2)).toBe(1);
    expect(spotShareOf(undefined, 2)).toBe(0);
    const onDemand = line(service(), 'Fargate').monthly;
    const spot = cost(service({ CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }] }));
    expect(spot.lines[0].monthly).toBeCloseTo(onDemand * (1 - PRICES.fargateSpotDiscount), 1);
    expect(spot.notes.join(' ')).toContain('Spot prices vary');
  });

  test('off hours: the weekly average of the scheduled minimum (open 07:00-20:00 on workdays = 65 of 168 hours)', () => {
    const actions = [
      { Schedule: 'cron(0 20 ? * MON-FRI *)', ScalableTargetAction: { MinCapacity: 0, MaxCapacity: 0 } },
      { Schedule: 'cron(0 7 ? * MON-FRI *)', ScalableTargetAction: { MinCapacity: 1, MaxCapacity: 2 } },
    ];
    expect(averageScheduledTasks(actions, 1)).toBeCloseTo(65 / 168, 6);
    expect(cronFieldMatches('MON-FRI', 2, ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], 1)).toBe(true);
    expect(cronFieldMatches('MON-FRI', 1, ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], 1)).toBe(false);
    expect(cronFieldMatches('0/15', 30)).toBe(true);
    expect(cronFieldMatches('1,3', 2)).toBe(false);
  });

  test('RDS: instance hours and storage, twice for Multi-AZ; an unknown class is a note', () => {
    const db = (p: any) => ({ Db: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', AllocatedStorage: '20', ...p } } });
    expect(line(db({ DBInstanceClass: 'db.t4g.small' }), 'RDS').monthly).toBeCloseTo(0.032 * H + 20 * PRICES.rdsStorageGbMonth, 2);
    expect(line(db({ DBInstanceClass: 'db.t4g.medium', MultiAZ: true }), 'RDS').monthly).toBeCloseTo(2 * (0.065 * H + 20 * PRICES.rdsStorageGbMonth), 2);
    const unknown = cost(db({ DBInstanceClass: 'db.x2iedn.32xlarge' }));
    expect(unknown.notes.join(' ')).toContain('No price for the database class db.x2iedn.32xlarge');
  });

  test('ElastiCache: nodes at the Valkey price, Redis OSS 25 % above it', () => {
    const group = (engine: string) => ({ Cache: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { Engine: engine, CacheNodeType: 'cache.t4g.micro', NumCacheClusters: 2 } } });
    expect(line(group('valkey'), 'ElastiCache').monthly).toBeCloseTo(2 * 0.0128 * H, 2);
    expect(line(group('redis'), 'ElastiCache').monthly).toBeCloseTo((2 * 0.0128 * H) / 0.8, 2);
  });

  test('interface endpoints are billed per zone; gateway endpoints are free', () => {
    const endpoint = (name: string, subnets: number, type = 'Interface') => ({
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: { VpcEndpointType: type, ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${name}`]] }, SubnetIds: Array.from({ length: subnets }, (_, i) => ({ Ref: `S${i}` })) },
    });
    const l = line({ A: endpoint('ecr.api', 2), B: endpoint('logs', 1), C: endpoint('s3', 0, 'Gateway') }, 'Interface endpoints');
    expect(l.monthly).toBeCloseTo(3 * PRICES.interfaceEndpointHour * H, 2);
    expect(l.detail).toBe('2 endpoints (ecr.api, logs), 3 endpoint-zones');
    expect(endpointName('com.amazonaws.eu-west-1.bedrock-runtime')).toBe('bedrock-runtime');
  });

  test('NAT gateways with their public IPv4 address', () => {
    expect(line({ N1: { Type: 'AWS::EC2::NatGateway' }, N2: { Type: 'AWS::EC2::NatGateway' } }, 'NAT gateways').monthly)
      .toBeCloseTo(2 * (PRICES.natGatewayHour + PRICES.publicIpv4Hour) * H, 2);
  });

  test('load balancer: hours, the assumed LCUs, and a public IPv4 address per zone when internet-facing', () => {
    const alb = (scheme: string) => ({ Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Scheme: scheme, Subnets: [{ Ref: 'A' }, { Ref: 'B' }] } } });
    const base = (PRICES.albHour + ASSUMPTIONS.albLcus * PRICES.albLcuHour) * H;
    expect(line(alb('internal'), 'Load balancer').monthly).toBeCloseTo(base, 2);
    expect(line(alb('internet-facing'), 'Load balancer').monthly).toBeCloseTo(base + 2 * PRICES.publicIpv4Hour * H, 2);
  });

  test('secrets, alarms (per metric), dashboards, WAF rules, KMS keys', () => {
    const resources = {
      S1: { Type: 'AWS::SecretsManager::Secret' },
      S2: { Type: 'AWS::SecretsManager::Secret' },
      A1: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'CPUUtilization' } },
      A2: { Type: 'AWS::CloudWatch::Alarm', Properties: { Metrics: [{ Id: 'a', MetricStat: {} }, { Id: 'b', MetricStat: {} }, { Id: 'e', Expression: 'a+b' }] } },
      D: { Type: 'AWS::CloudWatch::Dashboard' },
      W: { Type: 'AWS::WAFv2::WebACL', Properties: { Scope: 'REGIONAL', Rules: [{}, {}, {}] } },
      K: { Type: 'AWS::KMS::Key' },
    };
    expect(line(resources, 'Secrets Manager').monthly).toBeCloseTo(0.8, 2);
    expect(line(resources, 'CloudWatch alarms')).toMatchObject({ detail: '2 alarms on 3 metrics', monthly: 0.3 });
    expect(line(resources, 'CloudWatch dashboard').monthly).toBe(3);
    expect(line(resources, 'AWS WAF').monthly).toBe(8);
    expect(line(resources, 'KMS keys').monthly).toBe(1);
  });

  test('backups: the assumed data of the database and file system the plan selects', () => {
    const resources = {
      Db: { Type: 'AWS::RDS::DBInstance', Properties: { DBInstanceClass: 'db.t4g.small' } },
      Fs: { Type: 'AWS::EFS::FileSystem' },
      Sel: { Type: 'AWS::Backup::BackupSelection', Properties: { BackupSelection: { Resources: [{ 'Fn::GetAtt': ['Db', 'DBInstanceArn'] }] } } },
    };
    expect(line(resources, 'AWS Backup').monthly).toBeCloseTo(ASSUMPTIONS.databaseDataGb * PRICES.backupRdsGbMonth, 2);
    expect(line(resources, 'EFS').monthly).toBeCloseTo(ASSUMPTIONS.efsGb * PRICES.efsGbMonth, 2);
  });

  test('S3 files: the assumed files in the bucket a container is given as S3_BUCKET_NAME, not in other buckets', () => {
    const files = { Name: 'S3_BUCKET_NAME', Value: { Ref: 'Files' } };
    const resources = {
      ...service({}, { ContainerDefinitions: [{ Name: 'open-webui', Environment: [{ Name: 'STORAGE_PROVIDER', Value: 's3' }, files] }] }),
      Files: { Type: 'AWS::S3::Bucket' },
      Logs: { Type: 'AWS::S3::Bucket' },
    };
    const s3 = line(resources, 'S3 files');
    expect(s3.monthly).toBeCloseTo(ASSUMPTIONS.efsGb * PRICES.s3GbMonth, 1);
    expect(s3.monthly).toBeGreaterThan(0);
    expect(s3.detail).toBe(`1 bucket of users' files, ${ASSUMPTIONS.efsGb} GB assumed`);
    // A backup plan that selects the bucket copies its files (S3 backups cost what EFS backups do).
    const selection = { Type: 'AWS::Backup::BackupSelection', Properties: { BackupSelection: { Resources: [{ 'Fn::GetAtt': ['Files', 'Arn'] }] } } };
    expect(line({ ...resources, Sel: selection }, 'AWS Backup').monthly).toBeCloseTo(ASSUMPTIONS.efsGb * PRICES.backupEfsGbMonth, 2);
    // A bucket no container stores files in (access logs, configuration) is left to the notes.
    expect(line({ ...service(), Logs: { Type: 'AWS::S3::Bucket' } }, 'S3 files')).toBeUndefined();
  });

  test('the total is the sum of the lines; another region adds a note, an empty template costs nothing', () => {
    const e = estimateCost({ Resources: { ...service(), S: { Type: 'AWS::SecretsManager::Secret' } } }, 'eu-central-1');
    expect(e.total).toBeCloseTo(e.lines.reduce((s, l) => s + l.monthly, 0), 6);
    expect(e.notes.join(' ')).toContain('The stack is for eu-central-1; these are us-east-1 prices');
    expect(e.notes.join(' ')).toContain('Left out (billed by use): Bedrock tokens and images');
    expect(estimateCost({}).total).toBe(0);
  });

  test('a CloudFront distribution adds no line, and a note that it is billed by use', () => {
    const without = estimateCost({ Resources: service() });
    const withCdn = estimateCost({ Resources: { ...service(), Cdn: { Type: 'AWS::CloudFront::Distribution' } } });
    expect(withCdn.total).toBe(without.total);
    expect(without.notes.join(' ')).not.toContain('CloudFront');
    expect(withCdn.notes.join(' ')).toContain('CloudFront has no monthly base: its requests and data out are billed by use');
  });
});

describe('the command', () => {
  const io = (): CliIo & { stdout: string[]; stderr: string[] } => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), interactive: false, env: {} };
  };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cost-')), 'template.json');
  fs.writeFileSync(file, JSON.stringify({ Resources: service() }));

  test('table and json', async () => {
    const table = io();
    expect(await run(['cost', file], table)).toBe(EXIT_OK);
    expect(table.stdout.join('\n')).toMatch(/│ Fargate +│ open-webui: 1 x 1 vCPU \/ 2 GB ARM64 +│ 28.84 +│/);
    expect(table.stdout.join('\n')).toMatch(/│ Total +│ +│ 28.84 +│/);
    const json = io();
    expect(await run(['--output', 'json', 'cost', file], json)).toBe(EXIT_OK);
    expect(JSON.parse(json.stdout.join('\n'))).toMatchObject({ total: 28.84, lines: [{ item: 'Fargate', monthly: 28.84 }] });
  });

  test('a missing or malformed file is a usage error (exit 2)', async () => {
    const missing = io();
    expect(await run(['cost', '/nonexistent/template.json'], missing)).toBe(EXIT_USAGE);
    expect(missing.stderr.join('\n')).toContain('/nonexistent/template.json does not exist; synthesize first');
    const bad = path.join(path.dirname(file), 'bad.json');
    fs.writeFileSync(bad, '{ not json');
    const malformed = io();
    expect(await run(['cost', bad], malformed)).toBe(EXIT_USAGE);
    expect(malformed.stderr.join('\n')).toContain('is not a JSON template');
  });

  test('JSON that is not a synthesized template (package.json) is a usage error, not a zero estimate', async () => {
    const pkg = path.join(path.dirname(file), 'package.json');
    fs.writeFileSync(pkg, JSON.stringify({ name: 'my-app', version: '1.0.0' }));
    const notTemplate = io();
    expect(await run(['cost', pkg], notTemplate)).toBe(EXIT_USAGE);
    expect(notTemplate.stdout).toEqual([]);
    expect(notTemplate.stderr.join('\n')).toBe(`error: ${pkg} is not a synthesized CloudFormation template (it has no Resources with a Type); `
      + 'synthesize first (cdk synth) and pass cdk.out/<stack>.template.json');
  });

  test('the region of the template\'s stack, from the cloud assembly beside it, decides the note about prices; --region wins', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-assembly-'));
    const template = path.join(dir, 'Chat.template.json');
    fs.writeFileSync(template, JSON.stringify({ Resources: service() }));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      version: '48.0.0',
      artifacts: { Chat: { type: 'aws:cloudformation:stack', environment: 'aws://111111111111/eu-central-1', properties: { templateFile: 'Chat.template.json' } } },
    }));
    const fromTemplate = io();
    expect(await run(['cost', template], fromTemplate)).toBe(EXIT_OK);
    expect(fromTemplate.stdout.join('\n')).toContain('The stack is for eu-central-1; these are us-east-1 prices');
    const fromFlag = io();
    expect(await run(['--region', 'us-east-1', 'cost', template], fromFlag)).toBe(EXIT_OK);
    expect(fromFlag.stdout.join('\n')).not.toContain('The stack is for');
    // An environment-agnostic stack names no region.
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      artifacts: { Chat: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'Chat.template.json' } } },
    }));
    const agnostic = io();
    expect(await run(['cost', template], agnostic)).toBe(EXIT_OK);
    expect(agnostic.stdout.join('\n')).not.toContain('The stack is for');
  });
});
