import { Duration } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';

/**
 * The AWS Backup plan of Open WebUI's data: the database and the file system.
 */
export interface DataBackupOptions {
  /**
   * Whether to back the data up with AWS Backup. Without it the database still has RDS's
   * automated backups (`database.backupRetention`) and the file system AWS Backup's default plan.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * How long each daily recovery point is kept (whole days).
   *
   * @default Duration.days(7)
   */
  readonly retention?: Duration;

  /**
   * A backup vault in another region (or account) that each recovery point is copied to, for
   * disaster recovery, for example
   * `backup.BackupVault.fromBackupVaultArn(this, 'DrVault', 'arn:aws:backup:us-east-2:111122223333:backup-vault:chat-dr')`.
   * Create it there first; its access policy must accept copies from this account.
   *
   * @default - no copy
   */
  readonly copyToVault?: backup.IBackupVault;

  /**
   * How long the copies are kept.
   *
   * @default - `retention`
   */
  readonly copyRetention?: Duration;
}
