import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as events from 'aws-cdk-lib/aws-events';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeRules, AWS_MANAGED_KEY_REASON, skipCheckov } from './acknowledgements';
import type { DataBackupOptions } from '../data-backup';

/**
 * Creates the AWS Backup plan of Open WebUI's data in `scope`: its own vault (encrypted with AWS
 * Backup's key), a daily backup of the database and the file system (or files bucket) at 03:00 UTC kept `retention`,
 * and an optional copy into a vault of another region (disaster recovery). Vault, plan and
 * selection follow the data's removal policy, so backups outlive a deleted stack unless the data
 * goes too.
 */
export function createDataBackup(
  scope: Construct,
  options: DataBackupOptions & { database: rds.DatabaseInstance; files: efs.FileSystem | s3.Bucket; removalPolicy: RemovalPolicy },
): { plan: backup.BackupPlan; vault: backup.BackupVault } {
  const retention = options.retention ?? Duration.days(7);
  validateRetention('backup.retention', retention);
  if (options.copyRetention !== undefined) validateRetention('backup.copyRetention', options.copyRetention);
  const copyTo = options.copyToVault;
  if (copyTo !== undefined && typeof copyTo.backupVaultArn !== 'string') {
    throw new Error(`backup.copyToVault is ${JSON.stringify(copyTo)}, which is not a backup vault; use backup.BackupVault.fromBackupVaultArn(scope, 'DrVault', 'arn:aws:backup:<region>:<account>:backup-vault:<name>')`);
  }
  if (options.copyRetention !== undefined && copyTo === undefined) {
    throw new Error('backup.copyRetention is set, but backup.copyToVault is not; the retention applies to the copies in that vault');
  }

  const removalPolicy = options.removalPolicy === RemovalPolicy.SNAPSHOT ? RemovalPolicy.RETAIN : options.removalPolicy;
  const vault = new backup.BackupVault(scope, 'BackupVault', { removalPolicy });
  skipCheckov(vault, { CKV_AWS_166: AWS_MANAGED_KEY_REASON });
  const plan = new backup.BackupPlan(scope, 'BackupPlan', {
    backupVault: vault,
    backupPlanRules: [new backup.BackupPlanRule({
      ruleName: 'Daily',
      scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
      startWindow: Duration.hours(1),
      completionWindow: Duration.hours(8),
      deleteAfter: retention,
      copyActions: copyTo !== undefined ? [{
        destinationBackupVault: copyTo,
        deleteAfter: options.copyRetention ?? retention,
      }] : undefined,
    })],
  });
  plan.applyRemovalPolicy(removalPolicy);
  const selection = plan.addSelection('Data', {
    resources: [
      backup.BackupResource.fromRdsDatabaseInstance(options.database),
      options.files instanceof efs.FileSystem
        ? backup.BackupResource.fromEfsFileSystem(options.files)
        : backup.BackupResource.fromArn(options.files.bucketArn),
    ],
  });
  selection.applyRemovalPolicy(removalPolicy);
  acknowledgeRules(selection, {
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]':
      "AWS Backup's own policy for the role that takes the backups: the permissions to snapshot RDS and EFS that AWS keeps current.",
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores]':
      "AWS Backup's own policy for restores from this vault.",
  });
  return { plan, vault };
}

function validateRetention(prop: string, retention: Duration): void {
  if (Token.isUnresolved(retention.toMinutes({ integral: false }))) return;
  const days = retention.toHours({ integral: false }) / 24;
  if (!Number.isInteger(days) || days < 1) {
    throw new Error(`${prop} is ${retention.toHumanString()}; AWS Backup keeps recovery points for whole days, 1 or more (the default is 7 days)`);
  }
}
