/**
 * The price table of `cdk-bedrock-image-chat cost`: public on-demand list prices in us-east-1
 * (US East, N. Virginia), in US dollars, as read from the AWS pricing pages on PRICES_READ_ON.
 * Free tiers are not counted. Other regions: the command prints these prices with a note (most
 * commercial regions list the same resources 0-30 % higher); refresh the table, not the code,
 * when prices change.
 */

/** The date (YYYY-MM-DD) the prices below were read. */
export const PRICES_READ_ON = '2026-12-01';

/** The region the table's prices are for. */
export const PRICE_REGION = 'us-east-1';

/** Hours in a month, as AWS's pricing calculator counts them. */
export const HOURS_PER_MONTH = 730;

export const PRICES = {
  /** Application Load Balancer: per hour, and per LCU-hour. */
  albHour: 0.0225,
  albLcuHour: 0.008,
  /** Public IPv4 address (an internet-facing load balancer has one per zone; a NAT gateway one), per hour. */
  publicIpv4Hour: 0.005,
  /** Fargate, Linux, per vCPU-hour and per GB-hour, by architecture. */
  fargate: {
    X86_64: { vcpuHour: 0.04048, gbHour: 0.004445 },
    ARM64: { vcpuHour: 0.03238, gbHour: 0.00356 },
  },
  /**
   * Fargate Spot's discount on the on-demand price. Spot prices change with demand; 70 % is
   * the discount AWS advertises ("up to 70 %"), so Spot lines are estimates.
   */
  fargateSpotDiscount: 0.7,
  /** RDS for PostgreSQL, single-AZ, per instance-hour (Multi-AZ: twice). */
  rdsPostgresHour: {
    'db.t4g.micro': 0.016,
    'db.t4g.small': 0.032,
    'db.t4g.medium': 0.065,
    'db.t4g.large': 0.129,
    'db.t4g.xlarge': 0.258,
    'db.m7g.large': 0.168,
    'db.m7g.xlarge': 0.337,
    'db.r7g.large': 0.239,
  } as Record<string, number>,
  /** RDS gp2/gp3 storage per GB-month, single-AZ (Multi-AZ: twice). */
  rdsStorageGbMonth: 0.115,
  /** ElastiCache for Valkey, per node-hour (Redis OSS: Valkey's price / 0.8). */
  valkeyNodeHour: {
    'cache.t4g.micro': 0.0128,
    'cache.t4g.small': 0.0256,
    'cache.t4g.medium': 0.052,
    'cache.m7g.large': 0.1264,
    'cache.r7g.large': 0.1744,
  } as Record<string, number>,
  /** Valkey is listed 20 % below Redis OSS for the same node. */
  valkeyDiscount: 0.2,
  /** EFS Standard storage per GB-month. */
  efsGbMonth: 0.3,
  /** S3 Standard storage per GB-month (the first 50 TB). */
  s3GbMonth: 0.023,
  /** An interface VPC endpoint, per zone and hour. */
  interfaceEndpointHour: 0.01,
  /** A NAT gateway, per hour. */
  natGatewayHour: 0.045,
  /** A secret, per month. */
  secretMonth: 0.4,
  /** A standard-resolution alarm, per metric and month. */
  alarmMetricMonth: 0.1,
  /** A dashboard, per month. */
  dashboardMonth: 3,
  /** AWS WAF: per web ACL and per rule (a managed rule group counts as one), per month. */
  wafWebAclMonth: 5,
  wafRuleMonth: 1,
  /** AWS Backup warm storage per GB-month: RDS snapshots; EFS and S3 (the same price). */
  backupRdsGbMonth: 0.095,
  backupEfsGbMonth: 0.05,
  /** A customer-managed KMS key, per month. */
  kmsKeyMonth: 1,
};

/**
 * What the baseline assumes where the template cannot say: data that grows with use. The command
 * prints these assumptions with its result.
 */
export const ASSUMPTIONS = {
  /** Load balancer capacity units used on average (a few dozen users). */
  albLcus: 1,
  /** Users' files, on EFS or in S3, GB. */
  efsGb: 5,
  /** Data in the database, GB (what a backup copies). */
  databaseDataGb: 2,
};
