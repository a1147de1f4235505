import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Memory by instance size, for RDS's default `max_connections` for PostgreSQL,
 * LEAST(memory / 9531392, 5000). The T4G and M7G classes the sizes use have these; R classes have
 * twice as much, so the figures are on the safe side for them.
 */
const MEMORY_GIB: Record<string, number> = {
  micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, ['2xlarge']: 32, ['4xlarge']: 64,
};

/** The connections PostgreSQL accepts on an RDS instance type by default. */
export function maxDatabaseConnections(instanceType: ec2.InstanceType): number {
  const size = instanceType.toString().split('.')[1];
  return Math.min(Math.floor(((MEMORY_GIB[size ?? ''] ?? 2) * 1024 ** 3) / 9531392), 5000);
}

/**
 * The connection pools of one Open WebUI task. Open WebUI opens three SQLAlchemy engines on the
 * database: the asynchronous one that serves requests and a synchronous one for start-up (both
 * sized by `DATABASE_POOL_SIZE` and `DATABASE_POOL_MAX_OVERFLOW`), and pgvector's (`PGVECTOR_POOL_*`).
 * Each holds up to its size plus its overflow, and tests a connection before lending it
 * (`pool_pre_ping`), so a task drops the connections a failover broke instead of failing on them.
 * Unset, each engine could hold 15 (SQLAlchemy's 5 + 10): 45 a task.
 */
export const DATABASE_POOL = { size: 5, overflow: 5 } as const;
export const PGVECTOR_POOL = { size: 2, overflow: 3 } as const;

/** The most connections one Open WebUI task can hold. */
export const CONNECTIONS_PER_OPEN_WEBUI_TASK = 2 * (DATABASE_POOL.size + DATABASE_POOL.overflow) + PGVECTOR_POOL.size + PGVECTOR_POOL.overflow;

/** The share of the database's connections the tasks may hold for long: the connections alarm fires above it. */
export const CONNECTIONS_ALARM_SHARE = 0.8;

/**
 * Throws when `maxTasks` Open WebUI tasks could hold more connections than the alarm allows on
 * `instanceType`. (A deployment adds none: Open WebUI's old tasks stop before new ones start.)
 * `names` are the props as the user wrote them.
 */
export function checkDatabaseConnections(maxTasks: number, instanceType: ec2.InstanceType, names: { maxTasks: string; instanceType: string }): void {
  if (Token.isUnresolved(maxTasks)) return;
  const accepted = maxDatabaseConnections(instanceType);
  const fits = Math.floor((accepted * CONNECTIONS_ALARM_SHARE) / CONNECTIONS_PER_OPEN_WEBUI_TASK);
  if (maxTasks <= fits) return;
  throw new Error(`${names.maxTasks} is ${maxTasks}, but a ${instanceType} database accepts ${accepted} connections and each Open WebUI task `
    + `holds up to ${CONNECTIONS_PER_OPEN_WEBUI_TASK}, more than the ${Math.round(CONNECTIONS_ALARM_SHARE * 100)} % the connections alarm allows; `
    + `choose at most ${fits} tasks or a larger ${names.instanceType}`);
}
