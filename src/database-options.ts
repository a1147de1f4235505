import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * The PostgreSQL database (Amazon RDS) that holds Open WebUI's users, chats and document vectors.
 */
export interface DatabaseOptions {
  /**
   * The instance type, for example `ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM)`
   * (the RDS class `db.t4g.medium`).
   *
   * @default - db.t4g.small (`BedrockImageChat`: from its `size`)
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Whether the database keeps a standby in a second availability zone (RDS Multi-AZ), which
   * takes over within about two minutes when the zone or the instance fails; it doubles the
   * database's cost.
   *
   * @default - false (`BedrockImageChat`: from its `size`, true for MEDIUM and LARGE)
   */
  readonly multiAz?: boolean;

  /**
   * How long RDS keeps its automated backups (whole days, 1 to 35), for point-in-time recovery.
   * The daily AWS Backup plan (`backup`) keeps its own recovery points.
   *
   * @default Duration.days(7)
   */
  readonly backupRetention?: Duration;
}
