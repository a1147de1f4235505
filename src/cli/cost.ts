import { ASSUMPTIONS, HOURS_PER_MONTH, PRICE_REGION, PRICES, PRICES_READ_ON } from './prices';

/**
 * The monthly baseline of a synthesized deployment: what its resources cost while idle at their
 * minimum size, from the committed price table. Usage (Bedrock tokens and images, data transfer,
 * logs, requests) is left out and said so.
 */

/** One line of the estimate. */
export interface CostLine {
  /** What is billed: "Fargate", "RDS", "Interface endpoints", ... */
  readonly item: string;
  /** How the amount is made up. */
  readonly detail: string;
  /** US dollars per month. */
  readonly monthly: number;
}

export interface CostEstimate {
  readonly lines: CostLine[];
  /** The sum of the lines, US dollars per month. */
  readonly total: number;
  /** Assumptions, prices that are estimates, and what is left out. */
  readonly notes: string[];
}

interface Resource {
  readonly Type: string;
  readonly Properties?: any;
}

type Resources = Record<string, Resource>;

const round2 = (n: number) => Math.round(n * 100) / 100;
const perMonth = (hourly: number) => hourly * HOURS_PER_MONTH;
const usd = (n: number) => `$${n.toFixed(2)}`;
const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;

/**
 * Estimates a template's monthly baseline. `region` is where it would be deployed (the prices are
 * us-east-1's; another region adds a note).
 */
export function estimateCost(template: { Resources?: Resources }, region?: string): CostEstimate {
  const resources = template.Resources ?? {};
  const lines: CostLine[] = [];
  const notes: string[] = [];
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  lines.push(...loadBalancerLines(ofType('AWS::ElasticLoadBalancingV2::LoadBalancer').map(([, r]) => r)));
  lines.push(...fargateLines(resources, notes));
  lines.push(...databaseLines(ofType('AWS::RDS::DBInstance').map(([, r]) => r), notes));
  lines.push(...cacheLines(ofType('AWS::ElastiCache::ReplicationGroup').map(([, r]) => r), notes));

  const fileSystems = ofType('AWS::EFS::FileSystem').length;
  if (fileSystems > 0) {
    lines.push({ item: 'EFS', detail: `${plural(fileSystems, 'file system')}, ${ASSUMPTIONS.efsGb} GB of files assumed`, monthly: fileSystems * ASSUMPTIONS.efsGb * PRICES.efsGbMonth });
  }

  const fileBuckets = fileBucketsOf(resources);
  if (fileBuckets > 0) {
    lines.push({ item: 'S3 files', detail: `${plural(fileBuckets, 'bucket')} of users' files, ${ASSUMPTIONS.efsGb} GB assumed`, monthly: fileBuckets * ASSUMPTIONS.efsGb * PRICES.s3GbMonth });
  }

  const endpoints = ofType('AWS::EC2::VPCEndpoint').map(([, r]) => r.Properties ?? {}).filter((p) => p.VpcEndpointType === 'Interface');
  if (endpoints.length > 0) {
    const zones = endpoints.reduce((sum, p) => sum + (Array.isArray(p.SubnetIds) ? p.SubnetIds.length : 1), 0);
    const names = endpoints.map((p) => endpointName(p.ServiceName)).join(', ');
    lines.push({ item: 'Interface endpoints', detail: `${endpoints.length} endpoints (${names}), ${zones} endpoint-zones`, monthly: zones * perMonth(PRICES.interfaceEndpointHour) });
  }

  const nats = ofType('AWS::EC2::NatGateway').length;
  if (nats > 0) {
    lines.push({ item: 'NAT gateways', detail: `${plural(nats, 'NAT gateway')} with public IPv4 addresses, before $0.045 per GB`, monthly: nats * perMonth(PRICES.natGatewayHour + PRICES.publicIpv4Hour) });
  }

  const secrets = ofType('AWS::SecretsManager::Secret').length;
  if (secrets > 0) lines.push({ item: 'Secrets Manager', detail: plural(secrets, 'secret'), monthly: secrets * PRICES.secretMonth });

  const alarmMetrics = ofType('AWS::CloudWatch::Alarm').reduce((sum, [, r]) => sum + alarmMetricCount(r.Properties ?? {}), 0);
  if (alarmMetrics > 0) {
    lines.push({ item: 'CloudWatch alarms', detail: `${ofType('AWS::CloudWatch::Alarm').length} alarms on ${alarmMetrics} metrics`, monthly: alarmMetrics * PRICES.alarmMetricMonth });
  }
  const dashboards = ofType('AWS::CloudWatch::Dashboard').length;
  if (dashboards > 0) lines.push({ item: 'CloudWatch dashboard', detail: plural(dashboards, 'dashboard'), monthly: dashboards * PRICES.dashboardMonth });

  for (const [, acl] of ofType('AWS::WAFv2::WebACL')) {
    const rules = (acl.Properties?.Rules ?? []).length;
    lines.push({ item: 'AWS WAF', detail: `web ACL (${acl.Properties?.Scope ?? 'REGIONAL'}) with ${rules} rules, before $0.60 per million requests`, monthly: PRICES.wafWebAclMonth + rules * PRICES.wafRuleMonth });
  }

  lines.push(...backupLines(resources));

  const keys = ofType('AWS::KMS::Key').length;
  if (keys > 0) lines.push({ item: 'KMS keys', detail: plural(keys, 'customer-managed key'), monthly: keys * PRICES.kmsKeyMonth });

  notes.push(
    `Public ${PRICE_REGION} on-demand list prices read on ${PRICES_READ_ON}, ${HOURS_PER_MONTH} hours a month, no free tier.`,
    'Left out (billed by use): Bedrock tokens and images, data through endpoints, NAT and load balancer beyond '
    + `${ASSUMPTIONS.albLcus} LCU, CloudWatch logs and Container Insights metrics, S3 storage of logs and configuration, ECR storage, requests.`,
  );
  if (ofType('AWS::CloudFront::Distribution').length > 0) {
    // CloudFront has no monthly base charge: requests and data out are billed by use (its free tier
    // covers 1 TB and 10 million requests a month), and a VPC origin costs nothing extra.
    notes.push('CloudFront has no monthly base: its requests and data out are billed by use (the always-free tier covers 1 TB and 10 million requests a month).');
  }
  if (region !== undefined && region !== PRICE_REGION) {
    notes.push(`The stack is for ${region}; these are ${PRICE_REGION} prices (most regions list the same resources 0-30 % higher).`);
  }
  const rounded = lines.map((l) => ({ ...l, monthly: round2(l.monthly) }));
  return { lines: rounded, total: round2(rounded.reduce((sum, l) => sum + l.monthly, 0)), notes };
}

function loadBalancerLines(balancers: Resource[]): CostLine[] {
  return balancers.filter((r) => (r.Properties?.Type ?? 'application') === 'application').map((r) => {
    const p = r.Properties ?? {};
    const zones = (p.Subnets ?? p.SubnetMappings ?? []).length || 2;
    const internetFacing = (p.Scheme ?? 'internet-facing') === 'internet-facing';
    const ipv4 = internetFacing ? zones : 0;
    const monthly = perMonth(PRICES.albHour + ASSUMPTIONS.albLcus * PRICES.albLcuHour + ipv4 * PRICES.publicIpv4Hour);
    const where = internetFacing ? `internet-facing in ${zones} zones (${ipv4} public IPv4 addresses)` : `internal in ${zones} zones`;
    return { item: 'Load balancer', detail: `ALB ${where}, ${ASSUMPTIONS.albLcus} LCU`, monthly };
  });
}

/** Fargate tasks at their minimum count, by architecture, size and capacity provider. */
function fargateLines(resources: Resources, notes: string[]): CostLine[] {
  const lines: CostLine[] = [];
  for (const [id, service] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ECS::Service')) {
    const p = service.Properties ?? {};
    const taskDefinition = resources[p.TaskDefinition?.Ref ?? '']?.Properties;
    if (taskDefinition === undefined) continue;
    const name = (taskDefinition.ContainerDefinitions ?? [])[0]?.Name ?? id;
    const vcpu = Number(taskDefinition.Cpu) / 1024;
    const gb = Number(taskDefinition.Memory) / 1024;
    const arch: 'X86_64' | 'ARM64' = taskDefinition.RuntimePlatform?.CpuArchitecture === 'ARM64' ? 'ARM64' : 'X86_64';
    const target = scalableTargetOf(resources, id);
    const minTasks = target?.MinCapacity ?? p.DesiredCount ?? 1;
    const tasks = target?.ScheduledActions?.length ? averageScheduledTasks(target.ScheduledActions, minTasks) : minTasks;
    const spotShare = spotShareOf(p.CapacityProviderStrategy, minTasks);
    const price = PRICES.fargate[arch];
    const hourly = vcpu * price.vcpuHour + gb * price.gbHour;
    const monthly = tasks * perMonth(hourly) * (1 - spotShare * PRICES.fargateSpotDiscount);
    const count = tasks === minTasks ? `${minTasks}` : `${tasks.toFixed(2)} on average (scheduled)`;
    const spot = spotShare > 0 ? `, ${Math.round(spotShare * 100)} % on Spot` : '';
    lines.push({ item: 'Fargate', detail: `${name}: ${count} x ${vcpu} vCPU / ${gb} GB ${arch}${spot}`, monthly });
    if (spotShare > 0 && !notes.some((n) => n.includes('Spot'))) {
      notes.push(`Fargate Spot counted at ${PRICES.fargateSpotDiscount * 100} % off on-demand; Spot prices vary.`);
    }
  }
  return lines;
}

/** The App Auto Scaling target of an ECS service (its ResourceId names the service). */
function scalableTargetOf(resources: Resources, serviceId: string): any | undefined {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::ApplicationAutoScaling::ScalableTarget')
    .map((r) => r.Properties ?? {})
    .find((t) => JSON.stringify(t.ResourceId ?? '').includes(`"${serviceId}"`));
}

/**
 * The share of `tasks` that run on FARGATE_SPOT under a capacity provider strategy: the base
 * first, then the rest by weight.
 */
export function spotShareOf(strategy: any[] | undefined, tasks: number): number {
  if (!Array.isArray(strategy) || strategy.length === 0 || tasks <= 0) return 0;
  let spot = 0;
  let left = tasks;
  for (const s of strategy) {
    const base = Math.min(Number(s.Base ?? 0), left);
    if (s.CapacityProvider === 'FARGATE_SPOT') spot += base;
    left -= base;
  }
  const weights = strategy.reduce((sum, s) => sum + Number(s.Weight ?? 0), 0);
  const spotWeight = strategy.filter((s) => s.CapacityProvider === 'FARGATE_SPOT').reduce((sum, s) => sum + Number(s.Weight ?? 0), 0);
  if (weights > 0) spot += (left * spotWeight) / weights;
  return spot / tasks;
}

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Whether a field of an AWS cron expression (`*`, `?`, `5`, `1-5`, `MON-FRI`, `1,3`, `0/15`) holds `value`. */
export function cronFieldMatches(field: string, value: number, names: string[] = [], base = 0): boolean {
  if (field === '*' || field === '?') return true;
  const toNumber = (s: string) => {
    const named = names.indexOf(s.toUpperCase());
    return named >= 0 ? named + base : Number(s);
  };
  return field.split(',').some((part) => {
    const [range, step] = part.split('/');
    const [from, to] = range === '*' ? [base, Infinity] : range.split('-').map(toNumber);
    const last = to ?? (step !== undefined ? Infinity : from);
    return value >= from && value <= last && (value - from) % Number(step ?? 1) === 0;
  });
}

/**
 * The average minimum task count over a week under scheduled actions (`cron(m h dom mon dow y)`
 * with minutes, hours and days of the week; the schedule's own time zone), starting from the
 * action in force at the end of the week before.
 */
export function averageScheduledTasks(actions: any[], minTasks: number): number {
  const crons = actions.map((a) => {
    const match = /^cron\((.+)\)$/.exec(String(a.Schedule ?? ''));
    const fields = match ? match[1].trim().split(/\s+/) : [];
    return { fields, tasks: Number(a.ScalableTargetAction?.MinCapacity ?? minTasks) };
  }).filter((c) => c.fields.length === 6);
  if (crons.length === 0) return minTasks;
  const week = 7 * 24 * 60;
  let current = minTasks;
  let sum = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let m = 0; m < week; m++) {
      const [minute, hour, day] = [m % 60, Math.floor(m / 60) % 24, Math.floor(m / 1440)];
      for (const c of crons) {
        const [cm, ch, , , cdow] = c.fields;
        if (cronFieldMatches(cm, minute) && cronFieldMatches(ch, hour) && cronFieldMatches(cdow, day + 1, DAYS, 1)) current = c.tasks;
      }
      if (pass === 1) sum += current;
    }
  }
  return sum / week;
}

function databaseLines(instances: Resource[], notes: string[]): CostLine[] {
  return instances.map((r) => {
    const p = r.Properties ?? {};
    const klass = String(p.DBInstanceClass);
    const multiAz = p.MultiAZ === true || p.MultiAZ === 'true';
    const factor = multiAz ? 2 : 1;
    const storage = Number(p.AllocatedStorage ?? 20);
    const hourly = PRICES.rdsPostgresHour[klass];
    if (hourly === undefined) notes.push(`No price for the database class ${klass} in the table; its instance hours are not counted.`);
    const monthly = factor * (perMonth(hourly ?? 0) + storage * PRICES.rdsStorageGbMonth);
    return { item: 'RDS', detail: `${p.Engine ?? 'postgres'} ${klass}${multiAz ? ' Multi-AZ' : ', one zone'}, ${storage} GB`, monthly };
  });
}

function cacheLines(groups: Resource[], notes: string[]): CostLine[] {
  return groups.map((r) => {
    const p = r.Properties ?? {};
    const nodeType = String(p.CacheNodeType);
    const nodes = Number(p.NumCacheClusters ?? (Number(p.NumNodeGroups ?? 1) * (Number(p.ReplicasPerNodeGroup ?? 0) + 1)));
    const valkey = String(p.Engine ?? 'redis').toLowerCase() === 'valkey';
    const valkeyHourly = PRICES.valkeyNodeHour[nodeType];
    if (valkeyHourly === undefined) notes.push(`No price for the cache node type ${nodeType} in the table; its node hours are not counted.`);
    const hourly = (valkeyHourly ?? 0) / (valkey ? 1 : 1 - PRICES.valkeyDiscount);
    return { item: 'ElastiCache', detail: `${valkey ? 'Valkey' : 'Redis OSS'} ${nodes} x ${nodeType}`, monthly: nodes * perMonth(hourly) };
  });
}

/** AWS Backup storage of the database and file system the plan selects, at the assumed data sizes. */
function backupLines(resources: Resources): CostLine[] {
  if (!Object.values(resources).some((r) => r.Type === 'AWS::Backup::BackupSelection')) return [];
  const covered = JSON.stringify(Object.values(resources).filter((r) => r.Type === 'AWS::Backup::BackupSelection').map((r) => r.Properties));
  const idsOf = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type).map(([id]) => id).filter((id) => covered.includes(`"${id}"`));
  const databases = idsOf('AWS::RDS::DBInstance').length;
  // Files: an EFS file system, or a bucket (S3 backups are billed at the same warm-storage price).
  const fileSystems = idsOf('AWS::EFS::FileSystem').length + idsOf('AWS::S3::Bucket').length;
  const monthly = databases * ASSUMPTIONS.databaseDataGb * PRICES.backupRdsGbMonth + fileSystems * ASSUMPTIONS.efsGb * PRICES.backupEfsGbMonth;
  const what = [databases ? `${ASSUMPTIONS.databaseDataGb} GB of database` : '', fileSystems ? `${ASSUMPTIONS.efsGb} GB of files` : ''].filter((s) => s).join(' and ');
  return [{ item: 'AWS Backup', detail: `daily recovery points of ${what || 'the selected resources'} (assumed sizes)`, monthly }];
}

/** The metrics an alarm watches (an alarm on metric math is billed per metric). */
function alarmMetricCount(p: any): number {
  if (!Array.isArray(p.Metrics)) return 1;
  return Math.max(1, p.Metrics.filter((m: any) => m.MetricStat !== undefined).length);
}

/** `ecr.api` from `com.amazonaws.<region>.ecr.api` (a string or a Fn::Join ending in `.ecr.api`). */
export function endpointName(serviceName: any): string {
  if (typeof serviceName === 'string') return serviceName.replace(/^com\.amazonaws\.[^.]+\./, '');
  const parts = serviceName?.['Fn::Join']?.[1];
  const last = Array.isArray(parts) ? parts[parts.length - 1] : undefined;
  return typeof last === 'string' ? last.replace(/^\./, '') : 'endpoint';
}

/** The one-line summary of an estimate (the main command's last line): the total, and what it is based on. */
export function formatCostSummary(estimate: CostEstimate): string {
  return `about ${usd(estimate.total)} a month before Bedrock usage (${PRICE_REGION} list prices of ${PRICES_READ_ON})`;
}

/** How many buckets hold Open WebUI's files: those a container is given as `S3_BUCKET_NAME`. */
function fileBucketsOf(resources: Resources): number {
  const buckets = new Set<string>();
  for (const r of Object.values(resources)) {
    if (r.Type !== 'AWS::ECS::TaskDefinition') continue;
    for (const c of r.Properties?.ContainerDefinitions ?? []) {
      for (const e of c.Environment ?? []) {
        if (e.Name === 'S3_BUCKET_NAME' && typeof e.Value?.Ref === 'string' && resources[e.Value.Ref]?.Type === 'AWS::S3::Bucket') buckets.add(e.Value.Ref);
      }
    }
  }
  return buckets.size;
}
