import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeRules, AWS_MANAGED_KEY_REASON, cfnOf, skipCheckov } from './acknowledgements';

/** The Valkey engine of the replication group. */
export const VALKEY_VERSION = '8.1';

/** Where Open WebUI's tasks find Redis, and the token they sign in with. */
export interface Redis {
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  readonly host: string;
  readonly port: string;
  readonly authToken: secretsmanager.Secret;
  readonly connections: ec2.Connections;
}

/**
 * Creates the Redis that several Open WebUI tasks share (ElastiCache for Valkey, Redis OSS
 * compatible): websocket rooms and events between tasks, and the app's shared state. Two nodes
 * in two zones with automatic failover, encrypted in transit (TLS only) and at rest, an AUTH
 * token from Secrets Manager, in the given (private or isolated) subnets, reachable only from
 * what `connections` admits. It holds no data that outlives a restart, so it keeps no snapshots.
 */
export function createRedis(scope: Construct, options: { vpc: ec2.IVpc; subnets: ec2.SubnetSelection; nodeType: ec2.InstanceType }): Redis {
  const securityGroup = new ec2.SecurityGroup(scope, 'RedisSecurityGroup', {
    vpc: options.vpc,
    description: 'Redis of Open WebUI: reached only by its tasks',
    allowAllOutbound: false,
  });
  const subnetGroup = new elasticache.CfnSubnetGroup(scope, 'RedisSubnets', {
    description: 'Subnets of the Redis of Open WebUI',
    subnetIds: options.vpc.selectSubnets(options.subnets).subnetIds,
  });
  // Alphanumeric: the token goes into a rediss:// URL unescaped.
  const authToken = new secretsmanager.Secret(scope, 'RedisAuthToken', {
    description: 'AUTH token of the Redis of Open WebUI',
    generateSecretString: { passwordLength: 64, excludePunctuation: true },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const replicationGroup = new elasticache.CfnReplicationGroup(scope, 'Redis', {
    replicationGroupDescription: 'Open WebUI websockets and shared state',
    engine: 'valkey',
    engineVersion: VALKEY_VERSION,
    // ElastiCache names node types as RDS names classes: a prefix on the instance type.
    cacheNodeType: `cache.${options.nodeType}`,
    numCacheClusters: 2,
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    transitEncryptionEnabled: true,
    transitEncryptionMode: 'required',
    atRestEncryptionEnabled: true,
    authToken: authToken.secretValue.unsafeUnwrap(),
    cacheSubnetGroupName: subnetGroup.ref,
    securityGroupIds: [securityGroup.securityGroupId],
    port: 6379,
    autoMinorVersionUpgrade: true,
    snapshotRetentionLimit: 0,
  });
  const noRotation = "The token is set on the replication group by CloudFormation; a rotation would have to change it there too (ElastiCache's ROTATE strategy) while every task reconnects. Redeploy with a new secret to change it.";
  acknowledgeRules(cfnOf(authToken), { 'AwsSolutions-SMG4': noRotation });
  skipCheckov(authToken, { CKV2_AWS_57: noRotation, CKV_AWS_149: AWS_MANAGED_KEY_REASON });
  acknowledgeRules(replicationGroup, {
    'AwsSolutions-AEC5': 'Private subnets and a security group that admits only Open WebUI; another port hides nothing.',
  });
  skipCheckov(replicationGroup, { CKV_AWS_191: AWS_MANAGED_KEY_REASON });
  return {
    replicationGroup,
    host: replicationGroup.attrPrimaryEndPointAddress,
    port: replicationGroup.attrPrimaryEndPointPort,
    authToken,
    connections: new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(6379) }),
  };
}
